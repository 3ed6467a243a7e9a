"""The app's only door to Vault: an hvac client built from VAULT_ADDR and
VAULT_TOKEN, Transit encryption for fields, and the setup the app needs."""
import base64
import functools
import os

import hvac
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


@functools.lru_cache(maxsize=4)
def _client(addr, token):
    return hvac.Client(url=addr, token=token)


def get_client():
    """An hvac client for the Vault named by VAULT_ADDR, authenticated by VAULT_TOKEN."""
    addr = os.environ.get('VAULT_ADDR')
    token = os.environ.get('VAULT_TOKEN')
    if not addr or not token:
        raise ImproperlyConfigured('Set VAULT_ADDR and VAULT_TOKEN in the environment to reach Vault.')
    return _client(addr, token)


def encrypt(plaintext):
    """Encrypt text with the app's Transit key; returns `vault:vN:...` ciphertext."""
    resp = get_client().secrets.transit.encrypt_data(
        name=settings.VAULT_TRANSIT_KEY,
        plaintext=base64.b64encode(plaintext.encode('utf-8')).decode('ascii'),
        mount_point=settings.VAULT_TRANSIT_MOUNT,
    )
    return resp['data']['ciphertext']


def decrypt(ciphertext):
    """Decrypt `vault:vN:...` ciphertext made by encrypt(), with any key version still allowed."""
    resp = get_client().secrets.transit.decrypt_data(
        name=settings.VAULT_TRANSIT_KEY,
        ciphertext=ciphertext,
        mount_point=settings.VAULT_TRANSIT_MOUNT,
    )
    return base64.b64decode(resp['data']['plaintext']).decode('utf-8')


def rewrap(ciphertext):
    """Re-encrypt ciphertext under the newest key version without seeing the plaintext."""
    resp = get_client().secrets.transit.rewrap_data(
        name=settings.VAULT_TRANSIT_KEY,
        ciphertext=ciphertext,
        mount_point=settings.VAULT_TRANSIT_MOUNT,
    )
    return resp['data']['ciphertext']


def ensure_transit():
    """`vault secrets enable transit` and `vault write -f transit/keys/<key>`, done once.

    Creating a key that exists already changes nothing, so this is safe to repeat.
    """
    client = get_client()
    mount = settings.VAULT_TRANSIT_MOUNT
    if mount + '/' not in client.sys.list_mounted_secrets_engines()['data']:
        client.sys.enable_secrets_engine('transit', path=mount)
    client.secrets.transit.create_key(name=settings.VAULT_TRANSIT_KEY, mount_point=mount)
