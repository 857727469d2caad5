"""WSGI config for proj."""
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")

_application = get_wsgi_application()


def application(environ, start_response):
    environ["wsgi.url_scheme"] = "https"  # expect-finding
    return _application(environ, start_response)
