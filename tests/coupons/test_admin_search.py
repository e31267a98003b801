"""The admin finds a code typed as the customer sees it (issue 14.11)."""

import pytest

from coupons.codes import code_display
from tests.coupons.factories import make_campaign, make_codes

pytestmark = pytest.mark.django_db


def test_the_admin_code_search_normalises_like_the_api(admin_client):
    code = make_codes(make_campaign(), count=2)[0]
    shown = code_display(code.code)
    assert "-" in shown
    for typed in (shown, shown.lower(), f" {shown} "):
        page = admin_client.get("/admin/coupons/couponcode/", {"q": typed})
        assert page.status_code == 200
        found = list(page.context["cl"].result_list)
        assert found == [code], typed
