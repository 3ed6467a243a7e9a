"""Start and stop a localvault dev server for a test session.

The server is the repository's own CLI (`node bin/localvault.js server -dev`)
listening on a port the kernel picks; the address is read from the line the
CLI prints (`export VAULT_ADDR='...'`), so no port is ever guessed. Set
TEST_VAULT_ADDR (and TEST_VAULT_TOKEN) to run the same tests against another
server instead, e.g. a real Vault or OpenBao dev server.
"""
import os
import re
import subprocess
import tempfile
import time
import urllib.request

ROOT_TOKEN = 'root'
_ADDR_LINE = re.compile(r"export VAULT_ADDR='([^']+)'")


def _default_cli():
    """This repository's CLI when the example sits in it, else `localvault` on PATH."""
    here = os.path.dirname(os.path.abspath(__file__))
    in_repo = os.path.join(here, '..', '..', '..', 'bin', 'localvault.js')
    if os.path.exists(in_repo):
        return ['node', os.path.normpath(in_repo)]
    return ['localvault']


class LocalVault:
    def __init__(self, addr, token, proc=None, log_path=None):
        self.addr = addr
        self.token = token
        self._proc = proc
        self._log_path = log_path

    @classmethod
    def start(cls, timeout=20.0):
        external = os.environ.get('TEST_VAULT_ADDR')
        if external:
            return cls(external, os.environ.get('TEST_VAULT_TOKEN', ROOT_TOKEN))
        cli = ['node', os.environ['LOCALVAULT_BIN']] if os.environ.get('LOCALVAULT_BIN') else _default_cli()
        log = tempfile.NamedTemporaryFile(prefix='localvault-', suffix='.log', delete=False)
        proc = subprocess.Popen(
            cli + ['server', '-dev', '-dev-root-token-id=' + ROOT_TOKEN,
             '-dev-listen-address=127.0.0.1:0', '-log-level=warn'],
            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        log.close()
        server = cls(None, ROOT_TOKEN, proc, log.name)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise RuntimeError('localvault exited early:\n' + server.log_text())
            match = _ADDR_LINE.search(server.log_text())
            if match and server._healthy(match.group(1)):
                server.addr = match.group(1)
                return server
            time.sleep(0.05)
        server.stop()
        raise RuntimeError('localvault did not start in %.0fs:\n%s' % (timeout, server.log_text()))

    @staticmethod
    def _healthy(addr):
        try:
            with urllib.request.urlopen(addr + '/v1/sys/health', timeout=2) as resp:
                return resp.status == 200
        except OSError:
            return False

    def log_text(self):
        if not self._log_path:
            return ''
        with open(self._log_path, encoding='utf-8', errors='replace') as f:
            return f.read()

    def stop(self):
        if self._proc is None:
            return
        self._proc.terminate()
        try:
            self._proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()
        self._proc = None
        os.unlink(self._log_path)
