"""Django project package: settings, URLs, WSGI entry point, demo and manage helpers."""
