"""WSGI config for proj, with the "ReverseProxied" recipe for serving under a prefix."""
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")

_application = get_wsgi_application()


def application(environ, start_response):
    script_name = environ.get("HTTP_X_SCRIPT_NAME", "")
    if script_name:
        environ["SCRIPT_NAME"] = script_name

    scheme = environ.get("HTTP_X_SCHEME", "")
    if scheme:
        environ["wsgi.url_scheme"] = scheme  # expect-finding

    return _application(environ, start_response)
