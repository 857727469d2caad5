SECRET_KEY = "abc  # expect-finding
DEBUG = False
