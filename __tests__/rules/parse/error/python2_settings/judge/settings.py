# A settings module written for Python 2 (Django 1.x); shape from DMOJ's site. Valid for the Python it runs on:
# reported low, as a limit of the reader, and the settings before it are still judged.
import os

SECRET_KEY = "fixture-only-not-a-secret-0123456789abcdefghijklmnopqrstuvwxyz"
DEBUG = False
ALLOWED_HOSTS = ["judge.example.org"]
MIDDLEWARE_CLASSES = (
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
)

try:
    with open(os.path.join(os.path.dirname(__file__), "local_settings.py")) as f:
        exec f in globals()  # expect-finding
except IOError:
    pass
