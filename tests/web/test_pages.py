"""Login, home and admin pages as a browser (Django's test client) sees them."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.test import Client


def test_login_page_renders_in_chinese(client: Client) -> None:
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    html = response.content.decode()
    # No Accept-Language header: the default language must be Simplified Chinese.
    assert 'lang="zh-hans"' in html
    assert "<h1>登录</h1>" in html
    assert "用户名" in html
    assert "密码" in html


def test_home_redirects_anonymous_user_to_login(client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/"


def test_logged_in_user_sees_home(client: Client, cadre_user: User) -> None:
    client.force_login(cadre_user)
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "欢迎使用绩效管理平台" in html
    assert "陈静" in html  # family name first, as Chinese names are written
    # Non-staff users are not sent to an admin they cannot open.
    assert "/admin/" not in html


def test_login_with_password_reaches_home(
    client: Client, cadre_user: User, user_password: str
) -> None:
    credentials = {"username": cadre_user.username, "password": user_password}
    response = client.post("/accounts/login/", credentials, follow=True)
    assert response.redirect_chain[-1] == ("/", 302)
    assert "欢迎使用绩效管理平台" in response.content.decode()


def test_wrong_password_shows_chinese_error(client: Client, cadre_user: User) -> None:
    response = client.post("/accounts/login/", {"username": "cadre", "password": "wrong"})
    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode()


def test_admin_index_allowed_for_office(client: Client, office_user: User) -> None:
    client.force_login(office_user)
    response = client.get("/admin/")
    assert response.status_code == 200
    # The schemes app is registered under its Chinese name.
    assert "考核方案" in response.content.decode()


def test_admin_index_redirects_non_staff_user(client: Client, cadre_user: User) -> None:
    client.force_login(cadre_user)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
