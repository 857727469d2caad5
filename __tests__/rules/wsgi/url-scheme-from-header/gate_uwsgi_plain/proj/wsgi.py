"""WSGI config for proj: the scheme is taken as https when the header says so."""
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")

_application = get_wsgi_application()


def application(environ, start_response):
    if environ.get("HTTP_X_FORWARDED_SCHEME", "") == "https":
        environ["wsgi.url_scheme"] = "https"  # expect-finding
    return _application(environ, start_response)
