"""``jixiao manage ...``: Django's manage.py, reachable from the installed CLI."""

from __future__ import annotations

import os

SETTINGS_MODULE = "jixiao.project.settings"


def main(argv: list[str]) -> None:
    """Run a Django management command, e.g. ``main(["migrate"])``."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS_MODULE)
    from django.core.management import execute_from_command_line

    # argv[0] only shows up in help and error messages.
    execute_from_command_line(["jixiao manage", *argv])
