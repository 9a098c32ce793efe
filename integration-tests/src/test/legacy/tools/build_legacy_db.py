#!/usr/bin/python3
"""Builds legacy databases for the import tests with the frameworks' own code, and exports them.

    python3 tools/build_legacy_db.py --out DIR [--postgres postgresql://user@host:port/db]

Writes into DIR:
  auth_user.json        ``manage.py dumpdata auth.group auth.user`` of a project on Django's own user model
                        (the users-api reference backend): users under every hasher Django 3.2 ships with a library
                        for (pbkdf2_sha256, pbkdf2_sha1, argon2, bcrypt_sha256, bcrypt) with short, long (over bcrypt's
                        72 bytes) and non-ASCII passwords; groups; staff, superuser, inactive; names; plus rows an
                        importer must refuse (an unusable password, Django's md5 hasher).
  custom_user.json      ``dumpdata auth.group tokenauth.user`` of a project with a custom user model holding a phone
                        number and per-channel verified flags (the token-auth reference backend): E.164 and national
                        numbers, an unverified email, a verified and an unverified phone.
  werkzeug_users.csv    Flask-side users with Werkzeug password hashes (``pbkdf2:sha256``, ``pbkdf2:sha1``,
                        ``scrypt``); columns id,username,email,phone_number,phone_verified,password_hash.
  phone_users.csv       the phone-otp reference backend's own users (passwordless), exported by its ``dumpcsv``.
  manifest.json         every user with its password, hasher and expected fields, and the files above.

Every hash comes from the framework that owns the format: Django's make_password with its hasher classes, Werkzeug's
generate_password_hash. One exception: Debian's Werkzeug (2.2) predates the ``scrypt:`` format (Werkzeug 2.3+); those
hashes come from a copy of Werkzeug 3.0's scrypt branch of ``_hash_internal`` below (hashlib.scrypt, the same KDF),
so that the format is exactly what current Flask apps store.

With --postgres, the two Django projects run on two databases created on that server (legacy_auth_user and
legacy_custom_user, dropped first); without it, on SQLite files in DIR.
"""
import argparse
import csv
import hashlib
import json
import os
import secrets
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
LEGACY = os.path.dirname(HERE)
HASHERS = ['pbkdf2_sha256', 'pbkdf2_sha1', 'argon2', 'bcrypt_sha256', 'bcrypt']
PASSWORDS = {
    'short': 'Pw1!',
    'long': 'correct horse battery staple ' * 4 + 'and then some more words to pass 72 bytes',
    'nonascii': 'Pässwörd-ünïcødé-密码-🔑',
}


def django_users():
    """The users of the auth.User project: (username, password, hasher, fields, groups)."""
    users = []
    for hasher in HASHERS:
        for kind, password in PASSWORDS.items():
            users.append(dict(username='%s-%s' % (hasher.replace('_', '-'), kind), password=password, hasher=hasher,
                              fields=dict(email='%s.%s@example.test' % (hasher, kind), first_name='Ada',
                                          last_name='Lovelace-%s' % kind), groups=['customers']))
    users.append(dict(username='staff-member', password='Staff-pass-1', hasher='pbkdf2_sha256',
                      fields=dict(email='staff@example.test', is_staff=True), groups=['customers', 'editors']))
    users.append(dict(username='root', password='Root-pass-1', hasher='argon2',
                      fields=dict(email='root@example.test', is_staff=True, is_superuser=True), groups=[]))
    users.append(dict(username='gone-quiet', password='Inactive-pass-1', hasher='pbkdf2_sha256',
                      fields=dict(email='inactive@example.test', is_active=False), groups=['customers']))
    users.append(dict(username='zoë.ünicode', password=PASSWORDS['nonascii'], hasher='bcrypt_sha256',
                      fields=dict(email='zoe@example.test', first_name='Zoë', last_name='Ünicode'), groups=[]))
    users.append(dict(username='no-email', password='No-email-pass-1', hasher='pbkdf2_sha256', fields={},
                      groups=[]))
    # Rows an importer refuses (or imports without a password when asked to).
    users.append(dict(username='unusable-password', password=None, hasher=None,
                      fields=dict(email='unusable@example.test'), groups=[], refuse='unusable password'))
    users.append(dict(username='md5-hash', password='Md5-pass-1', hasher='md5',
                      fields=dict(email='md5@example.test'), groups=[], refuse='unsupported hasher md5'))
    return users


def custom_users():
    """The users of the custom user model project (phone numbers and verified flags)."""
    return [
        dict(username='phone-verified', password='Phone-pass-1', hasher='pbkdf2_sha256',
             fields=dict(email='pv@example.test', phone_number='+4915112340001', is_phone_verified=True,
                         is_email_verified=True), groups=['customers']),
        dict(username='phone-unverified', password='Phone-pass-2', hasher='argon2',
             fields=dict(email='', phone_number='+4915112340002', is_phone_verified=False), groups=[]),
        dict(username='national-number', password='Phone-pass-3', hasher='bcrypt_sha256',
             fields=dict(email='national@example.test', phone_number='0151 12340003', is_phone_verified=True,
                         is_email_verified=True), groups=[]),
        dict(username='email-unverified', password='Email-pass-4', hasher='pbkdf2_sha1',
             fields=dict(email='unverified@example.test', phone_number='', is_email_verified=False), groups=[]),
        dict(username='bad-phone', password='Phone-pass-5', hasher='bcrypt',
             fields=dict(email='badphone@example.test', phone_number='12', is_phone_verified=False,
                         is_email_verified=True), groups=['customers'], refuse_phone='not a phone number'),
        dict(username='staff-phone', password=PASSWORDS['nonascii'], hasher='argon2',
             fields=dict(email='staffphone@example.test', phone_number='+447700900123', is_phone_verified=True,
                         is_email_verified=True, is_staff=True), groups=['editors']),
    ]


def populate(users):
    """Runs inside a Django project (``manage.py <backend> shell``): creates groups and users, returns pks."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth import hashers
    from django.contrib.auth.models import Group

    classes = {
        'pbkdf2_sha256': hashers.PBKDF2PasswordHasher, 'pbkdf2_sha1': hashers.PBKDF2SHA1PasswordHasher,
        'argon2': hashers.Argon2PasswordHasher, 'bcrypt_sha256': hashers.BCryptSHA256PasswordHasher,
        'bcrypt': hashers.BCryptPasswordHasher, 'md5': hashers.MD5PasswordHasher,
    }
    User = get_user_model()
    for name in sorted({g for u in users for g in u['groups']}):
        Group.objects.get_or_create(name=name)
    for user in users:
        created = User.objects.create_user(username=user['username'], password=None, **user['fields'])
        if user['hasher']:
            created.password = hashers.make_password(user['password'], hasher=classes[user['hasher']]())
            created.save()
            # Django's own check (the hasher's verify: md5 is not among the project's PASSWORD_HASHERS).
            assert classes[user['hasher']]().verify(user['password'], created.password), user['username']
        for group in user['groups']:
            created.groups.add(Group.objects.get(name=group))
        user['pk'] = created.pk
        user['hash_prefix'] = created.password.split('$')[0] if created.has_usable_password() else '!'
    return users


def werkzeug_scrypt(password, salt_length=16, n=2 ** 15, r=8, p=1):
    """Werkzeug 3.0's ``generate_password_hash(password, method="scrypt")`` (its _hash_internal, scrypt branch)."""
    salt = ''.join(secrets.choice('abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789')
                   for _ in range(salt_length))
    maxmem = 132 * n * r * p
    digest = hashlib.scrypt(password.encode(), salt=salt.encode(), n=n, r=r, p=p, maxmem=maxmem).hex()
    return 'scrypt:%d:%d:%d$%s$%s' % (n, r, p, salt, digest)


def werkzeug_users(out):
    from werkzeug.security import check_password_hash, generate_password_hash
    rows = [
        dict(id=1, username='flask-pbkdf2-sha256', email='f1@example.test', phone_number='+4915112349001',
             phone_verified='true', password='Flask-pass-1', method='pbkdf2:sha256'),
        dict(id=2, username='flask-pbkdf2-sha1', email='f2@example.test', phone_number='',
             phone_verified='false', password=PASSWORDS['nonascii'], method='pbkdf2:sha1'),
        dict(id=3, username='flask-scrypt', email='f3@example.test', phone_number='+4915112349003',
             phone_verified='true', password=PASSWORDS['long'], method='scrypt'),
        dict(id=4, username='flask-scrypt-short', email='', phone_number='+4915112349004',
             phone_verified='false', password=PASSWORDS['short'], method='scrypt'),
    ]
    with open(os.path.join(out, 'werkzeug_users.csv'), 'w', newline='', encoding='utf-8') as f:
        writer = csv.writer(f)
        writer.writerow(['id', 'username', 'email', 'phone_number', 'phone_verified', 'password_hash'])
        for row in rows:
            if row['method'] == 'scrypt':
                row['password_hash'] = werkzeug_scrypt(row['password'])
            else:
                row['password_hash'] = generate_password_hash(row['password'], method=row['method'])
                assert check_password_hash(row['password_hash'], row['password'])
            writer.writerow([row['id'], row['username'], row['email'], row['phone_number'], row['phone_verified'],
                             row['password_hash']])
            row['hasher'] = row.pop('method')
    return rows


def run(args, database, check=True):
    env = dict(os.environ, LEGACY_DATABASE=database, PYTHONDONTWRITEBYTECODE='1')
    env.pop('DJANGO_SETTINGS_MODULE', None)
    result = subprocess.run([sys.executable] + args, cwd=LEGACY, env=env, capture_output=True, text=True)
    if check and result.returncode != 0:
        raise SystemExit('failed: %s\n%s%s' % (' '.join(args), result.stdout, result.stderr))
    return result.stdout


def django_project(backend, users, labels, database, dump_path):
    """Migrates the backend's database, creates the users in it, dumps ``labels``; returns the users with pks."""
    run(['manage.py', backend, 'migrate', '--verbosity', '0'], database)
    code = ('import json, sys\nsys.path.insert(0, %r)\nimport build_legacy_db\n'
            'print(json.dumps(build_legacy_db.populate(json.loads(%r))))\n' % (HERE, json.dumps(users)))
    created = json.loads(run(['manage.py', backend, 'shell', '-c', code], database).strip().splitlines()[-1])
    dump = run(['manage.py', backend, 'dumpdata', '--indent', '2'] + labels, database)
    with open(dump_path, 'w', encoding='utf-8') as f:
        f.write(dump)
    return created


def postgres_database(dsn, name):
    """A fresh database ``name`` on the server of ``dsn``; returns its DSN."""
    import psycopg2
    from urllib.parse import urlparse, urlunparse
    url = urlparse(dsn)
    conn = psycopg2.connect(dsn)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute('DROP DATABASE IF EXISTS %s' % name)
        cur.execute('CREATE DATABASE %s' % name)
    conn.close()
    return urlunparse(url._replace(path='/' + name))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--out', required=True)
    parser.add_argument('--postgres')
    args = parser.parse_args()
    out = os.path.abspath(args.out)
    os.makedirs(out, exist_ok=True)

    def database(name):
        if args.postgres:
            return postgres_database(args.postgres, name)
        path = os.path.join(out, name + '.sqlite3')
        if os.path.exists(path):
            os.remove(path)
        return path

    auth_db, custom_db, phone_db = database('legacy_auth_user'), database('legacy_custom_user'), database('legacy_phone')
    manifest = {
        'auth_user': {'file': 'auth_user.json', 'model': 'auth.user', 'database': auth_db,
                      'users': django_project('users-api', django_users(), ['auth.group', 'auth.user'], auth_db,
                                              os.path.join(out, 'auth_user.json'))},
        'custom_user': {'file': 'custom_user.json', 'model': 'tokenauth.user', 'database': custom_db,
                        'users': django_project('token-auth', custom_users(), ['auth.group', 'tokenauth.user'],
                                                custom_db, os.path.join(out, 'custom_user.json'))},
        'werkzeug': {'file': 'werkzeug_users.csv', 'users': werkzeug_users(out)},
    }
    phones = ['+4915112348001', '+4915112348002', '+447700900777']
    run(['manage.py', 'phone-otp', 'shell', '-c',
         'import uuid, datetime\n'
         'for i, phone in enumerate(%r):\n'
         '    db.run("INSERT INTO users (public_id, phone, verified, created_at) VALUES (?, ?, ?, ?)", '
         'str(uuid.uuid4()), phone, i != 1, datetime.datetime(2023, 7, 10, 17, 0, i).isoformat())\n' % phones],
        phone_db)
    with open(os.path.join(out, 'phone_users.csv'), 'w', encoding='utf-8') as f:
        f.write(run(['manage.py', 'phone-otp', 'dumpcsv'], phone_db))
    manifest['phone_otp'] = {'file': 'phone_users.csv', 'database': phone_db,
                             'users': [{'phone_number': p, 'phone_verified': i != 1} for i, p in enumerate(phones)]}
    with open(os.path.join(out, 'manifest.json'), 'w', encoding='utf-8') as f:
        json.dump(manifest, f, indent=2, ensure_ascii=False)


if __name__ == '__main__':
    main()
