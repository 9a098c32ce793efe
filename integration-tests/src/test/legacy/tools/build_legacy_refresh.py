#!/usr/bin/python3
"""Builds a legacy database with SimpleJWT refresh tokens for the cutover tests, with the frameworks' own code.

    python3 tools/build_legacy_refresh.py --out DIR --secret-key KEY [--backend email-signup]
                                          [--postgres postgresql://user@host:port/db]

The jwt-auth reference backend (Django's own user model, SimpleJWT 5.2 with its blacklist app, ``SECRET_KEY`` =
KEY): Django's ``migrate``, users made by ``create_user``, refresh tokens by SimpleJWT's ``RefreshToken.for_user``
(recorded as outstanding tokens by the blacklist app), one blacklisted by SimpleJWT's ``blacklist()``, one rotated by
SimpleJWT's own ``TokenRefreshSerializer`` (the old one blacklisted, the new one good), then Django's ``dumpdata``.
Writes into DIR:
  users.json              ``manage.py dumpdata auth.user``
  blacklist.json          ``manage.py dumpdata token_blacklist`` (outstanding tokens, then the blacklist)
  refresh_manifest.json   users (pk, password) and tokens by name, each with what SimpleJWT itself answers for it

With --backend email-signup, the email-signup reference backend instead (Djoser, its own user model signing in by
email: ``users.json`` is ``dumpdata emailsignup.user``) with the users and tokens of EMAIL_USERS and EMAIL_TOKENS.

With --postgres, the project runs on database legacy_refresh created on that server (dropped first); without it, on
a SQLite file in DIR.
"""
import argparse
import json
import os

import build_legacy_db

USERS = [
    dict(username='refresher', password='Refresh-pass-1', email='refresher@example.test'),
    dict(username='second-app', password='Second-pass-1', email='second-app@example.test'),
    dict(username='blacklisted', password='Black-pass-1', email='blacklisted@example.test'),
    dict(username='gone-quiet', password='Quiet-pass-1', email='quiet@example.test', is_active=False),
    dict(username='deleted-later', password='Deleted-pass-1', email='deleted@example.test'),
]

# Token name -> the user it is minted for. Each is RefreshToken.for_user(user) unless its name says otherwise.
TOKENS = {
    'jwt_auth': 'refresher',
    'email_signup': 'second-app',
    'late': 'refresher',
    'burst': 'second-app',
    'replay': 'refresher',
    'restart': 'second-app',
    'blacklisted': 'blacklisted',
    'rotated_old': 'blacklisted',
    'inactive': 'gone-quiet',
    'deleted_user': 'deleted-later',
    'access': 'refresher',
    'expired': 'refresher',
    'wrong_secret': 'refresher',
    'alg_none': 'refresher',
    'hs512': 'refresher',
}

EMAIL_USERS = [
    dict(email='first-app@example.test', password='First-pass-1'),
    dict(email='black@example.test', password='Black-pass-1'),
]
EMAIL_TOKENS = {
    'email_signup': 'first-app@example.test',
    'blacklisted': 'black@example.test',
}


def populate(users, tokens):
    """Runs inside the Django project (``manage.py jwt-auth shell``): users and tokens; returns both."""
    import base64
    from datetime import timedelta

    import jwt
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from rest_framework_simplejwt.exceptions import TokenError
    from rest_framework_simplejwt.serializers import TokenRefreshSerializer
    from rest_framework_simplejwt.tokens import RefreshToken

    User = get_user_model()
    made = {}
    for user in users:
        # Django's user model signs in by username; email-signup's by email (its USERNAME_FIELD).
        name = user.get('username') or user['email']
        fields = {User.USERNAME_FIELD: name, 'email': user['email'], 'password': user['password'],
                  'is_active': user.get('is_active', True)}
        created = User.objects.create_user(**fields)
        user['pk'] = created.pk
        made[name] = created

    def b64(data):
        return base64.urlsafe_b64encode(json.dumps(data, separators=(',', ':')).encode()).rstrip(b'=').decode()

    minted = {}
    for name, username in tokens.items():
        token = RefreshToken.for_user(made[username])
        if name == 'blacklisted':
            token.blacklist()
        elif name == 'expired':
            token.set_exp(lifetime=timedelta(seconds=-60))
        text = str(token)
        if name == 'rotated_old':
            # The legacy API's own refresh (ROTATE_REFRESH_TOKENS, BLACKLIST_AFTER_ROTATION): the old token is
            # blacklisted, the new one is good and was never used.
            serializer = TokenRefreshSerializer(data={'refresh': text})
            serializer.is_valid(raise_exception=True)
            minted['rotated_new'] = dict(user=username, token=serializer.validated_data['refresh'])
        elif name == 'access':
            text = str(token.access_token)
        elif name == 'wrong_secret':
            text = jwt.encode(token.payload, 'not-the-legacy-secret-key', algorithm='HS256')
        elif name == 'alg_none':
            text = b64({'typ': 'JWT', 'alg': 'none'}) + '.' + b64(token.payload) + '.'
        elif name == 'hs512':
            text = jwt.encode(token.payload, settings.SECRET_KEY, algorithm='HS512')
        minted[name] = dict(user=username, token=text, jti=token['jti'])
    for entry in minted.values():
        # SimpleJWT's own verdict on each token (the realm must answer the same).
        try:
            RefreshToken(entry['token'])
            entry['simplejwt'] = 'valid'
        except TokenError as refused:
            entry['simplejwt'] = str(refused)
    if 'deleted-later' in made:
        made['deleted-later'].delete()
    return users, minted


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--out', required=True)
    parser.add_argument('--secret-key', required=True)
    parser.add_argument('--backend', choices=['jwt-auth', 'email-signup'], default='jwt-auth')
    parser.add_argument('--postgres')
    args = parser.parse_args()
    os.environ['LEGACY_SECRET_KEY'] = args.secret_key
    out = os.path.abspath(args.out)
    os.makedirs(out, exist_ok=True)
    if args.postgres:
        database = build_legacy_db.postgres_database(args.postgres, 'legacy_refresh')
    else:
        database = os.path.join(out, 'legacy_refresh.sqlite3')
        if os.path.exists(database):
            os.remove(database)
    run = build_legacy_db.run
    backend = args.backend
    email = backend == 'email-signup'
    run(['manage.py', backend, 'migrate', '--verbosity', '0'], database)
    code = ('import json, sys\nsys.path.insert(0, %r)\nimport build_legacy_refresh\n'
            'print(json.dumps(build_legacy_refresh.populate(json.loads(%r), json.loads(%r))))\n'
            % (build_legacy_db.HERE, json.dumps(EMAIL_USERS if email else USERS),
               json.dumps(EMAIL_TOKENS if email else TOKENS)))
    users, tokens = json.loads(run(['manage.py', backend, 'shell', '-c', code], database).strip().splitlines()[-1])
    user_model = 'emailsignup.user' if email else 'auth.user'
    for name, labels in (('users.json', [user_model]), ('blacklist.json', ['token_blacklist'])):
        with open(os.path.join(out, name), 'w', encoding='utf-8') as f:
            f.write(run(['manage.py', backend, 'dumpdata', '--indent', '2'] + labels, database))
    with open(os.path.join(out, 'refresh_manifest.json'), 'w', encoding='utf-8') as f:
        json.dump({'database': database, 'users': users, 'tokens': tokens}, f, indent=2)


if __name__ == '__main__':
    main()
