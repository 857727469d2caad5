"""WSGI config for proj."""
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")

_application = get_wsgi_application()


def application(environ, start_response):
    # The per-request environ (not the process environment) is what Django reads.
    if environ.get("HTTP_X_FORWARDED_PROTO") == "https":
        environ["wsgi.url_scheme"] = "https"
    return _application(environ, start_response)
