SECRET_KEY = "fixture-only-not-a-secret-0123456789abcdefghijklmnopqrstuvwxyz"
DEBUG = False
ALLOWED_HOSTS = ["{{ domain }}"]
{%- if use_https %}
SESSION_COOKIE_SECURE = True
{%- endif %}
