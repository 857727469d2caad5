# Only MIDDLEWARE_CLASSES and nothing pins the release: on the Django assumed (6.0) no middleware runs, so
# there is no CSRF cookie to judge (security-middleware-missing says what is wrong instead).
SECRET_KEY = "k" * 50
DEBUG = False
ALLOWED_HOSTS = ["lists.example.org"]

MIDDLEWARE_CLASSES = (
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
)

SESSION_COOKIE_SECURE = True
