# Overrides the common component: this file runs after it.
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
