bind = "unix:/run/gunicorn.sock"
forwarded_allow_ips = "*"
secure_scheme_headers = {"X-Forwarded-Proto": "https"}  # expect-finding
