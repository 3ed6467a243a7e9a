package clients

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	vault "github.com/hashicorp/vault/api"
)

func kvMount(t *testing.T, c *vault.Client) string {
	t.Helper()
	mount := "kv-go-" + suffix(t)
	check(t, c.Sys().Mount(mount, &vault.MountInput{Type: "kv", Options: map[string]string{"version": "2"}}))
	t.Cleanup(func() { _ = c.Sys().Unmount(mount) })
	return mount
}

func TestKVv2(t *testing.T) {
	ctx := context.Background()
	c := newClient(t, "")
	mount := kvMount(t, c)
	kv := c.KVv2(mount)

	for i, pw := range []string{"one", "two", "three"} {
		s, err := kv.Put(ctx, "app/db", map[string]interface{}{"password": pw})
		check(t, err)
		equal(t, s.VersionMetadata.Version, i+1, "written version")
		if s.VersionMetadata.CreatedTime.IsZero() || !s.VersionMetadata.DeletionTime.IsZero() {
			t.Fatalf("write metadata: %+v", s.VersionMetadata)
		}
	}

	latest, err := kv.Get(ctx, "app/db")
	check(t, err)
	equal(t, latest.Data["password"].(string), "three", "latest")
	equal(t, latest.VersionMetadata.Version, 3, "latest version")
	first, err := kv.GetVersion(ctx, "app/db", 1)
	check(t, err)
	equal(t, first.Data["password"].(string), "one", "version 1")

	// Check-and-set.
	_, err = kv.Put(ctx, "app/db", map[string]interface{}{"password": "x"}, vault.WithCheckAndSet(1))
	re := responseError(t, err, 400)
	mustContain(t, re.Error(), "check-and-set parameter did not match the current version")

	// Patch uses HTTP PATCH with a JSON merge patch.
	patched, err := kv.Patch(ctx, "app/db", map[string]interface{}{"user": "app"})
	check(t, err)
	equal(t, patched.VersionMetadata.Version, 4, "patched version")
	got, err := kv.Get(ctx, "app/db")
	check(t, err)
	if !reflect.DeepEqual(got.Data, map[string]interface{}{"password": "three", "user": "app"}) {
		t.Fatalf("after patch: %v", got.Data)
	}

	// Soft delete: the 404 carries the normal body, so Get returns the
	// deleted version's metadata with no data.
	check(t, kv.Delete(ctx, "app/db"))
	deleted, err := kv.Get(ctx, "app/db")
	check(t, err)
	if deleted.Data != nil || deleted.VersionMetadata.Version != 4 || deleted.VersionMetadata.DeletionTime.IsZero() {
		t.Fatalf("deleted version: %+v", deleted)
	}
	_, err = kv.Get(ctx, "never/written")
	if !errors.Is(err, vault.ErrSecretNotFound) {
		t.Fatalf("missing secret: %v", err)
	}
	check(t, kv.Undelete(ctx, "app/db", []int{4}))
	_, err = kv.Get(ctx, "app/db")
	check(t, err)

	check(t, kv.DeleteVersions(ctx, "app/db", []int{1}))
	check(t, kv.Destroy(ctx, "app/db", []int{2}))
	versions, err := kv.GetVersionsAsList(ctx, "app/db")
	check(t, err)
	equal(t, len(versions), 4, "versions listed")
	if versions[0].DeletionTime.IsZero() || versions[0].Destroyed {
		t.Fatalf("version 1: %+v", versions[0])
	}
	equal(t, versions[1].Destroyed, true, "version 2 destroyed")
	equal(t, versions[3].DeletionTime.IsZero(), true, "version 4 live")

	meta, err := kv.GetMetadata(ctx, "app/db")
	check(t, err)
	equal(t, meta.CurrentVersion, 4, "current_version")
	equal(t, meta.MaxVersions, 0, "max_versions")
	equal(t, meta.CASRequired, false, "cas_required")
	equal(t, meta.DeleteVersionAfter, time.Duration(0), "delete_version_after")

	check(t, kv.PutMetadata(ctx, "app/db", vault.KVMetadataPutInput{
		MaxVersions: 7, CustomMetadata: map[string]interface{}{"owner": "go"},
	}))
	meta, err = kv.GetMetadata(ctx, "app/db")
	check(t, err)
	equal(t, meta.MaxVersions, 7, "max_versions after put")
	equal(t, meta.CustomMetadata["owner"].(string), "go", "custom_metadata")

	// List under the mount.
	_, err = kv.Put(ctx, "app/cache", map[string]interface{}{"ttl": 5})
	check(t, err)
	list, err := c.Logical().List(mount + "/metadata/app")
	check(t, err)
	if !reflect.DeepEqual(list.Data["keys"], []interface{}{"cache", "db"}) {
		t.Fatalf("list: %v", list.Data["keys"])
	}
	empty, err := c.Logical().List(mount + "/metadata/nothing")
	check(t, err)
	if empty != nil {
		t.Fatalf("empty list: %+v", empty)
	}

	check(t, kv.DeleteMetadata(ctx, "app/db"))
	_, err = kv.GetMetadata(ctx, "app/db")
	if !errors.Is(err, vault.ErrSecretNotFound) {
		t.Fatalf("metadata after delete: %v", err)
	}
}
