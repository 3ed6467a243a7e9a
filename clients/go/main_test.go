// Package clients runs the Vault Go api client (github.com/hashicorp/vault/api)
// against localvault. TestMain starts `node bin/localvault.js server -dev` on a
// port the kernel picks and stops it afterwards; set TEST_VAULT_ADDR (and
// TEST_VAULT_TOKEN) to run the same tests against another server.
package clients

import (
	"bufio"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	vault "github.com/hashicorp/vault/api"
)

const rootToken = "root"

var (
	vaultAddr  string
	vaultToken string
	addrLine   = regexp.MustCompile(`export VAULT_ADDR='([^']+)'`)
)

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	if addr := os.Getenv("TEST_VAULT_ADDR"); addr != "" {
		vaultAddr = addr
		vaultToken = os.Getenv("TEST_VAULT_TOKEN")
		if vaultToken == "" {
			vaultToken = rootToken
		}
		return m.Run()
	}
	stop, err := startLocalVault()
	if err != nil {
		fmt.Fprintln(os.Stderr, "starting localvault:", err)
		return 1
	}
	defer stop()
	return m.Run()
}

// startLocalVault spawns the CLI and reads the address it prints.
func startLocalVault() (func(), error) {
	cli := os.Getenv("LOCALVAULT_BIN")
	if cli == "" {
		cli = filepath.Join("..", "..", "bin", "localvault.js")
	}
	cmd := exec.Command("node", cli, "server", "-dev", "-dev-root-token-id="+rootToken,
		"-dev-listen-address=127.0.0.1:0", "-log-level=warn")
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	stop := func() {
		_ = cmd.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
	}

	found := make(chan string, 1)
	go func() {
		// Keep draining stdout for the whole run so the server never blocks on it.
		scanner := bufio.NewScanner(out)
		sent := false
		for scanner.Scan() {
			if m := addrLine.FindStringSubmatch(scanner.Text()); m != nil && !sent {
				found <- m[1]
				sent = true
			}
		}
		if !sent {
			close(found)
		}
	}()
	select {
	case addr, ok := <-found:
		if !ok {
			stop()
			return nil, errors.New("localvault exited before printing its address")
		}
		vaultAddr, vaultToken = addr, rootToken
	case <-time.After(20 * time.Second):
		stop()
		return nil, errors.New("localvault did not print its address within 20s")
	}
	for i := 0; i < 100; i++ {
		if resp, err := http.Get(vaultAddr + "/v1/sys/health"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return stop, nil
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	stop()
	return nil, errors.New("localvault never answered /v1/sys/health")
}

// newClient returns an api client for the server under test, with token tok
// (the root token when empty). Retries are off so a wrong 5xx fails at once.
func newClient(t *testing.T, tok string) *vault.Client {
	t.Helper()
	cfg := vault.DefaultConfig()
	cfg.Address = vaultAddr
	cfg.MaxRetries = 0
	c, err := vault.NewClient(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if tok == "" {
		tok = vaultToken
	}
	c.SetToken(tok)
	return c
}

// suffix makes names unique so the suite can run against a long-lived server.
func suffix(t *testing.T) string {
	t.Helper()
	b := make([]byte, 4)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}

// responseError asserts err is an *api.ResponseError with the given status.
func responseError(t *testing.T, err error, status int) *vault.ResponseError {
	t.Helper()
	var re *vault.ResponseError
	if !errors.As(err, &re) {
		t.Fatalf("want a %d ResponseError, got %v", status, err)
	}
	if re.StatusCode != status {
		t.Fatalf("want status %d, got %d: %v", status, re.StatusCode, err)
	}
	return re
}

func mustContain(t *testing.T, text, want string) {
	t.Helper()
	if !strings.Contains(text, want) {
		t.Fatalf("%q does not contain %q", text, want)
	}
}

func check(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func equal[T comparable](t *testing.T, got, want T, what string) {
	t.Helper()
	if got != want {
		t.Fatalf("%s: got %v, want %v", what, got, want)
	}
}
