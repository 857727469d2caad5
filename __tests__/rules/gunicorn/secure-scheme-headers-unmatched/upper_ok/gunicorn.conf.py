bind = "unix:/run/gunicorn.sock"
secure_scheme_headers = {
    "X-FORWARDED-PROTO": "https",
}
