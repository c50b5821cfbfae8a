"""Gunicorn's configuration for Tidtam in production (`make serve`, README "Deployment").

    gunicorn --config deploy/gunicorn.conf.py --bind 127.0.0.1:8000

Settings come from the environment, like the application's:

    WEB_CONCURRENCY   worker processes (default: 2 per core, plus one: 5 on 2 cores)
    WEB_TIMEOUT       seconds a request may run before its worker is restarted (60)
    LOG_DIR           access.log and error.log go there (default: the access log to stdout,
                      errors to stderr)
    GUNICORN_PIDFILE  where the master's process id is written (var/gunicorn.pid); two servers
                      on one machine need one each

A graceful restart (a new release, new settings): `kill -HUP $(cat var/gunicorn.pid)` starts new
workers with the new code and lets the old ones finish their requests. SIGTERM stops after the
requests in flight (up to 30 s); SIGINT (Ctrl-C) at once.
"""

from __future__ import annotations

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

wsgi_app = "tidtam.wsgi:application"
chdir = str(BASE_DIR)
# Behind nginx on the same machine; `--bind` on the command line overrides it.
bind = ["127.0.0.1:8000"]

# Synchronous workers: nginx in front buffers slow clients, and each worker keeps one database
# connection (DB_CONN_MAX_AGE). A page or an export that needs more than WEB_TIMEOUT seconds
# belongs in a background job.
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * len(os.sched_getaffinity(0)) + 1))
timeout = int(os.environ.get("WEB_TIMEOUT", "60"))
graceful_timeout = 30
# A worker is replaced after this many requests: memory a long-lived process gathers is given
# back. The jitter is half of it, because workers share the load evenly: with a jitter of 10 %
# both workers of bench/serving.py reached their limit within the same second at 2,000 req/s
# and nobody served for seconds while they restarted (p99 4 s).
max_requests = 5000
max_requests_jitter = 2500
# Not preloaded, so that SIGHUP loads the new code of an upgrade into the new workers.
preload_app = False
# The workers' heartbeat files in memory, never on a slow disk.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None

pidfile = os.environ.get("GUNICORN_PIDFILE", str(BASE_DIR / "var" / "gunicorn.pid"))
# Restarts are by signal (above); no control socket under the operator's home directory.
control_socket_disable = True

# nginx sets X-Forwarded-Proto; gunicorn believes it from these addresses only (Django reads it
# through SECURE_PROXY_SSL_HEADER). FORWARDED_ALLOW_IPS names nginx's address when it runs on
# another machine.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

_log_dir = os.environ.get("LOG_DIR", "")
accesslog = os.path.join(_log_dir, "access.log") if _log_dir else "-"
errorlog = os.path.join(_log_dir, "error.log") if _log_dir else "-"
# The peer (nginx), then the client as X-Forwarded-For names it, and the time taken.
access_log_format = (
    '%(h)s %({x-forwarded-for}i)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(M)sms'
)
# The application's own log (LOG_LEVEL) goes to the error log too.
capture_output = bool(_log_dir)
loglevel = "info"
proc_name = "tidtam"


def post_worker_init(worker: object) -> None:
    """The worker has loaded the application: Django, its models, settings and URL patterns
    live as long as the worker. Frozen out of the garbage collector's reach (gc.freeze), they
    are no longer walked by its full passes, about 150,000 objects that cost the request
    which set one off some tens of milliseconds."""
    import gc

    gc.freeze()
