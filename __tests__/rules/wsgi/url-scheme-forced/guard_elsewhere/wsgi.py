"""WSGI config for proj: the guard clause is in another function, so this one forces the scheme for every request."""
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")

_application = get_wsgi_application()


def health(environ, start_response):
    if environ.get("PATH_INFO") != "/health":
        return None
    return _application(environ, start_response)


def application(environ, start_response):
    if environ.get("PATH_INFO") == "/health":
        log("health")
    environ["wsgi.url_scheme"] = "https"  # expect-finding
    return _application(environ, start_response)
