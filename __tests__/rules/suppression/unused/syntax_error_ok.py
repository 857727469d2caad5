DEBUG = False
# https-guard: ignore[django/hsts-off] -- the file cannot be parsed, so nothing here is judged stale
SECURE_HSTS_SECONDS = 0
SECURE_SSL_REDIRECT = (
