"""Shared fixtures. pytest-django configures Django from pyproject's DJANGO_SETTINGS_MODULE."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

# Plain text here is fine: these are throwaway accounts in the test database.
TEST_PASSWORD = "ceshi-mima-2024"


@pytest.fixture
def user_password() -> str:
    """The password of the users the fixtures below create."""
    return TEST_PASSWORD


@pytest.fixture
def office_user(django_user_model: type[User]) -> User:
    """The township office's administrator account (superuser, like the demo's)."""
    return django_user_model.objects.create_superuser(
        username="office", password=TEST_PASSWORD, last_name="王", first_name="芳"
    )


@pytest.fixture
def cadre_user(django_user_model: type[User]) -> User:
    """An ordinary cadre: may log in, may not use the admin."""
    return django_user_model.objects.create_user(
        username="cadre", password=TEST_PASSWORD, last_name="陈", first_name="静"
    )
