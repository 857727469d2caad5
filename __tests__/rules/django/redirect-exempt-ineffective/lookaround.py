INSTALLED_APPS = []
MIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]
SECURE_SSL_REDIRECT = True
# A negative lookahead: whether it exempts every path cannot be evaluated in linear time, and is said so.
SECURE_REDIRECT_EXEMPT = [r"^(?!admin/)"]  # expect-finding
