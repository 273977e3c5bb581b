"""WSGI entry point, used by waitress (``jixiao demo``) or any other WSGI server."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jixiao.project.settings")

application = get_wsgi_application()
