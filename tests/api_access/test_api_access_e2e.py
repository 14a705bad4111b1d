"""The API access page in a real browser: create a token, use it from a script (httpx, real
HTTP), revoke it on the page, and the script is refused at once."""

from __future__ import annotations

import httpx
import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD, sign_in_browser
from tests.support import host_for

pytestmark = pytest.mark.e2e


def test_a_senco_makes_a_token_for_a_script_and_revokes_it(page, web_server, harness, committed):
    from apps.api_access.models import ApiToken

    school = harness["school_a"]
    user = harness["senco_a"]
    committed.cleanup(lambda: ApiToken.objects.filter(user=user, name="Power BI").delete())

    sign_in_browser(page, web_server, school, user.email)
    page.get_by_role("link", name="API access").click()
    expect(page.get_by_role("heading", name="API access", level=1)).to_be_visible()
    page.get_by_label("What is it for?").fill("Power BI")
    page.get_by_label("Days until it expires").fill("7")
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Create token").click()

    token = page.get_by_test_id("new-token").locator("code").inner_text()
    assert token.startswith("sh_")
    expect(page.get_by_test_id("my-tokens")).to_contain_text("Power BI")

    script = httpx.Client(
        base_url=f"http://127.0.0.1:{web_server.port}",
        headers={
            "Host": f"{host_for(school)}:{web_server.port}",
            "Authorization": f"Token {token}",
        },
    )
    assert script.get("/api/v1/me/").json()["email"] == user.email

    page.goto(web_server.url(school, "/account/api-access/"))  # the token is shown once only
    expect(page.get_by_test_id("new-token")).to_have_count(0)
    page.get_by_role("button", name="Revoke Power BI").click()
    expect(page.get_by_text("The token “Power BI” no longer works.")).to_be_visible()
    assert script.get("/api/v1/me/").status_code == 401
