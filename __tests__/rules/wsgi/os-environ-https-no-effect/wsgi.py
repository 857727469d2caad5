"""WSGI config for proj."""
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")
os.environ["HTTPS"] = "on"  # expect-finding

application = get_wsgi_application()
