# nginx overwrites the header, but gunicorn also listens on every interface of the host.
bind = "0.0.0.0:8000"
forwarded_allow_ips = "*"  # expect-finding
