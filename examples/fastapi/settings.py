"""Settings of the example backend, from the environment with demo defaults.

Every default here is a DEMO value: anyone who reads this file knows it. Set the variables to
real secrets (e.g. `python3 -c "import secrets; print(secrets.token_urlsafe(32))"`) anywhere but
on your own machine.
"""

import os


def _env(name: str, default: str) -> str:
    value = os.environ.get(name, "")
    return value if value else default


# The demo users and their passwords. A real backend has a user table with password hashes; the
# point here is the real-time wiring, not account management.
USERS = {
    "alice": "alice-password",
    "bob": "bob-password",
}

# Signs the session cookie (itsdangerous): a cookie cannot be forged without it.
SESSION_SECRET = _env("APP_SESSION_SECRET", "demo-session-secret-change-me")
SESSION_COOKIE = "sbdemo_session"
SESSION_MAX_AGE = 8 * 3600

# Sent by the node on every proxy call (switchboard.yaml, `static_headers`). Without it anyone who
# can reach the app could POST a forged proxy request, e.g. an rpc naming another user.
PROXY_SECRET = _env("APP_PROXY_SECRET", "demo-proxy-secret-change-me")

# Sent by the node on every webhook batch (`webhook.static_headers`: Authorization: Bearer ...).
WEBHOOK_SECRET = _env("APP_WEBHOOK_SECRET", "demo-webhook-secret-change-me")

# Between the app and its worker, and for GET /debug/events.
INTERNAL_SECRET = _env("APP_INTERNAL_SECRET", "demo-internal-secret-change-me")

# The node's server API: any node of the cluster will do; more than one is tried in turn.
SWITCHBOARD_API_URLS = [
    u.strip().rstrip("/")
    for u in _env("SWITCHBOARD_API_URLS", "http://127.0.0.1:8000/api,http://127.0.0.1:8001/api").split(",")
    if u.strip()
]
SWITCHBOARD_API_KEY = _env("SWITCHBOARD_API_KEY", "demo-api-key-change-me")

# WebSocket endpoints the page may connect to; `{host}` becomes the page's own host name, so the
# session cookie (cookies ignore ports) reaches the node whether the page is on localhost or
# 127.0.0.1. The page picks one at random, as a round-robin load balancer would.
SWITCHBOARD_WS_URLS = [
    u.strip()
    for u in _env(
        "SWITCHBOARD_WS_URLS",
        "ws://{host}:8000/connection/websocket,ws://{host}:8001/connection/websocket",
    ).split(",")
    if u.strip()
]

# centrifuge-js's browser bundle, served at /static/centrifuge.js (see README: why not a CDN).
HERE = os.path.dirname(os.path.abspath(__file__))
CENTRIFUGE_JS = _env(
    "CENTRIFUGE_JS",
    os.path.join(HERE, "..", "..", "conformance", "node_modules", "centrifuge", "dist", "centrifuge.js"),
)

# Bounds: the example is also a model for real backends, and an unbounded endpoint is a DoS.
MAX_BODY_BYTES = 64 * 1024
MAX_WEBHOOK_BODY_BYTES = 1024 * 1024
MAX_JOBS = 1000
MAX_ACTIVE_JOBS_PER_USER = 10
MAX_EVENTS_KEPT = 10_000
MAX_COMMENT_CHARS = 280
JOB_STEPS = int(_env("APP_JOB_STEPS", "10"))
