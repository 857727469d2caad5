# MIDDLEWARE edited on branches that depend on the environment (as paperless-ngx does): CsrfViewMiddleware is in
# the list on every branch, so CSRF_COOKIE_SECURE still matters.
import os

SECRET_KEY = "fixture-only-not-a-secret-0123456789abcdefghijklmnopqrstuvwxyz"
DEBUG = False
ALLOWED_HOSTS = ["www.example.com"]
INSTALLED_APPS = ["django.contrib.auth", "django.contrib.contenttypes", "django.contrib.sessions"]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]
if os.getenv("PAPERLESS_A", "yes") == "yes":
    MIDDLEWARE.insert(0, "whitenoise.middleware.WhiteNoiseMiddleware")
AUTO_LOGIN = os.getenv("AUTO_LOGIN_USERNAME")
if AUTO_LOGIN:
    _index = MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware")
    MIDDLEWARE.insert(_index + 1, "paperless.auth.AutoLoginMiddleware")
if os.getenv("PAPERLESS_C", "true") == "true":
    MIDDLEWARE.append("django.middleware.gzip.GZipMiddleware")
SESSION_COOKIE_SECURE = True
SECURE_SSL_REDIRECT = True
SECURE_HSTS_SECONDS = 63072000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
