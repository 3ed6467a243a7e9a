"""Token lifecycle and ACL policies through hvac."""
import hvac
import pytest
from hvac import exceptions


def test_token_create_lookup_renew_revoke(client, vault):
    tokens = client.auth.token
    created = tokens.create(policies=['default'], ttl='1h', meta={'app': 'suite'})
    auth = created['auth']
    token = auth['client_token']
    assert created['data'] is None
    assert auth['policies'] == ['default']
    assert auth['token_policies'] == ['default']
    assert auth['lease_duration'] == 3600
    assert auth['renewable'] is True
    assert auth['orphan'] is False
    assert auth['token_type'] == 'service'
    assert auth['metadata'] == {'app': 'suite'}
    assert auth['accessor'] and auth['accessor'] != token

    info = tokens.lookup(token)['data']
    assert info['id'] == token
    assert info['accessor'] == auth['accessor']
    assert info['policies'] == ['default']
    assert info['meta'] == {'app': 'suite'}
    assert info['display_name'] == 'token-token'  # hvac sends 'token'; Vault prefixes 'token-'
    assert info['type'] == 'service'
    assert 0 < info['ttl'] <= 3600
    assert info['creation_ttl'] == 3600
    assert info['expire_time'].endswith('Z')

    by_accessor = tokens.lookup_accessor(auth['accessor'])['data']
    assert by_accessor['id'] == ''
    assert by_accessor['accessor'] == auth['accessor']

    renewed = tokens.renew(token, increment='2h')['auth']
    assert renewed['client_token'] == token
    assert renewed['lease_duration'] == 7200

    child = hvac.Client(url=vault.addr, token=token)
    assert child.is_authenticated() is True
    assert child.auth.token.lookup_self()['data']['id'] == token
    assert child.auth.token.renew_self(increment='30m')['auth']['lease_duration'] == 1800

    assert tokens.revoke(token).status_code == 204
    assert child.is_authenticated() is False
    with pytest.raises(exceptions.Forbidden):
        child.auth.token.lookup_self()
    with pytest.raises(exceptions.Forbidden) as err:
        tokens.lookup(token)
    assert str(err.value).startswith('bad token, on post ')


def test_child_token_dies_with_its_parent(client, vault, sfx):
    maker = 'token-maker-' + sfx
    client.sys.create_or_update_policy(name=maker, policy='path "auth/token/create" {\n  capabilities = ["update"]\n}\n')
    try:
        parent = client.auth.token.create(policies=[maker], ttl='1h')['auth']['client_token']
        parent_client = hvac.Client(url=vault.addr, token=parent)
        # A non-root token may only give its children a subset of its own policies.
        with pytest.raises(exceptions.InvalidRequest) as err:
            parent_client.auth.token.create(policies=['root'], ttl='10m')
        assert 'child policies must be subset of parent' in str(err.value)
        child = parent_client.auth.token.create(policies=['default'], ttl='10m')['auth']
        assert child['policies'] == ['default']
        assert hvac.Client(url=vault.addr, token=child['client_token']).is_authenticated() is True
        client.auth.token.revoke(parent)
        assert hvac.Client(url=vault.addr, token=child['client_token']).is_authenticated() is False
    finally:
        client.sys.delete_policy(maker)


def test_policy_write_and_denied_calls(client, vault, sfx):
    kv = 'kv-pol-' + sfx
    name = 'app-reader-' + sfx
    client.sys.enable_secrets_engine('kv', path=kv, options={'version': '2'})
    try:
        v2 = client.secrets.kv.v2
        v2.create_or_update_secret(path='app/config', secret={'color': 'blue'}, mount_point=kv)
        v2.create_or_update_secret(path='admin/keys', secret={'k': 'v'}, mount_point=kv)
        rules = 'path "%s/data/app/*" {\n  capabilities = ["read"]\n}\n' % kv
        assert client.sys.create_or_update_policy(name=name, policy=rules).status_code == 204
        assert client.sys.read_policy(name)['data']['rules'] == rules
        assert name in client.sys.list_policies()['data']['policies']

        token = client.auth.token.create(policies=[name], ttl='10m')['auth']['client_token']
        reader = hvac.Client(url=vault.addr, token=token)
        assert reader.lookup_token()['data']['policies'] == sorted(['default', name])

        allowed = reader.secrets.kv.v2.read_secret_version(path='app/config', mount_point=kv)
        assert allowed['data']['data'] == {'color': 'blue'}

        denied = [
            lambda: reader.secrets.kv.v2.create_or_update_secret(path='app/config', secret={'x': 'y'},
                                                                   mount_point=kv),
            lambda: reader.secrets.kv.v2.read_secret_version(path='admin/keys', mount_point=kv),
            lambda: reader.sys.list_mounted_secrets_engines(),
            lambda: reader.sys.create_or_update_policy(name='evil-' + sfx, policy='path "*" {capabilities=["sudo"]}'),
        ]
        for call in denied:
            with pytest.raises(exceptions.Forbidden) as err:
                call()
            assert 'permission denied' in str(err.value)

        client.sys.delete_policy(name)
        with pytest.raises(exceptions.InvalidPath):
            client.sys.read_policy(name)
    finally:
        client.sys.disable_secrets_engine(kv)


def test_bad_policy_is_rejected(client, sfx):
    with pytest.raises(exceptions.InvalidRequest) as err:
        client.sys.create_or_update_policy(name='broken-' + sfx, policy='path "x" { capabilities = ')
    assert 'failed to parse policy' in str(err.value)
