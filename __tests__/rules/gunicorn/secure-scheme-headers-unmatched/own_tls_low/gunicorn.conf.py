bind = "0.0.0.0:8443"
certfile = "ssl/cert.pem"
keyfile = "ssl/key.pem"
secure_scheme_headers = {"X-Forwarded-Proto": "https"}  # expect-finding
