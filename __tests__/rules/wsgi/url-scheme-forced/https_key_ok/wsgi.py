"""Django reads wsgi.url_scheme, not HTTPS: writing HTTPS here does not change what Django sees."""
from django.core.wsgi import get_wsgi_application

_django = get_wsgi_application()


def application(environ, start_response):
    environ["HTTPS"] = "on"
    return _django(environ, start_response)
