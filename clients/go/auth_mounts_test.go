package clients

import (
	"strings"
	"testing"

	vault "github.com/hashicorp/vault/api"
)

func TestAuthCheck(t *testing.T) {
	c := newClient(t, "")
	self, err := c.Auth().Token().LookupSelf()
	check(t, err)
	id, err := self.TokenID()
	check(t, err)
	equal(t, id, vaultToken, "token id")
	policies, err := self.TokenPolicies()
	check(t, err)
	if len(policies) != 1 || policies[0] != "root" {
		t.Fatalf("root policies: %v", policies)
	}
	ttl, err := self.TokenTTL()
	check(t, err)
	equal(t, ttl, 0, "root ttl")

	_, err = newClient(t, "not-a-token").Auth().Token().LookupSelf()
	re := responseError(t, err, 403)
	if len(re.Errors) != 1 || !strings.Contains(re.Errors[0], "permission denied") {
		t.Fatalf("errors: %q", re.Errors)
	}
}

func TestHealth(t *testing.T) {
	h, err := newClient(t, "").Sys().Health()
	check(t, err)
	equal(t, h.Initialized, true, "initialized")
	equal(t, h.Sealed, false, "sealed")
	if h.ServerTimeUTC == 0 || h.Version == "" {
		t.Fatalf("health: %+v", h)
	}
}

func TestMounts(t *testing.T) {
	c := newClient(t, "")
	mounts, err := c.Sys().ListMounts()
	check(t, err)
	secret := mounts["secret/"]
	if secret == nil || secret.Type != "kv" || secret.Options["version"] != "2" {
		t.Fatalf("secret/ mount: %+v", secret)
	}
	equal(t, mounts["sys/"].Type, "system", "sys/ type")

	path := "transit-go-m-" + suffix(t)
	check(t, c.Sys().Mount(path, &vault.MountInput{Type: "transit", Description: "go suite"}))
	defer func() { check(t, c.Sys().Unmount(path)) }()

	mounts, err = c.Sys().ListMounts()
	check(t, err)
	m := mounts[path+"/"]
	if m == nil || m.Type != "transit" || m.Description != "go suite" || m.Accessor == "" {
		t.Fatalf("new mount: %+v", m)
	}

	err = c.Sys().Mount(path, &vault.MountInput{Type: "transit"})
	re := responseError(t, err, 400)
	mustContain(t, re.Error(), "path is already in use at "+path+"/")

	check(t, c.Sys().TuneMount(path, vault.MountConfigInput{DefaultLeaseTTL: "1h", MaxLeaseTTL: "2h"}))
	cfg, err := c.Sys().MountConfig(path)
	check(t, err)
	equal(t, cfg.DefaultLeaseTTL, 3600, "default_lease_ttl")
	equal(t, cfg.MaxLeaseTTL, 7200, "max_lease_ttl")
}
