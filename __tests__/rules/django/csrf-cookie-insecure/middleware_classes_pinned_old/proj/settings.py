# Written for Django before 1.10: only MIDDLEWARE_CLASSES. requirements.txt pins Django 1.11, which still reads it,
# so CsrfViewMiddleware runs and the CSRF cookie goes out without Secure.
SECRET_KEY = "k" * 50
DEBUG = False
ALLOWED_HOSTS = ["lists.example.org"]

MIDDLEWARE_CLASSES = (  # expect-finding
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
)

SESSION_COOKIE_SECURE = True
