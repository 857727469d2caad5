# Neither the undecidable branch nor the loop adds SecurityMiddleware: it is missing on every branch.
import os

SECRET_KEY = "fixture-only-not-a-secret-0123456789abcdefghijklmnopqrstuvwxyz"
DEBUG = False
ALLOWED_HOSTS = ["www.example.com"]
INSTALLED_APPS = ["django.contrib.sessions"]
MIDDLEWARE = [  # expect-finding: the list, where the fix goes
    "django.contrib.sessions.middleware.SessionMiddleware",
]
if os.environ.get("DEBUG_TOOLBAR"):
    MIDDLEWARE.append("debug_toolbar.middleware.DebugToolbarMiddleware")
if os.environ.get("WHITENOISE"):
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_SSL_REDIRECT = True
SECURE_HSTS_SECONDS = 63072000
