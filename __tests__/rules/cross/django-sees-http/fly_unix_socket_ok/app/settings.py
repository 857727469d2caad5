# Production settings on a platform whose router terminates TLS.
DEBUG = False
ALLOWED_HOSTS = ["shop.fly.dev"]
INSTALLED_APPS = ["django.contrib.sessions", "django.contrib.auth", "django.contrib.contenttypes"]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
]
SESSION_COOKIE_SECURE = True  # expect-finding: where SECURE_PROXY_SSL_HEADER belongs
CSRF_COOKIE_SECURE = True
