# Values from the environment. SESSION_COOKIE_SECURE has no literal default: our engine cannot resolve it
# (django/setting-unresolved) while Django, run with an empty environment, sees None and reports W012 —
# the documented "unresolved" difference. CSRF_COOKIE_SECURE has a literal default ("True") that both judge.
import os

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "n8#q2v!t6Zk0@wYp4r^Lm1$Hs7Bc9Xe3Gd5Fa+Jh2Ku8Nw0Pv6Ry4Tz1Qx7Sb3")
ALLOWED_HOSTS = ["www.example.com"]
INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth", "django.contrib.sessions"]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
]
SECURE_SSL_REDIRECT = True
SECURE_HSTS_SECONDS = int(os.getenv("HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = os.environ.get("SESSION_COOKIE_SECURE")
CSRF_COOKIE_SECURE = os.getenv("CSRF_COOKIE_SECURE", "True") == "True"
