from django.db import models

from . import vault


class Customer(models.Model):
    """A customer whose postal address is stored only as Transit ciphertext.

    Assign the plaintext to `address` (or pass address=... to the constructor);
    save() encrypts it, and reading `address` decrypts it on first use.
    """

    name = models.CharField(max_length=200)
    email = models.EmailField()
    address_ciphertext = models.TextField(db_column='address', editable=False)

    _address = None
    _address_changed = False

    def __str__(self):
        return self.name

    @property
    def address(self):
        if self._address is None and self.address_ciphertext:
            self._address = vault.decrypt(self.address_ciphertext)
        return self._address

    @address.setter
    def address(self, value):
        self._address = value
        self._address_changed = True

    def save(self, *args, **kwargs):
        if self._address_changed:
            self.address_ciphertext = vault.encrypt(self._address or '')
            self._address_changed = False
        super().save(*args, **kwargs)

    def rewrap_address(self):
        """Move the stored ciphertext to the newest key version (after a rotation)."""
        self.address_ciphertext = vault.rewrap(self.address_ciphertext)
        self.save(update_fields=['address_ciphertext'])
