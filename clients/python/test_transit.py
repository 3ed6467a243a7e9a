"""Transit through hvac: keys, encrypt/decrypt, rotate, rewrap, batch."""
import base64

import pytest
from hvac import exceptions


def b64(text):
    return base64.b64encode(text.encode()).decode()


def unb64(text):
    return base64.b64decode(text).decode()


@pytest.fixture
def transit(client, sfx):
    mount = 'transit-' + sfx
    client.sys.enable_secrets_engine('transit', path=mount)
    yield mount
    client.sys.disable_secrets_engine(mount)


def test_create_and_read_key(client, transit):
    client.secrets.transit.create_key('orders', mount_point=transit)
    key = client.secrets.transit.read_key('orders', mount_point=transit)['data']
    assert key['name'] == 'orders'
    assert key['type'] == 'aes256-gcm96'
    assert key['latest_version'] == 1
    assert key['min_decryption_version'] == 1
    assert key['min_encryption_version'] == 0
    assert key['deletion_allowed'] is False
    assert key['exportable'] is False
    assert key['supports_encryption'] is True
    assert list(key['keys']) == ['1']
    assert isinstance(key['keys']['1'], int)
    assert client.secrets.transit.list_keys(mount_point=transit)['data']['keys'] == ['orders']


def test_missing_key_and_empty_list_are_404(client, transit):
    with pytest.raises(exceptions.InvalidPath):
        client.secrets.transit.read_key('nope', mount_point=transit)
    with pytest.raises(exceptions.InvalidPath):
        client.secrets.transit.list_keys(mount_point=transit)


def test_encrypt_decrypt_round_trip(client, transit):
    client.secrets.transit.create_key('orders', mount_point=transit)
    enc = client.secrets.transit.encrypt_data('orders', plaintext=b64('42 Main St'), mount_point=transit)
    ciphertext = enc['data']['ciphertext']
    assert ciphertext.startswith('vault:v1:')
    assert enc['data']['key_version'] == 1
    assert '42 Main St' not in ciphertext
    dec = client.secrets.transit.decrypt_data('orders', ciphertext=ciphertext, mount_point=transit)
    assert unb64(dec['data']['plaintext']) == '42 Main St'

    # AES-GCM uses a fresh nonce each time.
    again = client.secrets.transit.encrypt_data('orders', plaintext=b64('42 Main St'), mount_point=transit)
    assert again['data']['ciphertext'] != ciphertext


def test_empty_plaintext_round_trips(client, transit):
    client.secrets.transit.create_key('orders', mount_point=transit)
    ct = client.secrets.transit.encrypt_data('orders', plaintext='', mount_point=transit)['data']['ciphertext']
    dec = client.secrets.transit.decrypt_data('orders', ciphertext=ct, mount_point=transit)
    assert dec['data']['plaintext'] == ''


def test_bad_ciphertext_is_400(client, transit):
    client.secrets.transit.create_key('orders', mount_point=transit)
    with pytest.raises(exceptions.InvalidRequest) as err:
        client.secrets.transit.decrypt_data('orders', ciphertext='vault:v1:AAAA', mount_point=transit)
    assert 'invalid ciphertext' in str(err.value)
    with pytest.raises(exceptions.InvalidRequest):
        client.secrets.transit.decrypt_data('orders', ciphertext='not-vault-ciphertext', mount_point=transit)


def test_rotate_rewrap_and_min_decryption_version(client, transit):
    t = client.secrets.transit
    t.create_key('orders', mount_point=transit)
    old = t.encrypt_data('orders', plaintext=b64('v1 secret'), mount_point=transit)['data']['ciphertext']

    t.rotate_key('orders', mount_point=transit)
    key = t.read_key('orders', mount_point=transit)['data']
    assert key['latest_version'] == 2
    assert sorted(key['keys']) == ['1', '2']

    new = t.encrypt_data('orders', plaintext=b64('v2 secret'), mount_point=transit)['data']
    assert new['ciphertext'].startswith('vault:v2:')
    assert new['key_version'] == 2
    assert unb64(t.decrypt_data('orders', ciphertext=old, mount_point=transit)['data']['plaintext']) == 'v1 secret'

    rewrapped = t.rewrap_data('orders', ciphertext=old, mount_point=transit)['data']
    assert rewrapped['ciphertext'].startswith('vault:v2:')
    assert rewrapped['key_version'] == 2
    plain = t.decrypt_data('orders', ciphertext=rewrapped['ciphertext'], mount_point=transit)['data']['plaintext']
    assert unb64(plain) == 'v1 secret'

    t.update_key_configuration('orders', min_decryption_version=2, mount_point=transit)
    with pytest.raises(exceptions.InvalidRequest) as err:
        t.decrypt_data('orders', ciphertext=old, mount_point=transit)
    assert 'ciphertext or signature version is disallowed by policy (too old)' in str(err.value)


def test_batch_encrypt_and_decrypt_keep_order(client, transit):
    t = client.secrets.transit
    t.create_key('orders', mount_point=transit)
    words = ['alpha', 'beta', 'gamma']
    enc = t.encrypt_data('orders', plaintext=None, batch_input=[{'plaintext': b64(w)} for w in words],
                         mount_point=transit)
    results = enc['data']['batch_results']
    assert len(results) == 3
    assert all(r['ciphertext'].startswith('vault:v1:') and r['key_version'] == 1 for r in results)

    dec = t.decrypt_data('orders', ciphertext=None, batch_input=[{'ciphertext': r['ciphertext']} for r in results],
                         mount_point=transit)
    assert [unb64(r['plaintext']) for r in dec['data']['batch_results']] == words


def test_batch_with_a_bad_item_reports_it_in_place(client, transit):
    t = client.secrets.transit
    t.create_key('orders', mount_point=transit)
    good = t.encrypt_data('orders', plaintext=b64('ok'), mount_point=transit)['data']['ciphertext']
    # One bad item: the whole call is a 400 whose body is the normal response (no "errors" key).
    with pytest.raises(exceptions.InvalidRequest) as err:
        t.decrypt_data('orders', ciphertext=None, mount_point=transit,
                       batch_input=[{'ciphertext': good}, {'ciphertext': 'garbage'}])
    assert '"batch_results"' in str(err.value)
    assert 'invalid ciphertext' in str(err.value)


def test_key_deletion_needs_deletion_allowed(client, transit):
    t = client.secrets.transit
    t.create_key('doomed', mount_point=transit)
    with pytest.raises(exceptions.InvalidRequest) as err:
        t.delete_key('doomed', mount_point=transit)
    assert 'deletion is not allowed for this key' in str(err.value)
    t.update_key_configuration('doomed', deletion_allowed=True, mount_point=transit)
    assert t.delete_key('doomed', mount_point=transit).status_code == 204
    with pytest.raises(exceptions.InvalidPath):
        t.read_key('doomed', mount_point=transit)
