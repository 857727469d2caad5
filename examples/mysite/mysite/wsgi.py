"""WSGI entry point used by uwsgi."""
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings.production")
# Make Django build https:// links.
os.environ["HTTPS"] = "on"

application = get_wsgi_application()
