"""Reference backend of seed 001 (dialect phone-otp): Flask 2.2, passwordless phone accounts, JSON-only views, and
tokens shaped as flask-jwt-extended shapes them, built with PyJWT."""
