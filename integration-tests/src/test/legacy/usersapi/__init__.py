"""Reference backend of seed 003 (dialect users-api): a DRF ModelViewSet of Django's users, DRF token
authentication under both keywords (Bearer, as the seed documents, and DRF's Token), and password reset as
django-rest-passwordreset shapes it."""
