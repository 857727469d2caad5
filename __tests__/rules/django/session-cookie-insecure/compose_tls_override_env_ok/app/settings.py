# One switch turns on TLS and the Secure cookies; docker-compose.ssl.yml, used together with docker-compose.yml,
# passes it from the host, so the deployed value is not the code's default (shape from WebODM).
import os

SECRET_KEY = os.environ["SECRET_KEY"]
DEBUG = False
ALLOWED_HOSTS = ["maps.example.org"]
INSTALLED_APPS = ["django.contrib.sessions"]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
]
SESSION_COOKIE_SECURE = os.environ.get("APP_SSL", "NO") == "YES"
