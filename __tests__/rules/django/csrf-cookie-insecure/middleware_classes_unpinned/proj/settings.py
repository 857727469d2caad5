# Only MIDDLEWARE_CLASSES and nothing pins the release (`Django>=1.11` is an open bound): judged as Django 1.11,
# the release it was written for, so the CSRF cookie behind CsrfViewMiddleware is judged (EveryElection, textress).
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
