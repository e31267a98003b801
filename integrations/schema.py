"""The OpenAPI schema shows each endpoint's token scope (as the security
requirement and in its description) and how to send a token."""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import build_bearer_security_scheme_object

from common.scopes import SCOPES, required_scope


class ScopedTokenScheme(OpenApiAuthenticationExtension):
    target_class = "integrations.authentication.ScopedTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        scheme = build_bearer_security_scheme_object(
            header_name="Authorization",
            token_prefix="Token",  # noqa: S106 (the scheme word, not a secret)
        )
        scheme["description"] = (
            "An API token (`Authorization: Token <key>`), made by its owner on "
            "/integrations/tokens/ with scopes: "
            + ", ".join(f"`{s}`" for s in SCOPES)
            + ". A token without the scope an endpoint needs gets 403; an unknown, "
            "revoked or expired one gets 401."
        )
        return scheme


class ScopedAutoSchema(AutoSchema):
    def _scope(self) -> str | None:
        return required_scope(self.view, self.method)

    def get_auth(self):
        auth = super().get_auth()
        scope = self._scope()
        return (
            [
                {name: ([scope] if scope and name == "tokenAuth" else [])}
                for entry in auth
                for name in entry
            ]
            if auth
            else auth
        )

    def get_description(self):
        description = super().get_description() or ""
        scope = self._scope()
        note = (
            f"Token scope: `{scope}`."
            if scope
            else "Any token of the user."
            if scope == ""
            else "Browser session only."
        )
        return f"{description}\n\n{note}".strip()

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        responses.setdefault(
            "401", {"description": "No valid token (unknown, revoked or expired)."}
        )
        responses.setdefault(
            "403",
            {"description": "The token lacks the scope, or the role may not."},
        )
        return responses
