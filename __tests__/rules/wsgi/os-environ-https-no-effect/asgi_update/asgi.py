"""ASGI config."""
import os

from django.core.asgi import get_asgi_application

os.environ.update({"HTTPS": "on"})  # expect-finding
application = get_asgi_application()
