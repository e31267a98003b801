"""Existing API tokens keep working: each clear-text DRF token becomes a hashed
token with the scopes its user's role allows, and the clear row is deleted."""

import hashlib

from django.db import migrations

# As common.scopes.ROLE_SCOPES when this migration was written (frozen here: a
# migration must not change when the code does).
ROLE_SCOPES = {
    "admin": [
        "mentions:read", "cases:read", "cases:write", "coupons:redeem",
        "coupons:manage", "surveys:read", "surveys:manage", "reports:read",
        "webhooks:manage", "listening:read",
    ],
    "manager": [
        "mentions:read", "cases:read", "cases:write", "coupons:manage",
        "surveys:read", "surveys:manage", "reports:read", "listening:read",
    ],
    "ambassador": ["mentions:read", "cases:read", "cases:write", "listening:read"],
    "shop": ["coupons:redeem"],
}


def forwards(apps, schema_editor):
    Token = apps.get_model("authtoken", "Token")
    ApiToken = apps.get_model("integrations", "ApiToken")
    Profile = apps.get_model("ambassadors", "Profile")
    roles = dict(Profile.objects.values_list("user_id", "role"))
    for legacy in Token.objects.select_related("user").iterator():
        user = legacy.user
        if user.groups.filter(name="shop").exists():
            scopes = ROLE_SCOPES["shop"]
        elif user.is_superuser:
            scopes = ROLE_SCOPES["admin"]
        else:
            scopes = ROLE_SCOPES.get(roles.get(user.pk, ""), [])
        ApiToken.objects.create(
            user=user,
            name="Token made before scopes",
            prefix=legacy.key[:6],
            key_hash=hashlib.sha256(legacy.key.encode()).hexdigest(),
            scopes=scopes,
            created_at=legacy.created,
        )
        legacy.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("integrations", "0002_api_tokens"),
        ("authtoken", "0004_alter_tokenproxy_options"),
        ("ambassadors", "0002_ambassador_profile"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
