from rest_framework.authentication import TokenAuthentication


class BearerTokenAuthentication(TokenAuthentication):
    """DRF's TokenAuthentication under the keyword the seed documents."""
    keyword = 'Bearer'
