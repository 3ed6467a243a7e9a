"""Auth check and the mount table, as hvac users call them."""
import hvac
import pytest
from hvac import exceptions


def test_root_token_is_authenticated(client, vault):
    assert client.is_authenticated() is True
    me = client.lookup_token()['data']
    assert me['id'] == vault.token
    assert me['policies'] == ['root']
    assert me['ttl'] == 0
    assert me['expire_time'] is None


def test_bad_token_is_not_authenticated(vault):
    assert hvac.Client(url=vault.addr, token='not-a-real-token').is_authenticated() is False
    with pytest.raises(exceptions.Forbidden) as err:
        hvac.Client(url=vault.addr, token='not-a-real-token').lookup_token()
    assert 'permission denied' in str(err.value)


def test_health_and_seal_status(client):
    # hvac's default health check is a HEAD request that only reads the status.
    assert client.sys.read_health_status().status_code == 200
    health = client.sys.read_health_status(method='GET')
    assert health['initialized'] is True
    assert health['sealed'] is False
    assert isinstance(health['server_time_utc'], int)
    assert client.sys.is_sealed() is False
    assert client.sys.is_initialized() is True


def test_list_mounts_has_dev_mounts(client):
    mounts = client.sys.list_mounted_secrets_engines()
    # Legacy sys/ paths answer both at the top level and under "data".
    for table in (mounts, mounts['data']):
        assert table['secret/']['type'] == 'kv'
        assert table['secret/']['options'] == {'version': '2'}
        assert table['sys/']['type'] == 'system'
        assert table['cubbyhole/']['type'] == 'cubbyhole'
    assert isinstance(mounts['data']['secret/']['config']['default_lease_ttl'], int)


def test_enable_tune_and_disable_a_mount(client, sfx):
    path = 'transit-m-' + sfx
    resp = client.sys.enable_secrets_engine('transit', path=path, description='suite mount')
    assert resp.status_code == 204
    try:
        entry = client.sys.list_mounted_secrets_engines()['data'][path + '/']
        assert entry['type'] == 'transit'
        assert entry['description'] == 'suite mount'
        assert entry['accessor'].startswith('transit_')

        with pytest.raises(exceptions.InvalidRequest) as err:
            client.sys.enable_secrets_engine('transit', path=path)
        assert 'path is already in use at %s/' % path in str(err.value)

        client.sys.tune_mount_configuration(path, default_lease_ttl='1h', description='tuned')
        tuned = client.sys.read_mount_configuration(path)['data']
        assert tuned['default_lease_ttl'] == 3600
        assert tuned['description'] == 'tuned'
    finally:
        assert client.sys.disable_secrets_engine(path).status_code == 204
    assert path + '/' not in client.sys.list_mounted_secrets_engines()['data']


def test_unknown_engine_type_is_rejected(client, sfx):
    with pytest.raises(exceptions.InvalidRequest) as err:
        client.sys.enable_secrets_engine('no-such-engine', path='x-' + sfx)
    assert 'no-such-engine' in str(err.value)
