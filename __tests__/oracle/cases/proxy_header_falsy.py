# A falsy SECURE_PROXY_SSL_HEADER means "not set": request.scheme tests it for truth before unpacking it.
SECRET_KEY = "n8#q2v!t6Zk0@wYp4r^Lm1$Hs7Bc9Xe3Gd5Fa+Jh2Ku8Nw0Pv6Ry4Tz1Qx7Sb3"
ALLOWED_HOSTS = ["www.example.com"]
MIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]
SECURE_SSL_REDIRECT = True
SECURE_HSTS_SECONDS = 3600
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_PROXY_SSL_HEADER = ()
SECURE_REDIRECT_EXEMPT = [r"^/?healthz$", r"^status/"]
