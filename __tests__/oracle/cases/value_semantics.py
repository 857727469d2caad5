# Values computed the way settings files compute them, read with an empty environment: the value oracle compares
# each one with what Django holds after import.
import os

SECRET_KEY = "n8#q2v!t6Zk0@wYp4r^Lm1$Hs7Bc9Xe3Gd5Fa+Jh2Ku8Nw0Pv6Ry4Tz1Qx7Sb3"
DEBUG = os.environ.get("DJANGO_DEBUG", "False").lower() in ("1", "true", "yes")
ALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "www.example.com,example.com").split(",")
INSTALLED_APPS = ("django.contrib.contenttypes",)
INSTALLED_APPS += ("django.contrib.sessions",)
MIDDLEWARE = ["django.contrib.sessions.middleware.SessionMiddleware"]
MIDDLEWARE.insert(0, "django.middleware.security.SecurityMiddleware")
MIDDLEWARE = MIDDLEWARE + ["django.middleware.csrf.CsrfViewMiddleware"]
MIDDLEWARE.remove("django.contrib.sessions.middleware.SessionMiddleware")
SECURE_HSTS_SECONDS = int(os.environ.get("HSTS_SECONDS", 60 * 60 * 24 * 365))
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = not DEBUG and SECURE_HSTS_INCLUDE_SUBDOMAINS
SECURE_SSL_REDIRECT = os.getenv("SSL_REDIRECT", "on") != "off"
SESSION_COOKIE_SECURE = os.getenv("SESSION_COOKIE_SECURE", "False")
CSRF_COOKIE_SECURE = bool(os.getenv("CSRF_COOKIE_SECURE", "False"))
LANGUAGE_COOKIE_SECURE = SECURE_SSL_REDIRECT if not DEBUG else False
SESSION_COOKIE_SAMESITE = "Strict" if SECURE_SSL_REDIRECT else "Lax"
CSRF_COOKIE_SAMESITE = os.environ.get("CSRF_SAMESITE", "lax").capitalize() if False else "Lax"
SECURE_PROXY_SSL_HEADER = tuple("HTTP_X_FORWARDED_PROTO,https".split(","))
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^status/" + "ping$"]
SESSION_COOKIE_AGE = 60 * 60 * 24 * 14
SESSION_EXPIRE_AT_BROWSER_CLOSE = 1 == 1.0
CSRF_TRUSTED_ORIGINS = ["https://" + ALLOWED_HOSTS[0], "https://" + ALLOWED_HOSTS[-1]]
SECURE_SSL_HOST = os.environ.get("SSL_HOST") or None
CSRF_USE_SESSIONS = {"a": 1}.get("b", False) if False else False

try:
    from .local_settings import *  # noqa: F401,F403
except ImportError:
    SESSION_COOKIE_HTTPONLY = True
else:
    SESSION_COOKIE_HTTPONLY = False

try:
    import json

    CSRF_COOKIE_HTTPONLY = json.loads("true")
except ImportError:
    CSRF_COOKIE_HTTPONLY = False
