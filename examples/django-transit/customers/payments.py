"""The payment provider's API key, read from KV v2 when it is needed."""
from django.conf import settings

from .vault import get_client


def payment_api_key():
    """The `api_key` field of the latest version of secret/my-app/stripe.

    The mount goes in mount_point and the path is relative to it: passing
    path='secret/my-app/stripe' would ask Vault for secret/data/secret/my-app/stripe.
    """
    resp = get_client().secrets.kv.v2.read_secret_version(
        path=settings.VAULT_PAYMENT_SECRET_PATH,
        mount_point=settings.VAULT_KV_MOUNT,
        raise_on_deleted_version=True,
    )
    return resp['data']['data']['api_key']
