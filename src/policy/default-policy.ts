/**
 * The built-in `default` policy as each server stores it on first start
 * (the text GET sys/policies/acl/default returns), and the same rules as a
 * document so the server can load it without parsing HCL at startup
 * (test/policy/default-policy.test.ts checks they agree).
 */
import type { Flavor } from '../engines/engine.js'

// OpenBao v2.6.2 (vault/policy/policy_store.go DefaultPolicy), byte for byte.
const OPENBAO_DEFAULT = `
# Allow tokens to look up their own properties
path "auth/token/lookup-self" {
    capabilities = ["read"]
}

# Allow tokens to renew themselves
path "auth/token/renew-self" {
    capabilities = ["update"]
}

# Allow tokens to revoke themselves
path "auth/token/revoke-self" {
    capabilities = ["update"]
}

# Allow a token to look up its own capabilities on a path
path "sys/capabilities-self" {
    capabilities = ["update"]
}

# Allow a token to look up its own entity by id or name
path "identity/entity/id/{{identity.entity.id}}" {
  capabilities = ["read"]
}
path "identity/entity/name/{{identity.entity.name}}" {
  capabilities = ["read"]
}


# Allow a token to look up its resultant ACL from all policies. This is useful
# for UIs. It is an internal path because the format may change at any time
# based on how the internal ACL features and capabilities change.
path "sys/internal/ui/resultant-acl" {
    capabilities = ["read"]
}

# Allow a token to renew a lease via lease_id in the request body; old path for
# old clients, new path for newer
path "sys/leases/renew" {
    capabilities = ["update"]
}

# Allow looking up lease properties. This requires knowing the lease ID ahead
# of time and does not divulge any sensitive information.
path "sys/leases/lookup" {
    capabilities = ["update"]
}

# Allow a token to manage its own cubbyhole
path "cubbyhole/*" {
    capabilities = ["create", "read", "update", "delete", "list"]
}

# Allow a token to wrap arbitrary values in a response-wrapping token
path "sys/wrapping/wrap" {
    capabilities = ["update"]
}

# Allow a token to look up the creation time and TTL of a given
# response-wrapping token
path "sys/wrapping/lookup" {
    capabilities = ["update"]
}

# Allow a token to unwrap a response-wrapping token. This is a convenience to
# avoid client token swapping since this is also part of the response wrapping
# policy.
path "sys/wrapping/unwrap" {
    capabilities = ["update"]
}

# Allow general purpose tools
path "sys/tools/hash" {
    capabilities = ["update"]
}
path "sys/tools/hash/*" {
    capabilities = ["update"]
}

# Allow a token to make requests to the Authorization Endpoint for OIDC providers.
path "identity/oidc/provider/+/authorize" {
    capabilities = ["read", "update"]
}
`

// HashiCorp Vault's default policy: OpenBao's plus sys/renew and
// sys/control-group/request (Vault 1.15 vault/policy_store.go).
const VAULT_DEFAULT = OPENBAO_DEFAULT
  .replace(
    '# old clients, new path for newer\npath "sys/leases/renew" {',
    '# old clients, new path for newer\npath "sys/renew" {\n    capabilities = ["update"]\n}\npath "sys/leases/renew" {'
  )
  .replace(
    '\n# Allow a token to make requests to the Authorization Endpoint',
    '\n# Allow checking the status of a Control Group request if the user has the\n' +
    '# accessor\npath "sys/control-group/request" {\n    capabilities = ["update"]\n}\n' +
    '\n# Allow a token to make requests to the Authorization Endpoint'
  )

const OPENBAO_RULES: ReadonlyArray<[string, string[]]> = [
  ['auth/token/lookup-self', ['read']],
  ['auth/token/renew-self', ['update']],
  ['auth/token/revoke-self', ['update']],
  ['sys/capabilities-self', ['update']],
  ['identity/entity/id/{{identity.entity.id}}', ['read']],
  ['identity/entity/name/{{identity.entity.name}}', ['read']],
  ['sys/internal/ui/resultant-acl', ['read']],
  ['sys/leases/renew', ['update']],
  ['sys/leases/lookup', ['update']],
  ['cubbyhole/*', ['create', 'read', 'update', 'delete', 'list']],
  ['sys/wrapping/wrap', ['update']],
  ['sys/wrapping/lookup', ['update']],
  ['sys/wrapping/unwrap', ['update']],
  ['sys/tools/hash', ['update']],
  ['sys/tools/hash/*', ['update']],
  ['identity/oidc/provider/+/authorize', ['read', 'update']]
]

const VAULT_EXTRA: ReadonlyArray<[string, string[]]> = [
  ['sys/renew', ['update']],
  ['sys/control-group/request', ['update']]
]

export function defaultPolicyText (flavor: Flavor): string {
  return flavor === 'openbao' ? OPENBAO_DEFAULT : VAULT_DEFAULT
}

/** The default policy as a parsed document (the shape hcl.ts returns). */
export function defaultPolicyDocument (flavor: Flavor): Record<string, unknown> {
  const rules = flavor === 'openbao' ? OPENBAO_RULES : [...OPENBAO_RULES, ...VAULT_EXTRA]
  const path: Record<string, unknown[]> = {}
  for (const [p, caps] of rules) path[p] = [{ capabilities: caps }]
  return { path }
}
