from os import environ

from django.core.wsgi import get_wsgi_application

environ.setdefault("HTTPS", "on")  # expect-finding
application = get_wsgi_application()
