"""Reference backend of seed 002 (dialect email-signup): Djoser 2.1 user endpoints and SimpleJWT 5.2 tokens over a
custom user model that logs in with its email, plus the seed's own sign-up, recovery and PIN-reset views."""
