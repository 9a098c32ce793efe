"""Where a reference backend keeps its data.

LEGACY_DATABASE is either a PostgreSQL DSN (``postgresql://user:password@host:port/dbname``) or a path to an SQLite
file (the default, ``legacy.sqlite3`` in the working directory). The Django backends turn it into ``DATABASES``; the
Flask backend opens it with the DB-API driver of the same engine.
"""
import os
from urllib.parse import unquote, urlparse


def target():
    return os.environ.get('LEGACY_DATABASE', 'legacy.sqlite3')


def is_postgres(value=None):
    value = target() if value is None else value
    return value.startswith('postgres://') or value.startswith('postgresql://')


def postgres_params(value=None):
    url = urlparse(target() if value is None else value)
    return {
        'NAME': unquote(url.path.lstrip('/')),
        'USER': unquote(url.username or ''),
        'PASSWORD': unquote(url.password or ''),
        'HOST': url.hostname or '127.0.0.1',
        'PORT': str(url.port or 5432),
    }


def django_databases():
    if is_postgres():
        return {'default': dict(ENGINE='django.db.backends.postgresql', **postgres_params())}
    return {'default': {'ENGINE': 'django.db.backends.sqlite3', 'NAME': os.path.abspath(target())}}


def connect():
    """A DB-API connection for code outside Django (the Flask backend)."""
    if is_postgres():
        import psycopg2
        p = postgres_params()
        return psycopg2.connect(dbname=p['NAME'], user=p['USER'], password=p['PASSWORD'], host=p['HOST'],
                                port=p['PORT'])
    import sqlite3
    return sqlite3.connect(os.path.abspath(target()), isolation_level=None)
