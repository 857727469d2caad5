# Only a development override sets the switch: production runs with the default, so the cookie is not Secure.
import os

SECRET_KEY = os.environ["SECRET_KEY"]
DEBUG = False
ALLOWED_HOSTS = ["maps.example.org"]
INSTALLED_APPS = ["django.contrib.sessions"]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
]
SESSION_COOKIE_SECURE = os.environ.get("APP_SSL", "NO") == "YES"  # expect-finding
