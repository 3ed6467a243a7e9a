package clients

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"

	vault "github.com/hashicorp/vault/api"
)

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

func unb64(t *testing.T, v interface{}) string {
	t.Helper()
	s, ok := v.(string)
	if !ok {
		t.Fatalf("plaintext is %T, not a string", v)
	}
	raw, err := base64.StdEncoding.DecodeString(s)
	check(t, err)
	return string(raw)
}

func asInt(t *testing.T, v interface{}) int64 {
	t.Helper()
	n, ok := v.(json.Number)
	if !ok {
		t.Fatalf("%v is %T, not a number", v, v)
	}
	i, err := n.Int64()
	check(t, err)
	return i
}

func transitMount(t *testing.T, c *vault.Client) string {
	t.Helper()
	mount := "transit-go-" + suffix(t)
	check(t, c.Sys().Mount(mount, &vault.MountInput{Type: "transit"}))
	t.Cleanup(func() { _ = c.Sys().Unmount(mount) })
	return mount
}

func TestTransit(t *testing.T) {
	c := newClient(t, "")
	mount := transitMount(t, c)
	l := c.Logical()

	_, err := l.Write(mount+"/keys/payments", nil)
	check(t, err)
	key, err := l.Read(mount + "/keys/payments")
	check(t, err)
	equal(t, key.Data["type"].(string), "aes256-gcm96", "key type")
	equal(t, asInt(t, key.Data["latest_version"]), 1, "latest_version")
	equal(t, key.Data["deletion_allowed"].(bool), false, "deletion_allowed")
	keys := key.Data["keys"].(map[string]interface{})
	if len(keys) != 1 || asInt(t, keys["1"]) <= 0 {
		t.Fatalf("keys: %v", keys)
	}

	list, err := l.List(mount + "/keys")
	check(t, err)
	equal(t, len(list.Data["keys"].([]interface{})), 1, "listed keys")

	// Encrypt, decrypt.
	enc, err := l.Write(mount+"/encrypt/payments", map[string]interface{}{"plaintext": b64("iban DE89")})
	check(t, err)
	v1 := enc.Data["ciphertext"].(string)
	if !strings.HasPrefix(v1, "vault:v1:") {
		t.Fatalf("ciphertext %q", v1)
	}
	dec, err := l.Write(mount+"/decrypt/payments", map[string]interface{}{"ciphertext": v1})
	check(t, err)
	equal(t, unb64(t, dec.Data["plaintext"]), "iban DE89", "decrypted")

	// Rotate: new writes use v2, v1 still decrypts, rewrap moves v1 to v2.
	_, err = l.Write(mount+"/keys/payments/rotate", nil)
	check(t, err)
	key, err = l.Read(mount + "/keys/payments")
	check(t, err)
	equal(t, asInt(t, key.Data["latest_version"]), 2, "latest_version after rotate")
	enc2, err := l.Write(mount+"/encrypt/payments", map[string]interface{}{"plaintext": b64("x")})
	check(t, err)
	if !strings.HasPrefix(enc2.Data["ciphertext"].(string), "vault:v2:") {
		t.Fatalf("after rotate: %v", enc2.Data["ciphertext"])
	}
	rw, err := l.Write(mount+"/rewrap/payments", map[string]interface{}{"ciphertext": v1})
	check(t, err)
	v2 := rw.Data["ciphertext"].(string)
	if !strings.HasPrefix(v2, "vault:v2:") {
		t.Fatalf("rewrapped %q", v2)
	}
	dec, err = l.Write(mount+"/decrypt/payments", map[string]interface{}{"ciphertext": v2})
	check(t, err)
	equal(t, unb64(t, dec.Data["plaintext"]), "iban DE89", "decrypted rewrap")

	// Batch, in order.
	words := []string{"one", "two", "three"}
	in := []interface{}{}
	for _, w := range words {
		in = append(in, map[string]interface{}{"plaintext": b64(w)})
	}
	benc, err := l.Write(mount+"/encrypt/payments", map[string]interface{}{"batch_input": in})
	check(t, err)
	results := benc.Data["batch_results"].([]interface{})
	equal(t, len(results), 3, "batch results")
	din := []interface{}{}
	for _, r := range results {
		din = append(din, map[string]interface{}{"ciphertext": r.(map[string]interface{})["ciphertext"]})
	}
	bdec, err := l.Write(mount+"/decrypt/payments", map[string]interface{}{"batch_input": din})
	check(t, err)
	for i, r := range bdec.Data["batch_results"].([]interface{}) {
		equal(t, unb64(t, r.(map[string]interface{})["plaintext"]), words[i], "batch item")
	}

	// A bad batch item: the call is a 400 whose body is the normal response,
	// with no "errors" key; the good item still carries its plaintext.
	body, _ := json.Marshal(map[string]interface{}{
		"batch_input": []interface{}{map[string]interface{}{"ciphertext": v1}, map[string]interface{}{"ciphertext": "junk"}},
	})
	raw, err := l.WriteRaw(mount+"/decrypt/payments", body)
	re := responseError(t, err, 400)
	equal(t, len(re.Errors), 0, "errors in a partial batch failure")
	partial, err := vault.ParseSecret(raw.Body)
	check(t, err)
	items := partial.Data["batch_results"].([]interface{})
	equal(t, unb64(t, items[0].(map[string]interface{})["plaintext"]), "iban DE89", "good batch item")
	mustContain(t, items[1].(map[string]interface{})["error"].(string), "invalid ciphertext")

	// Retire v1.
	_, err = l.Write(mount+"/keys/payments/config", map[string]interface{}{"min_decryption_version": 2})
	check(t, err)
	_, err = l.Write(mount+"/decrypt/payments", map[string]interface{}{"ciphertext": v1})
	re = responseError(t, err, 400)
	mustContain(t, re.Error(), "ciphertext or signature version is disallowed by policy (too old)")

	// Missing key reads as nil, nil (404 with an empty error list).
	missing, err := l.Read(mount + "/keys/nope")
	check(t, err)
	if missing != nil {
		t.Fatalf("missing key: %+v", missing)
	}
}
