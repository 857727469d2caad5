# SecurityMiddleware added by list mutation (insert/append/+=): Django sees it, so no W001.
SECRET_KEY = "n8#q2v!t6Zk0@wYp4r^Lm1$Hs7Bc9Xe3Gd5Fa+Jh2Ku8Nw0Pv6Ry4Tz1Qx7Sb3"
ALLOWED_HOSTS = ["www.example.com"]
INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth", "django.contrib.sessions"]
MIDDLEWARE = ["django.contrib.sessions.middleware.SessionMiddleware"]
MIDDLEWARE.insert(0, "django.middleware.security.SecurityMiddleware")
MIDDLEWARE += ["django.middleware.csrf.CsrfViewMiddleware"]
SECURE_HSTS_SECONDS = 31536000
SESSION_COOKIE_SECURE = True
# No SSL redirect, no subdomains/preload, CSRF cookie default: W008, W005, W021, W016.
