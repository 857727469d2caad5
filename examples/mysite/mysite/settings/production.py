"""Production settings: TLS is terminated by nginx, which talks to uwsgi."""
from .base import *  # noqa: F401,F403

SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=False)

# nginx sets X-Forwarded-Proto for us.
SECURE_PROXY_SSL_HEADER = ("X-Forwarded-Proto", "https")
SECURE_SSL_REDIRECT = True

SECURE_HSTS_SECONDS = 60 * 60 * 24 * 30
SECURE_HSTS_INCLUDE_SUBDOMAINS = True

SECURE_REDIRECT_EXEMPT = [r"^/healthz$"]
CSRF_TRUSTED_ORIGINS = ["https://shop.example.com", "http://admin.example.com"]
