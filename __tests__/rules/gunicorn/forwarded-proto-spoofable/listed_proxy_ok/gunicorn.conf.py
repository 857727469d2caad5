bind = "0.0.0.0:8000"
# The proxy's own address: only it may set the scheme headers.
forwarded_allow_ips = "10.0.0.5"
