"""KV v2 through hvac: versions, soft delete, undelete, destroy, metadata, list."""
import inspect
import warnings

import pytest
from hvac import exceptions


def read(client, path, mount, version=None):
    """read_secret_version that raises on deleted versions in every hvac version.

    hvac >= 1.0 warns unless raise_on_deleted_version is given; 0.11 always raises.
    """
    kv = client.secrets.kv.v2
    kwargs = {'path': path, 'version': version, 'mount_point': mount}
    if 'raise_on_deleted_version' in inspect.signature(kv.read_secret_version).parameters:
        kwargs['raise_on_deleted_version'] = True
    return kv.read_secret_version(**kwargs)


@pytest.fixture
def kv(client, sfx):
    mount = 'kv-' + sfx
    client.sys.enable_secrets_engine('kv', path=mount, options={'version': '2'})
    yield mount
    client.sys.disable_secrets_engine(mount)


def test_write_and_read_versions(client, kv):
    v2 = client.secrets.kv.v2
    first = v2.create_or_update_secret(path='app/db', secret={'user': 'app', 'password': 'one'}, mount_point=kv)
    assert first['data']['version'] == 1
    assert first['data']['deletion_time'] == ''
    assert first['data']['destroyed'] is False
    second = v2.create_or_update_secret(path='app/db', secret={'user': 'app', 'password': 'two'}, mount_point=kv)
    assert second['data']['version'] == 2

    latest = read(client, 'app/db', kv)['data']
    assert latest['data'] == {'user': 'app', 'password': 'two'}
    assert latest['metadata']['version'] == 2
    assert latest['metadata']['deletion_time'] == ''
    assert latest['metadata']['destroyed'] is False
    assert latest['metadata']['created_time'].endswith('Z')
    assert read(client, 'app/db', kv, version=1)['data']['data']['password'] == 'one'


def test_nested_values_survive(client, kv):
    secret = {'list': [1, 2, {'x': True}], 'nested': {'a': None, 'b': 'c'}, 'n': 3}
    client.secrets.kv.v2.create_or_update_secret(path='shapes', secret=secret, mount_point=kv)
    assert read(client, 'shapes', kv)['data']['data'] == secret


def test_missing_secret_is_invalid_path(client, kv):
    with pytest.raises(exceptions.InvalidPath):
        read(client, 'nope', kv)


def test_check_and_set(client, kv):
    v2 = client.secrets.kv.v2
    v2.create_or_update_secret(path='cas', secret={'a': '1'}, cas=0, mount_point=kv)
    with pytest.raises(exceptions.InvalidRequest) as err:
        v2.create_or_update_secret(path='cas', secret={'a': '2'}, cas=0, mount_point=kv)
    assert 'check-and-set parameter did not match the current version' in str(err.value)
    assert v2.create_or_update_secret(path='cas', secret={'a': '2'}, cas=1, mount_point=kv)['data']['version'] == 2


def test_patch_merges_into_a_new_version(client, kv):
    v2 = client.secrets.kv.v2
    v2.create_or_update_secret(path='p', secret={'a': '1', 'b': '2'}, mount_point=kv)
    v2.patch(path='p', secret={'b': '3', 'c': '4'}, mount_point=kv)
    got = read(client, 'p', kv)['data']
    assert got['data'] == {'a': '1', 'b': '3', 'c': '4'}
    assert got['metadata']['version'] == 2


def test_delete_undelete_destroy(client, kv):
    v2 = client.secrets.kv.v2
    for n in ('1', '2', '3'):
        v2.create_or_update_secret(path='life', secret={'n': n}, mount_point=kv)

    # Soft delete of the latest version: a 404 whose body is the normal response.
    assert v2.delete_latest_version_of_secret(path='life', mount_point=kv).status_code == 204
    with pytest.raises(exceptions.InvalidPath) as err:
        read(client, 'life', kv)
    assert '"deletion_time"' in str(err.value) and '"data":null' in str(err.value).replace(' ', '')
    if 'raise_on_deleted_version' in inspect.signature(v2.read_secret_version).parameters:
        body = v2.read_secret_version(path='life', mount_point=kv, raise_on_deleted_version=False)
        assert body['data']['data'] is None
        assert body['data']['metadata']['version'] == 3
        assert body['data']['metadata']['deletion_time'] != ''

    v2.undelete_secret_versions(path='life', versions=[3], mount_point=kv)
    assert read(client, 'life', kv)['data']['data'] == {'n': '3'}

    v2.delete_secret_versions(path='life', versions=[1], mount_point=kv)
    v2.destroy_secret_versions(path='life', versions=[2], mount_point=kv)
    with pytest.raises(exceptions.InvalidPath):
        read(client, 'life', kv, version=1)
    with pytest.raises(exceptions.InvalidPath):
        read(client, 'life', kv, version=2)

    meta = v2.read_secret_metadata(path='life', mount_point=kv)['data']
    assert meta['current_version'] == 3
    assert meta['oldest_version'] == 0
    assert meta['max_versions'] == 0
    assert meta['cas_required'] is False
    assert meta['delete_version_after'] == '0s'
    assert sorted(meta['versions']) == ['1', '2', '3']
    assert meta['versions']['1']['deletion_time'] != '' and meta['versions']['1']['destroyed'] is False
    assert meta['versions']['2']['destroyed'] is True
    assert meta['versions']['3'] == {
        'created_time': meta['versions']['3']['created_time'], 'deletion_time': '', 'destroyed': False}


def test_metadata_update(client, kv):
    v2 = client.secrets.kv.v2
    v2.create_or_update_secret(path='m', secret={'a': 'b'}, mount_point=kv)
    v2.update_metadata(path='m', max_versions=5, cas_required=True, mount_point=kv)
    meta = v2.read_secret_metadata(path='m', mount_point=kv)['data']
    assert meta['max_versions'] == 5
    assert meta['cas_required'] is True
    with pytest.raises(exceptions.InvalidRequest) as err:
        v2.create_or_update_secret(path='m', secret={'a': 'c'}, mount_point=kv)
    assert 'check-and-set parameter required for this call' in str(err.value)


def test_list_and_delete_metadata(client, kv):
    v2 = client.secrets.kv.v2
    for path in ('team/a', 'team/b', 'team/sub/c', 'top'):
        v2.create_or_update_secret(path=path, secret={'k': 'v'}, mount_point=kv)
    assert v2.list_secrets(path='team', mount_point=kv)['data']['keys'] == ['a', 'b', 'sub/']
    assert v2.list_secrets(path='', mount_point=kv)['data']['keys'] == ['team/', 'top']

    assert v2.delete_metadata_and_all_versions(path='top', mount_point=kv).status_code == 204
    with pytest.raises(exceptions.InvalidPath):
        v2.read_secret_metadata(path='top', mount_point=kv)
    with pytest.raises(exceptions.InvalidPath):
        v2.list_secrets(path='nothing-here', mount_point=kv)


def test_classic_mistake_mount_name_in_path(client, sfx):
    """read_secret_version(path='secret/...') asks for secret/data/secret/...: a 404."""
    v2 = client.secrets.kv.v2
    path = 'my-app-%s/stripe' % sfx
    v2.create_or_update_secret(path=path, secret={'api_key': 'sk_test_123'})
    try:
        with pytest.raises(exceptions.InvalidPath) as err:
            read(client, 'secret/' + path, 'secret')
        assert '/v1/secret/data/secret/' + path in str(err.value)
        assert read(client, path, 'secret')['data']['data'] == {'api_key': 'sk_test_123'}
    finally:
        v2.delete_metadata_and_all_versions(path=path)
