"""A try block still runs its body on every request."""
from django.core.wsgi import get_wsgi_application

_django = get_wsgi_application()


def application(environ, start_response):
    try:
        environ["wsgi.url_scheme"] = "https"  # expect-finding
    except KeyError:
        pass
    return _django(environ, start_response)
