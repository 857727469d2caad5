# expect-finding (MIDDLEWARE is unset, so the finding sits on line 1).
# Written for Django before 1.10: only MIDDLEWARE_CLASSES, with SecurityMiddleware in it. Judged with a newer
# django-version (6.0 here), where that list is ignored: still reported (no middleware runs there), but low, with the reason.
SECRET_KEY = "fixture-only-not-a-secret-0123456789abcdefghijklmnopqrstuvwxyz"
DEBUG = False
ALLOWED_HOSTS = ["www.example.com"]
INSTALLED_APPS = ["django.contrib.auth", "django.contrib.contenttypes"]
MIDDLEWARE_CLASSES = (
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.common.CommonMiddleware",
)
SECURE_SSL_REDIRECT = False
