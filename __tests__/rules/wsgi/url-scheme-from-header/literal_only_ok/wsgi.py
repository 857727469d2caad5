"""Scheme decided by the server's own variable, not by a request header."""
from django.core.wsgi import get_wsgi_application

_application = get_wsgi_application()


def application(environ, start_response):
    if environ.get("HTTPS", "") == "on":
        environ["wsgi.url_scheme"] = "https"
    return _application(environ, start_response)
