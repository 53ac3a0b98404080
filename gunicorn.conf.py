"""gunicorn settings for the shipped image and docker-compose (``gunicorn -c gunicorn.conf.py``).

gunicorn has no body-size limit of its own: the application refuses large bodies before it
reads them (portal/middleware.py, PORTAL_MAX_REQUEST_BYTES) and a reverse proxy in front should
do the same (nginx ``client_max_body_size 60m;``, see docs/security.md). Here: the request line
and headers are bounded, and a slow client cannot hold a worker forever.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "3"))
keepalive = 10
timeout = 60
accesslog = "-"

# A URL of at most 8 KB, at most 100 headers of at most 8 KB each (gunicorn refuses more with
# 400 before Django sees the request).
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190
