"""Settings for the django-transit example.

Vault is reached through VAULT_ADDR and VAULT_TOKEN, read from the
environment when a call is made (customers/vault.py); nothing here or
anywhere in the code holds a Vault address or token.
"""
import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

# Example only: a real deployment reads this from its environment too.
SECRET_KEY = os.environ.get('DJANGO_SECRET_KEY', 'django-insecure-example-only')
DEBUG = os.environ.get('DJANGO_DEBUG', '') == '1'
ALLOWED_HOSTS = ['localhost', '127.0.0.1', 'testserver']

INSTALLED_APPS = [
    'django.contrib.contenttypes',
    'django.contrib.staticfiles',
    'customers',
]

MIDDLEWARE = [
    'django.middleware.security.SecurityMiddleware',
    'django.middleware.common.CommonMiddleware',
]

ROOT_URLCONF = 'shop.urls'

TEMPLATES = [
    {
        'BACKEND': 'django.template.backends.django.DjangoTemplates',
        'DIRS': [],
        'APP_DIRS': True,
        'OPTIONS': {'context_processors': ['django.template.context_processors.request']},
    },
]

WSGI_APPLICATION = 'shop.wsgi.application'

DATABASES = {
    'default': {
        'ENGINE': 'django.db.backends.sqlite3',
        'NAME': BASE_DIR / 'db.sqlite3',
    }
}

DEFAULT_AUTO_FIELD = 'django.db.models.BigAutoField'
USE_TZ = True
TIME_ZONE = 'UTC'
STATIC_URL = 'static/'

# Where the Transit key and the payment provider's API key live.
VAULT_TRANSIT_MOUNT = 'transit'
VAULT_TRANSIT_KEY = 'django-encryption-key'
VAULT_KV_MOUNT = 'secret'
VAULT_PAYMENT_SECRET_PATH = 'my-app/stripe'

# The tests start their own localvault and point VAULT_ADDR at it.
TEST_RUNNER = 'customers.test_runner.LocalVaultTestRunner'
