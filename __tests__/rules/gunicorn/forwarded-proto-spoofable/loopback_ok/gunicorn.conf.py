# Only local processes reach it, and nothing in the repository forwards plain HTTP to it.
bind = "127.0.0.1:8000"
forwarded_allow_ips = "*"
