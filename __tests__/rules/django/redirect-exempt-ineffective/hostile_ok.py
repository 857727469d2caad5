INSTALLED_APPS = []
MIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]
SECURE_SSL_REDIRECT = True
# Exponential in a backtracking engine, linear in RE2; and a lookahead the looser form already decides.
SECURE_REDIRECT_EXEMPT = [r"^(a+)+$", r"^(a|aa)*b", r"^(?!x)healthz$"]
