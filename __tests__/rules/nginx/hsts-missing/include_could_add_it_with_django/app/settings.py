# Provenance: reduced from WKR (Mrakobec/WKR, mysite/internet-config/nginx/site-confs and mysite/settings.py).
SECRET_KEY = 'x'
DEBUG = False
ALLOWED_HOSTS = ['example.com']
INSTALLED_APPS = ['django.contrib.sessions']
MIDDLEWARE = [
    'django.middleware.security.SecurityMiddleware',
    'django.contrib.sessions.middleware.SessionMiddleware',
]
ROOT_URLCONF = 'app.urls'
SECURE_PROXY_SSL_HEADER = ('HTTP_X_FORWARDED_PROTO', 'https')
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
