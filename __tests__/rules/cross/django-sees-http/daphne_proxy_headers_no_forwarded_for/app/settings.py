# Production settings behind nginx (ASGI).
DEBUG = False
ALLOWED_HOSTS = ["www.example.com"]
INSTALLED_APPS = ["django.contrib.sessions", "django.contrib.auth", "django.contrib.contenttypes"]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
]
SESSION_COOKIE_SECURE = True  # expect-finding: daphne reads X-Forwarded-Proto only with X-Forwarded-For
CSRF_COOKIE_SECURE = True
