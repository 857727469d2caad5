SECRET_KEY = "x" * 50
DEBUG = False
ALLOWED_HOSTS = ["recipes.example.com"]
MIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]
