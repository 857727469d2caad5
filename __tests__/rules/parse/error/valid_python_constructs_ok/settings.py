# Valid Python that the parser used to reject (each seen in real settings and helpers).
import contextlib

SECRET_KEY = "fixture-only-not-a-secret-0123456789abcdefghijklmnopqrstuvwxyz"
DEBUG = False
ALLOWED_HOSTS = ["www.example.com"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_AGE = 14 * 24 * 3600.


@contextlib.contextmanager
def nothing():
    yield


with (nothing() as a, nothing() as b):
    pass

PAIRS = [("ALLOWED", "x", "y")]
FIRSTS = [x for x, *_ in PAIRS]
