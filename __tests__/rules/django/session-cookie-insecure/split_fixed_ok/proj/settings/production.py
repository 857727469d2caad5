from .base import *  # noqa: F401,F403

SESSION_COOKIE_SECURE = True
