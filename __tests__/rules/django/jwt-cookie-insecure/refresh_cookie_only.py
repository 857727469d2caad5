INSTALLED_APPS = ["django.contrib.sessions", "rest_framework", "dj_rest_auth"]
MIDDLEWARE = ["django.middleware.security.SecurityMiddleware", "django.contrib.sessions.middleware.SessionMiddleware"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
REST_USE_JWT = True
JWT_AUTH_REFRESH_COOKIE = "app-refresh"  # expect-finding: JWT_AUTH_SECURE defaults to False
