"""Demo accounts and data, so a first-time visitor can log in and look around."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from jixiao.schemes.services import scheme_import_presets


@dataclass(frozen=True)
class DemoUser:
    username: str
    last_name: str
    first_name: str
    role: str  # shown to the person starting the demo
    is_superuser: bool = False


# One account per role the platform will know about; only the office (党政办)
# administers the system for now, the other roles get their pages later.
DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser("office", "王", "芳", "党政办（管理员）", is_superuser=True),
    DemoUser("leader", "李", "建国", "分管领导"),
    DemoUser("head", "张", "伟", "科室负责人"),
    DemoUser("handler", "刘", "洋", "经办人"),
    DemoUser("cadre", "陈", "静", "干部"),
)


@transaction.atomic
def demo_load(*, password: str) -> list[DemoUser]:
    """Create or update the demo users and import the preset schemes.

    Idempotent: running it again changes nothing but what differs (a new
    password, say). Returns the demo users so callers can print them.
    """
    user_model = get_user_model()
    for demo in DEMO_USERS:
        user, _ = user_model.objects.get_or_create(username=demo.username)
        user.last_name = demo.last_name
        user.first_name = demo.first_name
        user.is_active = True
        user.is_staff = demo.is_superuser
        user.is_superuser = demo.is_superuser
        # Re-hashing on every run would rewrite the row for nothing (Argon2 salts).
        if not user.check_password(password):
            user.set_password(password)
        user.save()
    scheme_import_presets()
    return list(DEMO_USERS)
