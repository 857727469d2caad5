# A base block sets the flag, then a later line removes it: Django's default (False) applies.
SECRET_KEY = "fixture-only-not-a-secret-0123456789abcdefghijklmnopqrstuvwxyz"
DEBUG = False
ALLOWED_HOSTS = ["www.example.com"]
INSTALLED_APPS = ["django.contrib.sessions"]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
del SESSION_COOKIE_SECURE  # expect-finding
