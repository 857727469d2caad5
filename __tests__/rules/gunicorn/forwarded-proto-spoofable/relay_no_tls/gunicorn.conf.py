bind = "127.0.0.1:8000"
forwarded_allow_ips = "*"  # expect-finding
