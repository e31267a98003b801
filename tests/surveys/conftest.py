# The same people, clients and private cache as the coupon tests.
from tests.coupons.conftest import (  # noqa: F401
    _own_cache,
    admin_api,
    admin_client,
    admin_user,
    ambassador,
    browser,
    manager_client,
    shop_api,
)
