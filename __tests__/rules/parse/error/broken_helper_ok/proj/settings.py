# A helper module with a syntax error is not a deployment file: Python would fail on the import, and what the
# settings take from it is unknown, not a parse error of the settings.
from .helpers import cookie_flag

SECRET_KEY = "fixture-only-not-a-secret-0123456789abcdefghijklmnopqrstuvwxyz"
DEBUG = False
ALLOWED_HOSTS = ["www.example.com"]
SESSION_COOKIE_SECURE = cookie_flag
