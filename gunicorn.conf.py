"""gunicorn settings for quizapp: `gunicorn -c gunicorn.conf.py "quizapp.app:create_app()"`.

`make run` serves with this file. Each value can be set from the environment:
HOST and PORT (where to listen), WEB_CONCURRENCY (worker processes), GUNICORN_THREADS
(threads per worker), GUNICORN_TIMEOUT (seconds). `kill -HUP <master pid>` reloads the
code and this file gracefully: new workers start, old ones finish their requests first.
"""

import os

from quizapp.config import rate_limit_storage

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '5000')}"

# Processes times threads is how many requests are served at once. Requests mostly wait
# on the database, so threads are cheap; processes keep serving when one of them dies.
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))

# A worker silent for this long is killed and replaced; on reload or stop, requests in
# flight get graceful_timeout seconds to finish.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5

# Replace each worker after many requests, so a slow leak cannot grow forever. A replacement
# imports the app (about a second without that worker), so at thousands of requests a second
# a low bound would restart workers every few seconds: 5,000 cut throughput by half.
max_requests = 100_000
max_requests_jitter = 10_000

# No preload: each worker imports the app itself, so HUP reloads new code and no database
# connection is shared across fork.
preload_app = False

accesslog = "-"
errorlog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'

# Proxy headers are trusted only by the app's ProxyFix (QUIZAPP_TRUSTED_PROXIES), in one place.
secure_scheme_headers: dict[str, str] = {}
forwarded_allow_ips = ""


def when_ready(server) -> None:
    """Say where login limits are counted: shared (Redis) or in each worker on its own."""
    storage = rate_limit_storage()
    if storage.startswith("memory://"):
        server.log.warning(
            "login limits are counted in each of the %s workers on its own (memory://); "
            "set REDIS_URL to share them",
            workers,
        )
    else:
        server.log.info("login limits are shared through %s", storage.split("://", 1)[0])

# No control socket: several masters on one machine would share its one path.
control_socket_disable = True
