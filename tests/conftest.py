"""Shared fixtures. pytest-django configures Django from pyproject's DJANGO_SETTINGS_MODULE."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from tests.cast import Cast

# Plain text here is fine: these are throwaway accounts in the test database.
TEST_PASSWORD = "ceshi-mima-2024"


@pytest.fixture(autouse=True)
def fast_password_hasher(settings) -> None:
    """Argon2 is slow by design; tests that create many users use a fast hasher.

    tests/web/test_setup.py checks the configured (production) hashers directly.
    """
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def default_language():
    """Every test starts in the default language (Simplified Chinese).

    Django's LocaleMiddleware activates the request's language in the thread and
    leaves it there, so a test that fetched an English page would otherwise make
    later tests see English labels.
    """
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def user_password() -> str:
    """The password of the users the fixtures below create."""
    return TEST_PASSWORD


@pytest.fixture
def office_user(django_user_model: type[User]) -> User:
    """A superuser account (the admin site's user)."""
    return django_user_model.objects.create_superuser(
        username="admin", password=TEST_PASSWORD, last_name="王", first_name="芳"
    )


@pytest.fixture
def cadre_user(django_user_model: type[User]) -> User:
    """An ordinary user with no staff rights: may log in, may not use the admin."""
    return django_user_model.objects.create_user(
        username="plain", password=TEST_PASSWORD, last_name="陈", first_name="静"
    )


@pytest.fixture
def cast(db) -> Cast:
    """One township with a user per role, and an outsider from another township."""
    from tests.cast import build_cast

    return build_cast()
