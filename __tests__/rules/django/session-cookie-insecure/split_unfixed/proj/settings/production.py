from .base import *  # noqa: F401,F403  expect-finding

DEBUG = False
