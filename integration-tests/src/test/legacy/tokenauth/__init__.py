"""Reference backend of seed 000 (dialect token-auth): username/password accounts with a phone number and/or an
email address, 5-digit verification codes, DRF token authentication (rest_framework.authtoken)."""
