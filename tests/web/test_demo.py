"""Demo data: loading twice must leave the same rows, and the password must work."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from jixiao.engine import presets
from jixiao.project.demo_data import DEMO_USERS, demo_load
from jixiao.schemes.models import Scheme
from jixiao.schemes.services import scheme_import_presets

pytestmark = pytest.mark.django_db


def _snapshot() -> tuple[list[tuple], list[tuple]]:
    users = list(
        User.objects.order_by("username").values_list(
            "username", "first_name", "last_name", "is_staff", "is_superuser", "password"
        )
    )
    schemes = list(
        Scheme.objects.order_by("code").values_list("code", "version", "source_text", "updated_at")
    )
    return users, schemes


def test_demo_load_is_idempotent() -> None:
    demo_load(password="yanshi-1")
    first = _snapshot()
    demo_load(password="yanshi-1")
    assert _snapshot() == first
    assert User.objects.count() == len(DEMO_USERS)
    assert Scheme.objects.count() == len(presets.names()) > 0


def test_demo_password_logs_in_and_office_administers(client: Client) -> None:
    demo_load(password="yanshi-2")
    for demo in DEMO_USERS:
        assert client.login(username=demo.username, password="yanshi-2"), demo.username
        user = User.objects.get(username=demo.username)
        assert user.first_name and user.last_name
        client.logout()
    assert client.login(username="office", password="yanshi-2")
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/schemes/scheme/").status_code == 200


def test_demo_load_with_new_password_replaces_old() -> None:
    demo_load(password="old-password")
    demo_load(password="new-password")
    user = User.objects.get(username="leader")
    assert user.check_password("new-password")
    assert not user.check_password("old-password")


def test_scheme_import_presets_reports_changes_once() -> None:
    assert scheme_import_presets() == len(presets.names())
    assert scheme_import_presets() == 0
    scheme = Scheme.objects.first()
    assert scheme is not None
    scheme.version = "tampered"
    scheme.save()
    # A re-import restores the shipped text and touches only that row.
    assert scheme_import_presets() == 1
    scheme.refresh_from_db()
    assert scheme.version != "tampered"
