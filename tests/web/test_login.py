"""Login: Argon2-hashed passwords (see test_setup) and lockout after repeated failures."""

import pytest

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def post_login(client, username, password):
    return client.post(LOGIN, {"username": username, "password": password})


def test_correct_password_logs_in(client, cast):
    from tests.cast import PASSWORD

    response = post_login(client, "handler", PASSWORD)
    assert response.status_code == 302
    assert client.get("/").status_code == 200


def test_five_failures_lock_the_account_even_with_the_right_password(client, cast):
    from tests.cast import PASSWORD

    for _ in range(4):
        assert post_login(client, "handler", "wrong").status_code == 200
    assert post_login(client, "handler", "wrong").status_code == 429  # the fifth locks
    locked = post_login(client, "handler", PASSWORD)
    assert locked.status_code == 429
    assert "已暂时锁定" in locked.content.decode()
    assert client.get("/").status_code == 302  # still logged out


def test_lockout_is_per_username_not_per_office_network(client, cast):
    from tests.cast import PASSWORD

    for _ in range(5):
        post_login(client, "handler", "wrong")
    # Colleagues behind the same township NAT address can still log in.
    assert post_login(client, "cadre", PASSWORD).status_code == 302
