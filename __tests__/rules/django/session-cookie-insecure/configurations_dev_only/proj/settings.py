# The production class forgets the session cookie: judged on it, though wsgi.py defaults to the development class.
from configurations import Configuration, values


class Base(Configuration):
    SECRET_KEY = values.SecretValue()
    DEBUG = False
    ALLOWED_HOSTS = ["docs.example.org"]
    INSTALLED_APPS = [
        "django.contrib.auth",
        "django.contrib.contenttypes",
        "django.contrib.sessions",
    ]
    MIDDLEWARE = [  # expect-finding
        "django.middleware.security.SecurityMiddleware",
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.middleware.csrf.CsrfViewMiddleware",
    ]


class Development(Base):
    DEBUG = True


class Production(Base):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 63072000
    CSRF_COOKIE_SECURE = True
