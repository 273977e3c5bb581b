"""``jixiao demo``: migrate, load demo data and serve the site on localhost."""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys

SETTINGS_MODULE = "jixiao.project.settings"


def run_demo(*, port: int = 8000, demo_password: str | None = None) -> None:
    """Prepare the database and serve Jixiao at http://127.0.0.1:PORT/ until stopped."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS_MODULE)
    import django

    django.setup()

    # Imported after setup: they need the app registry.
    import waitress
    from django.conf import settings
    from django.core.management import call_command
    from django.core.wsgi import get_wsgi_application

    from jixiao.project.demo_data import demo_load

    call_command("migrate", interactive=False, verbosity=0)
    # DEBUG is off, so static files (admin CSS) come from STATIC_ROOT via whitenoise.
    call_command("collectstatic", interactive=False, verbosity=0)
    password = demo_password or secrets.token_urlsafe(9)
    users = demo_load(password=password)

    url = f"http://127.0.0.1:{port}/"
    print(f"绩效管理平台演示 / Jixiao demo: {url}")
    print(f"数据目录 / data dir: {settings.DATA_DIR}")
    print(f"演示账号（密码均为 {password}）/ demo logins (password {password}):")
    for user in users:
        print(f"  {user.username:<8} {user.last_name}{user.first_name}  {user.role}")
    print("按 Ctrl+C 停止 / press Ctrl+C to stop", flush=True)

    # The task worker (reminder emails) runs beside the web server, in its own process:
    # it installs signal handlers, which only a main thread may do.
    worker = subprocess.Popen(
        [sys.executable, "-m", "jixiao", "manage", "db_worker", "--no-reload", "--interval", "5"]
    )
    from jixiao.progress.tasks import send_reminders

    send_reminders.enqueue()  # today's reminders, printed by the console email backend
    # A plain `kill` must also stop the worker: turn SIGTERM into SystemExit so
    # the finally below runs.
    signal.signal(signal.SIGTERM, lambda *_args: sys.exit(0))
    try:
        # waitress is a production WSGI server (runserver is not meant for real use).
        waitress.serve(get_wsgi_application(), host="127.0.0.1", port=port, threads=8)
    finally:
        worker.terminate()
        worker.wait(timeout=10)
