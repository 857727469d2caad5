# Uses django-environ, which is not installed next to the oracle: counted as "not importable".
import environ

env = environ.Env()
SECRET_KEY = env("DJANGO_SECRET_KEY", default="n8#q2v!t6Zk0@wYp4r^Lm1$Hs7Bc9Xe3Gd5Fa+Jh2Ku8Nw0Pv6Ry4Tz1Qx7Sb3")
MIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]
SECURE_HSTS_SECONDS = env.int("HSTS_SECONDS", default=0)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=False)
