bind = "127.0.0.1:8000"
secure_scheme_headers = {"X-Forwarded-Proto": "https"}  # expect-finding
