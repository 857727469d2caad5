#!/bin/sh
# Shape from codalab-competitions: one of two configs becomes the site.
if [ -n "$SSL_CERTIFICATE" ]
then
    envsubst < app/docker/nginx/ssl.conf > /etc/nginx/conf.d/default.conf
else
    envsubst < app/docker/nginx/nginx.conf > /etc/nginx/conf.d/default.conf
fi
nginx -g "daemon off;"
