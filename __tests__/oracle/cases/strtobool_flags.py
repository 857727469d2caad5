# distutils' strtobool returns 1 or 0, not True or False: truthy for SecurityMiddleware and Django < 4.1's cookie
# checks, but not `is True` (W008, W005, W021).
import os
from distutils.util import strtobool

SECRET_KEY = "n8#q2v!t6Zk0@wYp4r^Lm1$Hs7Bc9Xe3Gd5Fa+Jh2Ku8Nw0Pv6Ry4Tz1Qx7Sb3"
DEBUG = strtobool(os.environ.get("DJANGO_DEBUG", "no"))
ALLOWED_HOSTS = ["www.example.com"]
INSTALLED_APPS = ["django.contrib.sessions"]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
]
SECURE_SSL_REDIRECT = strtobool(os.environ.get("SSL_REDIRECT", "true"))
SECURE_HSTS_SECONDS = int(os.environ.get("HSTS_SECONDS", "3600"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = strtobool(os.getenv("HSTS_SUBDOMAINS", "on"))
SECURE_HSTS_PRELOAD = bool(strtobool(os.getenv("HSTS_PRELOAD", "1")))
SESSION_COOKIE_SECURE = strtobool(os.getenv("SESSION_COOKIE_SECURE", "True"))
CSRF_COOKIE_SECURE = strtobool(os.getenv("CSRF_COOKIE_SECURE", "y"))
