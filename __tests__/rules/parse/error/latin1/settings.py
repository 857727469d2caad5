# coding: latin-1
SECRET_KEY = "café"
INSTALLED_APPS = []
