# Removed, then set again: the later assignment is what Django reads.
SECRET_KEY = "fixture-only-not-a-secret-0123456789abcdefghijklmnopqrstuvwxyz"
DEBUG = False
ALLOWED_HOSTS = ["www.example.com"]
INSTALLED_APPS = ["django.contrib.sessions"]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
]
SESSION_COOKIE_SECURE = False
del SESSION_COOKIE_SECURE
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
