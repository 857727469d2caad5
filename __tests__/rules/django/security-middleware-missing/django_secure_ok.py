# django-secure's SecurityMiddleware (Django 1.4 to 1.7), which Django 1.8 took in: the same settings work.
SECRET_KEY = "fixture-only-not-a-secret-0123456789abcdefghijklmnopqrstuvwxyz"
DEBUG = False
ALLOWED_HOSTS = ["www.example.com"]
MIDDLEWARE_CLASSES = (
    "djangosecure.middleware.SecurityMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
)
INSTALLED_APPS = (
    "django.contrib.sessions",
    "djangosecure",
    "south",
)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_SSL_REDIRECT = True
SECURE_HSTS_SECONDS = 63072000
