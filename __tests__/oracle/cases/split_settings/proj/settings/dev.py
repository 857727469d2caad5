from .base import *  # noqa: F403

DEBUG = True
# Keeps every insecure value of base.py: W004, W008, W012, W016.
