#!/usr/bin/python3
"""Builds a legacy database with DRF authtoken keys for the cutover tests, with the frameworks' own code.

    python3 tools/build_legacy_keys.py --out DIR [--postgres postgresql://user@host:port/db]

A project on Django's own user model with ``rest_framework.authtoken`` (the users-api reference backend): Django's
``migrate``, users made by ``create_user``, a key for each by DRF's ``Token.objects.create`` (one left without a key),
then Django's ``dumpdata``. Writes into DIR:
  keys.json             ``manage.py dumpdata auth.user authtoken.token``
  keys_natural.json     ``manage.py dumpdata --natural-foreign authtoken.token`` (tokens naming users by username)
  keys_manifest.json    every user with pk, password, key (or null) and whether DRF itself accepts the key

With --postgres, the project runs on database legacy_keys created on that server (dropped first); without it, on a
SQLite file in DIR.
"""
import argparse
import json
import os

import build_legacy_db

USERS = [
    dict(username='kept-signed-in', password='Kept-pass-1', email='kept@example.test', token=True),
    dict(username='second-device', password='Second-pass-1', email='second@example.test', token=True),
    dict(username='never-used', password='Never-pass-1', email='never@example.test', token=True),
    dict(username='late-comer', password='Late-pass-1', email='late@example.test', token=True),
    dict(username='gone-quiet', password='Quiet-pass-1', email='quiet@example.test', token=True, is_active=False),
    dict(username='no-key', password='Nokey-pass-1', email='nokey@example.test', token=False),
]


def populate(users):
    """Runs inside the Django project (``manage.py users-api shell``): users, DRF keys; returns the users."""
    from django.contrib.auth import get_user_model
    from rest_framework.authtoken.models import Token
    from rest_framework.authentication import TokenAuthentication

    User = get_user_model()
    for user in users:
        created = User.objects.create_user(username=user['username'], email=user['email'], password=user['password'],
                                           is_active=user.get('is_active', True))
        user['pk'] = created.pk
        user['key'] = Token.objects.create(user=created).key if user['token'] else None
        if user['key']:
            # DRF's own check of the key (an inactive user's key is refused, as the pack must refuse it).
            try:
                TokenAuthentication().authenticate_credentials(user['key'])
                user['drf_accepts'] = True
            except Exception as refused:  # AuthenticationFailed
                user['drf_accepts'] = False
                user['drf_refusal'] = str(refused.detail)
    return users


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--out', required=True)
    parser.add_argument('--postgres')
    args = parser.parse_args()
    out = os.path.abspath(args.out)
    os.makedirs(out, exist_ok=True)
    if args.postgres:
        database = build_legacy_db.postgres_database(args.postgres, 'legacy_keys')
    else:
        database = os.path.join(out, 'legacy_keys.sqlite3')
        if os.path.exists(database):
            os.remove(database)
    run = build_legacy_db.run
    run(['manage.py', 'users-api', 'migrate', '--verbosity', '0'], database)
    code = ('import json, sys\nsys.path.insert(0, %r)\nimport build_legacy_keys\n'
            'print(json.dumps(build_legacy_keys.populate(json.loads(%r))))\n'
            % (build_legacy_db.HERE, json.dumps(USERS)))
    users = json.loads(run(['manage.py', 'users-api', 'shell', '-c', code], database).strip().splitlines()[-1])
    for name, labels in (('keys.json', ['auth.user', 'authtoken.token']),
                         ('keys_natural.json', ['--natural-foreign', 'authtoken.token'])):
        with open(os.path.join(out, name), 'w', encoding='utf-8') as f:
            f.write(run(['manage.py', 'users-api', 'dumpdata', '--indent', '2'] + labels, database))
    with open(os.path.join(out, 'keys_manifest.json'), 'w', encoding='utf-8') as f:
        json.dump({'database': database, 'users': users}, f, indent=2)


if __name__ == '__main__':
    main()
