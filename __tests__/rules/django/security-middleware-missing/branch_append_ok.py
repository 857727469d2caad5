# MIDDLEWARE gains items only under conditions that cannot be decided; SecurityMiddleware is in it on every branch.
import os

SECRET_KEY = "fixture-only-not-a-secret-0123456789abcdefghijklmnopqrstuvwxyz"
DEBUG = False
ALLOWED_HOSTS = ["www.example.com"]
INSTALLED_APPS = ["django.contrib.sessions"]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
]
MIDDLEWARE.insert(int(os.environ["MW_POS"]), "django.middleware.security.SecurityMiddleware")
if os.environ.get("DEBUG_TOOLBAR"):
    MIDDLEWARE.append("debug_toolbar.middleware.DebugToolbarMiddleware")
for plugin in os.environ["PLUGINS"].split(","):
    MIDDLEWARE.extend(plugin_middleware(plugin))
MIDDLEWARE += os.environ["EXTRA_MIDDLEWARE"].split(",")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_SSL_REDIRECT = True
SECURE_HSTS_SECONDS = 63072000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
