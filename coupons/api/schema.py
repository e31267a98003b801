"""How the schema describes the shops' token authentication (a TokenAuthentication
that also reads the shop membership): the same header, its own scheme name."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object


class ShopTokenScheme(OpenApiAuthenticationExtension):
    target_class = "coupons.permissions.ShopTokenAuthentication"
    name = "shopTokenAuth"

    def get_security_definition(self, auto_schema):
        scheme = build_bearer_security_scheme_object(
            header_name="Authorization",
            token_prefix="Token",  # noqa: S106 (the scheme word, not a secret)
        )
        scheme["description"] = (
            "The API token of a shop integration user (member of the 'shop' group): "
            "`Authorization: Token <key>`."
        )
        return scheme
