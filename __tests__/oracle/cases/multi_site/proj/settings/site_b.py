from .base import *  # noqa: F403

# No HSTS for this site (W004), and its session cookie is sent over HTTP (W012).
SESSION_COOKIE_SECURE = False
