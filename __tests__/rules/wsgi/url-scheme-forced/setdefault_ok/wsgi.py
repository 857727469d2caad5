"""The server always sets wsgi.url_scheme before the application runs, so setdefault() changes nothing."""
from django.core.wsgi import get_wsgi_application

_django = get_wsgi_application()


def application(environ, start_response):
    environ.setdefault("wsgi.url_scheme", "https")
    return _django(environ, start_response)
