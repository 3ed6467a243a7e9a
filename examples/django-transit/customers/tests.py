"""The example end to end against a live localvault (see test_runner.py)."""
import base64
import io
import os
from unittest import mock

from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import connection
from django.test import TestCase, override_settings
from django.urls import reverse
from hvac import exceptions

from . import vault
from .models import Customer
from .payments import payment_api_key

PEOPLE = [
    ('Ada Lovelace', 'ada@example.com', '12 St James Square, London'),
    ('Grace Hopper', 'grace@example.com', '1 Navy Yard, Arlington VA'),
    ('Alan Turing', 'alan@example.com', 'Bletchley Park, Milton Keynes'),
]


def stored_rows():
    """What the database really holds, bypassing the model."""
    with connection.cursor() as cursor:
        cursor.execute('SELECT id, name, email, address FROM customers_customer ORDER BY id')
        return cursor.fetchall()


class TransitSetupTests(TestCase):
    def test_setup_enables_transit_and_creates_the_key(self):
        out = io.StringIO()
        call_command('vault_setup', stdout=out)
        call_command('vault_setup', stdout=out)  # repeating it is harmless
        self.assertEqual(out.getvalue(), 'transit ready\ntransit ready\n')
        client = vault.get_client()
        self.assertEqual(client.sys.list_mounted_secrets_engines()['data']['transit/']['type'], 'transit')
        key = client.secrets.transit.read_key('django-encryption-key')['data']
        self.assertEqual(key['type'], 'aes256-gcm96')
        self.assertEqual(key['latest_version'], 1)

    def test_vault_settings_come_from_the_environment_only(self):
        with mock.patch.dict(os.environ, {'VAULT_ADDR': '', 'VAULT_TOKEN': ''}):
            with self.assertRaises(ImproperlyConfigured):
                vault.get_client()
        with mock.patch.dict(os.environ, {'VAULT_TOKEN': 'not-a-token'}):
            with self.assertRaises(exceptions.Forbidden):
                vault.encrypt('x')


class CustomerEncryptionTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        vault.ensure_transit()

    def test_database_holds_only_ciphertext(self):
        for name, email, address in PEOPLE:
            Customer.objects.create(name=name, email=email, address=address)
        rows = stored_rows()
        self.assertEqual(len(rows), 3)
        for (_, name, email, stored), (_, _, address) in zip(rows, PEOPLE):
            self.assertTrue(stored.startswith('vault:v1:'), stored)
            self.assertNotIn(address, stored)
            self.assertNotIn(base64.b64encode(address.encode()).decode(), stored)
        self.assertEqual(len({row[3] for row in rows}), 3)

    def test_addresses_decrypt_after_a_fresh_load(self):
        ids = [Customer.objects.create(name=n, email=e, address=a).pk for n, e, a in PEOPLE]
        loaded = Customer.objects.in_bulk(ids)
        self.assertEqual([loaded[i].address for i in ids], [a for _, _, a in PEOPLE])

    def test_changing_the_address_re_encrypts(self):
        customer = Customer.objects.create(name='Ada', email='ada@example.com', address='Old Road 1')
        before = customer.address_ciphertext
        customer.address = 'New Road 2'
        customer.save()
        self.assertNotEqual(customer.address_ciphertext, before)
        self.assertEqual(Customer.objects.get(pk=customer.pk).address, 'New Road 2')
        customer.name = 'Ada L.'
        customer.save()  # an unchanged address is not encrypted again
        self.assertEqual(Customer.objects.get(pk=customer.pk).address_ciphertext, customer.address_ciphertext)

    def test_detail_view_renders_the_decrypted_address(self):
        customer = Customer.objects.create(name='Grace Hopper', email='grace@example.com',
                                           address='1 Navy Yard, Arlington VA')
        resp = self.client.get(reverse('customers:detail', args=[customer.pk]))
        self.assertEqual(resp.status_code, 200)
        self.assertContains(resp, '<dd class="address">1 Navy Yard, Arlington VA</dd>', html=True)
        self.assertNotContains(resp, 'vault:v')

    def test_unknown_customer_is_404(self):
        resp = self.client.get(reverse('customers:detail', args=[999999]))
        self.assertEqual(resp.status_code, 404)


@override_settings(VAULT_TRANSIT_KEY='django-rotation-test-key')
class KeyRotationTests(TestCase):
    def setUp(self):
        vault.ensure_transit()

    def tearDown(self):
        client = vault.get_client()
        client.secrets.transit.update_key_configuration('django-rotation-test-key', deletion_allowed=True)
        client.secrets.transit.delete_key('django-rotation-test-key')

    def test_old_rows_stay_readable_after_rotation(self):
        old = Customer.objects.create(name='Alan Turing', email='alan@example.com',
                                      address='Bletchley Park, Milton Keynes')
        self.assertTrue(old.address_ciphertext.startswith('vault:v1:'))

        vault.get_client().secrets.transit.rotate_key('django-rotation-test-key')
        new = Customer.objects.create(name='Ada Lovelace', email='ada@example.com',
                                      address='12 St James Square, London')
        self.assertTrue(new.address_ciphertext.startswith('vault:v2:'))

        self.assertEqual(Customer.objects.get(pk=old.pk).address, 'Bletchley Park, Milton Keynes')
        resp = self.client.get(reverse('customers:detail', args=[old.pk]))
        self.assertContains(resp, 'Bletchley Park, Milton Keynes')

        # Rewrapping moves the old row to the new key version, without the plaintext.
        reloaded = Customer.objects.get(pk=old.pk)
        reloaded.rewrap_address()
        stored = dict((row[0], row[3]) for row in stored_rows())
        self.assertTrue(stored[old.pk].startswith('vault:v2:'))
        self.assertEqual(Customer.objects.get(pk=old.pk).address, 'Bletchley Park, Milton Keynes')

        # Once v1 is retired, only rewrapped rows can be read.
        vault.get_client().secrets.transit.update_key_configuration(
            'django-rotation-test-key', min_decryption_version=2)
        self.assertEqual(Customer.objects.get(pk=old.pk).address, 'Bletchley Park, Milton Keynes')
        with self.assertRaises(exceptions.InvalidRequest):
            vault.decrypt(old.address_ciphertext)


class PaymentKeyTests(TestCase):
    def setUp(self):
        self.kv = vault.get_client().secrets.kv.v2
        self.kv.create_or_update_secret(path='my-app/stripe', secret={'api_key': 'sk_test_4eC39HqLyjWDarjtT1zdp7dc'})

    def tearDown(self):
        self.kv.delete_metadata_and_all_versions(path='my-app/stripe')

    def test_reads_the_api_key_from_kv_v2(self):
        self.assertEqual(payment_api_key(), 'sk_test_4eC39HqLyjWDarjtT1zdp7dc')

    def test_reads_the_latest_version(self):
        self.kv.create_or_update_secret(path='my-app/stripe', secret={'api_key': 'sk_test_rotated'})
        self.assertEqual(payment_api_key(), 'sk_test_rotated')

    def test_deleted_key_raises_invalid_path(self):
        self.kv.delete_latest_version_of_secret(path='my-app/stripe')
        with self.assertRaises(exceptions.InvalidPath):
            payment_api_key()

    def test_classic_mistake_mount_in_path_is_404(self):
        """The mount name inside `path` is joined under the default mount point again."""
        with self.assertRaises(exceptions.InvalidPath) as ctx:
            self.kv.read_secret_version(path='secret/my-app/stripe', raise_on_deleted_version=True)
        self.assertIn('/v1/secret/data/secret/my-app/stripe', str(ctx.exception))
        # Vault's plain not-found: 404 with an empty error list, so hvac has no message.
        self.assertTrue(str(ctx.exception).startswith('None, on get '), str(ctx.exception))
