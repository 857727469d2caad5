# Class-based settings exported into the module (the `load_settings(__name__)` pattern): Python's MRO decides
# which class's attribute wins; a class body sees module names but not its bases' attributes.
import inspect
import os
import sys

SECRET_KEY = "n8#q2v!t6Zk0@wYp4r^Lm1$Hs7Bc9Xe3Gd5Fa+Jh2Ku8Nw0Pv6Ry4Tz1Qx7Sb3"
COMMON_MIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]


class Settings:
    @classmethod
    def load_settings(cls, module_name):
        self = cls()
        module = sys.modules[module_name]
        for member, value in inspect.getmembers(self):
            if member.isupper() and not member.startswith("_"):
                setattr(module, member, value)


class Base(Settings):
    ALLOWED_HOSTS = ["www.example.com"]
    INSTALLED_APPS = ["django.contrib.sessions"]
    MIDDLEWARE = COMMON_MIDDLEWARE + ["django.contrib.sessions.middleware.SessionMiddleware"]
    SECURE_SSL_REDIRECT = False
    SECURE_HSTS_SECONDS = 0
    SESSION_COOKIE_SECURE = os.environ.get("SESSION_COOKIE_SECURE", "") == "1"
    _PRIVATE = True


class Hardened:
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 3600
    CSRF_COOKIE_SECURE = True


class Prod(Hardened, Base):
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    MIDDLEWARE = Base.MIDDLEWARE + ["django.middleware.csrf.CsrfViewMiddleware"]


Prod.load_settings(__name__)
