bind = "0.0.0.0:8000
workers = 2
forwarded_allow_ips = "10.0.0.5"
