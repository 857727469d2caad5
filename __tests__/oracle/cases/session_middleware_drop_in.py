# django-qsessions replaces the sessions app and middleware with subclasses that keep Django's cookie handling:
# Django's W010-W012 look for its own app and middleware only and report nothing; ours judges SESSION_COOKIE_SECURE.
SECRET_KEY = "fixture-only-not-a-secret-0123456789abcdefghijklmnopqrstuvwxyz"
DEBUG = False
ALLOWED_HOSTS = ["www.example.com"]
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "qsessions",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "qsessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
]
SESSION_ENGINE = "qsessions.backends.cached_db"
CSRF_COOKIE_SECURE = True
SECURE_SSL_REDIRECT = True
SECURE_HSTS_SECONDS = 63072000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
