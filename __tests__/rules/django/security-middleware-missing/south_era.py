# Written for Django 1.6 or older (South is installed): SecurityMiddleware does not exist there, django-secure's does.
SECRET_KEY = "fixture-only-not-a-secret-0123456789abcdefghijklmnopqrstuvwxyz"
DEBUG = False
ALLOWED_HOSTS = ["www.example.com"]
MIDDLEWARE_CLASSES = (  # expect-finding: the list, where the fix goes
    "django.middleware.common.CommonMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
)
INSTALLED_APPS = (
    "django.contrib.sessions",
    "south",
)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
