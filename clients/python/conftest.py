import os
import secrets
import sys

import hvac
import pytest

sys.path.insert(0, os.path.dirname(__file__))
from localvault_process import LocalVault  # noqa: E402


def pytest_report_header(config):
    target = os.environ.get('TEST_VAULT_ADDR') or 'localvault (spawned)'
    return 'hvac %s against %s' % (hvac_version(), target)


def hvac_version():
    try:
        from importlib.metadata import version
        return version('hvac')
    except Exception:  # pragma: no cover
        return 'unknown'


@pytest.fixture(scope='session')
def vault():
    server = LocalVault.start()
    yield server
    server.stop()


@pytest.fixture
def client(vault):
    return hvac.Client(url=vault.addr, token=vault.token)


@pytest.fixture
def sfx():
    """A random suffix so the suite can also run against a long-lived server."""
    return secrets.token_hex(4)
