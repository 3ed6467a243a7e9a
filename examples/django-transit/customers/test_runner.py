"""Django's test runner, with a localvault dev server around the run.

The server is started before the tests and stopped after them; VAULT_ADDR
and VAULT_TOKEN point at it meanwhile, exactly as an operator would set them.
Set TEST_VAULT_ADDR/TEST_VAULT_TOKEN to use another server instead.
"""
import os

from django.test.runner import DiscoverRunner

from .localvault import LocalVault


class LocalVaultTestRunner(DiscoverRunner):
    def setup_test_environment(self, **kwargs):
        self._vault = LocalVault.start()
        self._saved_env = {k: os.environ.get(k) for k in ('VAULT_ADDR', 'VAULT_TOKEN')}
        os.environ['VAULT_ADDR'] = self._vault.addr
        os.environ['VAULT_TOKEN'] = self._vault.token
        super().setup_test_environment(**kwargs)

    def teardown_test_environment(self, **kwargs):
        super().teardown_test_environment(**kwargs)
        for key, value in self._saved_env.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        self._vault.stop()
