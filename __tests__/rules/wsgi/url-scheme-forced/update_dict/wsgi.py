"""WSGI config for proj."""
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")

_django = get_wsgi_application()


def application(environ, start_response):
    environ.update({"wsgi.url_scheme": "https"})  # expect-finding
    return _django(environ, start_response)
