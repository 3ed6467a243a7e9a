/**
 * Where Vault and OpenBao legitimately differ, keyed on what the server
 * reports about itself (harness Target.flavor). Each entry names its source.
 */
import type { Target } from './harness.js'

/** http/handler.go: Vault says "parse", OpenBao's http/json.go says "decode". */
export function jsonErrorPrefix (t: Target): string {
  return t.flavor === 'openbao' ? 'failed to decode JSON input' : 'failed to parse JSON input'
}

/** OpenBao answers the bare limit error; Vault hits it inside its JSON parse. */
export function bodyTooLarge (t: Target): string {
  return t.flavor === 'openbao' ? 'http: request body too large' : 'failed to parse JSON input: http: request body too large'
}

/** running_plugin_version of builtin engines (helper/versions): `v2.6.2+builtin.bao` / `v1.17.0+builtin.vault`. */
export function builtinVersion (t: Target): RegExp {
  return t.flavor === 'openbao' ? /^v\d+\.\d+\.\d+(-[^+]*)?\+builtin\.bao$/ : /^v\d+\.\d+\.\d+(-[^+]*)?\+builtin(\.vault)?$/
}

/** Service token prefix: `s.` on OpenBao, `hvs.` on Vault. */
export function serviceTokenPattern (t: Target): RegExp {
  return t.flavor === 'openbao' ? /^s\.[A-Za-z0-9]{24}$/ : /^hvs\.[A-Za-z0-9_-]{90,}$/
}

/** Batch token prefix: `b.` on OpenBao, `hvb.` on Vault. */
export function batchTokenPattern (t: Target): RegExp {
  return t.flavor === 'openbao' ? /^b\./ : /^hvb\./
}

/** The path-cleaning redirect: Go 1.22+'s ServeMux answers 307 (both servers are built with it). */
export const CLEAN_PATH_STATUS = 307

/**
 * Field coercion texts: OpenBao decodes with go-viper/mapstructure v2,
 * Vault with mitchellh/mapstructure v1 (which quotes the input and adds the value).
 */
export function cannotParse (t: Target, want: 'bool' | 'int', input: string): string {
  const fn = want === 'bool' ? 'strconv.ParseBool' : 'strconv.ParseInt'
  return t.flavor === 'openbao'
    ? `'' cannot parse value as '${want}': ${fn}: invalid syntax`
    : `cannot parse '' as ${want}: ${fn}: parsing ${JSON.stringify(input)}: invalid syntax`
}

export function unconvertible (t: Target, want: string, goType: string, goValue: string): string {
  const base = `'' expected type '${want}', got unconvertible type '${goType}'`
  return t.flavor === 'openbao' ? base : `${base}, value: '${goValue}'`
}
