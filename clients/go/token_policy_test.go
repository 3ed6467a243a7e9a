package clients

import (
	"strings"
	"testing"
	"time"

	vault "github.com/hashicorp/vault/api"
)

func TestTokens(t *testing.T) {
	c := newClient(t, "")
	tokens := c.Auth().Token()
	created, err := tokens.Create(&vault.TokenCreateRequest{
		Policies: []string{"default"}, TTL: "1h", Metadata: map[string]string{"app": "go"},
	})
	check(t, err)
	a := created.Auth
	if a == nil || a.ClientToken == "" || a.Accessor == "" {
		t.Fatalf("auth: %+v", a)
	}
	equal(t, a.LeaseDuration, 3600, "lease_duration")
	equal(t, a.Renewable, true, "renewable")
	equal(t, a.Orphan, false, "orphan")
	equal(t, a.Metadata["app"], "go", "metadata")
	equal(t, strings.Join(a.TokenPolicies, ","), "default", "token_policies")

	info, err := tokens.Lookup(a.ClientToken)
	check(t, err)
	id, err := info.TokenID()
	check(t, err)
	equal(t, id, a.ClientToken, "lookup id")
	ttl, err := info.TokenTTL()
	check(t, err)
	if ttl <= 59*time.Minute || ttl > time.Hour {
		t.Fatalf("ttl %v", ttl)
	}
	meta, err := info.TokenMetadata()
	check(t, err)
	equal(t, meta["app"], "go", "lookup meta")
	renewable, err := info.TokenIsRenewable()
	check(t, err)
	equal(t, renewable, true, "lookup renewable")

	byAccessor, err := tokens.LookupAccessor(a.Accessor)
	check(t, err)
	equal(t, byAccessor.Data["id"].(string), "", "id is hidden from accessor lookups")

	renewed, err := tokens.Renew(a.ClientToken, 7200)
	check(t, err)
	equal(t, renewed.Auth.ClientToken, a.ClientToken, "renewed token")
	equal(t, renewed.Auth.LeaseDuration, 7200, "renewed lease")

	self := newClient(t, a.ClientToken)
	selfRenew, err := self.Auth().Token().RenewSelf(1800)
	check(t, err)
	equal(t, selfRenew.Auth.LeaseDuration, 1800, "renew-self lease")

	check(t, tokens.RevokeTree(a.ClientToken))
	_, err = self.Auth().Token().LookupSelf()
	responseError(t, err, 403)
}

func TestPolicyDenies(t *testing.T) {
	c := newClient(t, "")
	mount := kvMount(t, c)
	name := "go-reader-" + suffix(t)
	_, err := c.Logical().Write(mount+"/data/app/config", map[string]interface{}{"data": map[string]interface{}{"color": "red"}})
	check(t, err)
	_, err = c.Logical().Write(mount+"/data/other", map[string]interface{}{"data": map[string]interface{}{"k": "v"}})
	check(t, err)

	rules := "path \"" + mount + "/data/app/*\" {\n  capabilities = [\"read\"]\n}\n"
	check(t, c.Sys().PutPolicy(name, rules))
	defer func() { _ = c.Sys().DeletePolicy(name) }()
	got, err := c.Sys().GetPolicy(name)
	check(t, err)
	equal(t, got, rules, "policy text")
	names, err := c.Sys().ListPolicies()
	check(t, err)
	if !strings.Contains(","+strings.Join(names, ",")+",", ","+name+",") {
		t.Fatalf("policy list %v lacks %s", names, name)
	}

	created, err := c.Auth().Token().Create(&vault.TokenCreateRequest{Policies: []string{name}, TTL: "10m"})
	check(t, err)
	reader := newClient(t, created.Auth.ClientToken)
	s, err := reader.KVv2(mount).Get(t.Context(), "app/config")
	check(t, err)
	equal(t, s.Data["color"].(string), "red", "allowed read")

	denied := map[string]func() error{
		"write": func() error {
			_, err := reader.Logical().Write(mount+"/data/app/config", map[string]interface{}{"data": map[string]interface{}{"color": "blue"}})
			return err
		},
		"read outside": func() error { _, err := reader.Logical().Read(mount + "/data/other"); return err },
		"list mounts":  func() error { _, err := reader.Sys().ListMounts(); return err },
		"write policy": func() error { return reader.Sys().PutPolicy("evil", `path "*" { capabilities = ["sudo"] }`) },
	}
	for what, call := range denied {
		re := responseError(t, call(), 403)
		if len(re.Errors) != 1 || !strings.Contains(re.Errors[0], "permission denied") {
			t.Fatalf("%s: errors %q", what, re.Errors)
		}
	}

	check(t, c.Sys().DeletePolicy(name))
	gone, err := c.Sys().GetPolicy(name)
	check(t, err)
	equal(t, gone, "", "deleted policy")
}
