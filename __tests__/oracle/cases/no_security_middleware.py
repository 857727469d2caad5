# SecurityMiddleware missing: Django reports W001 and, because its HSTS/redirect checks are gated on the
# middleware, no W004/W008. Ours may also report hsts-off here (documented difference: allowed with W001).
SECRET_KEY = "n8#q2v!t6Zk0@wYp4r^Lm1$Hs7Bc9Xe3Gd5Fa+Jh2Ku8Nw0Pv6Ry4Tz1Qx7Sb3"
ALLOWED_HOSTS = ["www.example.com"]
INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth", "django.contrib.sessions"]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
]
SECURE_SSL_REDIRECT = True  # silently ignored without the middleware
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
