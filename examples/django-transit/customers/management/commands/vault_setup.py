from django.core.management.base import BaseCommand

from customers import vault


class Command(BaseCommand):
    help = 'Enable Transit and create the app key in the Vault at VAULT_ADDR (safe to repeat).'

    def handle(self, *args, **options):
        vault.ensure_transit()
        self.stdout.write('transit ready')
