"""The application backend of the Switchboard FastAPI example (README.md in this folder).

Run: python3 -m uvicorn app:app --port 9000   (from this folder)

Browsers log in here and get an HttpOnly session cookie; they never see a token. The Switchboard
nodes ask this app, over Centrifugo's HTTP proxy protocol (docs/proxy.md), who a connection is
(/rt/connect, from the forwarded Cookie), who may subscribe to a job (/rt/subscribe), what a client
may publish (/rt/publish) and how to answer rpc calls (/rt/rpc); they report connection lifecycle
events to /rt/events. The worker (worker.py) runs the jobs and publishes their progress through
the node's server API.
"""

import hmac
import html
import os
import json
import logging
import secrets
import time
from collections import OrderedDict
from dataclasses import asdict, dataclass
from typing import Optional
from urllib.parse import parse_qs

from fastapi import BackgroundTasks, FastAPI, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response
from itsdangerous import BadSignature, TimestampSigner
from starlette.concurrency import run_in_threadpool

import settings
from sbapi import SwitchboardApi, TemporaryApiError

log = logging.getLogger("app")

app = FastAPI(title="Switchboard FastAPI example", docs_url=None, redoc_url=None, openapi_url=None)
api = SwitchboardApi(settings.SWITCHBOARD_API_URLS, settings.SWITCHBOARD_API_KEY)
signer = TimestampSigner(settings.SESSION_SECRET, salt="sbdemo-session")

# Application error codes sent to clients through the proxies. Centrifugo leaves codes from 400
# upwards to applications; centrifuge-js reports them as they are (docs/proxy.md).
ERR_LOGIN_REQUIRED = 1000  # connect without a valid session: centrifuge-js stops, no retry
ERR_NOT_YOUR_JOB = 1001  # subscribe/rpc on a job that is not the user's (or does not exist)
ERR_PUBLISH_REJECTED = 1003  # a client publication that is not a valid comment
ERR_METHOD_NOT_FOUND = 104  # Centrifugo's own code for an unknown rpc method
ERR_BAD_REQUEST = 107  # Centrifugo's own code for malformed rpc arguments


# --------------------------------------------------------------------------------------------
# State. In memory: the example keeps one app process. A real backend keeps jobs in its database.


@dataclass
class Job:
    id: str
    owner: str
    steps: int
    step: int = 0
    state: str = "queued"  # queued → running → done | cancelled
    created: int = 0

    def public(self) -> dict:
        return asdict(self)


jobs: "OrderedDict[str, Job]" = OrderedDict()
# Webhook events by id: a node delivers at least once, so a retried batch must not count twice.
events: "OrderedDict[str, dict]" = OrderedDict()


# --------------------------------------------------------------------------------------------
# Bounded bodies


class BodyTooLarge(Exception):
    pass


@app.exception_handler(BodyTooLarge)
async def _too_large(request: Request, exc: BodyTooLarge):
    return JSONResponse({"detail": "request body too large"}, status_code=413)


async def read_body(request: Request, limit: int = settings.MAX_BODY_BYTES) -> bytes:
    """The body, refused past `limit` whether or not the client sent a Content-Length."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise BodyTooLarge()
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge()
        chunks.append(chunk)
    return b"".join(chunks)


async def read_json(request: Request, limit: int = settings.MAX_BODY_BYTES) -> Optional[dict]:
    try:
        value = json.loads(await read_body(request, limit) or b"{}")
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def bearer_ok(request: Request, secret: str) -> bool:
    given = request.headers.get("authorization", "")
    return hmac.compare_digest(given.encode(), f"Bearer {secret}".encode())


# --------------------------------------------------------------------------------------------
# Sessions: a signed, HttpOnly cookie holding the user name


def session_user(cookie_header_or_value: Optional[str]) -> Optional[str]:
    if not cookie_header_or_value:
        return None
    try:
        user = signer.unsign(cookie_header_or_value, max_age=settings.SESSION_MAX_AGE).decode()
    except (BadSignature, UnicodeDecodeError):
        return None
    return user if user in settings.USERS else None


def request_user(request: Request) -> Optional[str]:
    return session_user(request.cookies.get(settings.SESSION_COOKIE))


@app.post("/login")
async def login(request: Request):
    form = parse_qs((await read_body(request, 4096)).decode(errors="replace"))
    username = (form.get("username") or [""])[0]
    password = (form.get("password") or [""])[0]
    expected = settings.USERS.get(username)
    if expected is None or not hmac.compare_digest(password.encode(), expected.encode()):
        return HTMLResponse(page_login("Wrong user name or password."), status_code=401)
    response = RedirectResponse("/", status_code=303)
    response.set_cookie(
        settings.SESSION_COOKIE,
        signer.sign(username).decode(),
        max_age=settings.SESSION_MAX_AGE,
        httponly=True,  # page scripts never see it: nothing for an XSS to steal
        samesite="lax",  # no cookie on cross-site POSTs: the forms here need no CSRF token
        secure=request.url.scheme == "https",
    )
    return response


@app.post("/logout")
async def logout():
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(settings.SESSION_COOKIE)
    return response


# --------------------------------------------------------------------------------------------
# Pages


def page_login(message: str = "") -> str:
    users = html.escape(", ".join(settings.USERS))
    message = html.escape(message)
    return f"""<!doctype html>
<html><head><meta charset="utf-8"><title>Switchboard demo: log in</title></head>
<body>
<h1>Switchboard demo</h1>
<p id="message">{message}</p>
<form method="post" action="/login" id="login">
  <label>User <input name="username" autocomplete="username"></label>
  <label>Password <input name="password" type="password" autocomplete="current-password"></label>
  <button type="submit">Log in</button>
</form>
<p>Demo users: {users} (passwords in settings.py).</p>
</body></html>"""


@app.get("/", response_class=HTMLResponse)
async def index(request: Request):
    user = request_user(request)
    if user is None:
        return HTMLResponse(page_login())
    # The page gets the node URLs and the user's name; its connection is authenticated by the
    # cookie the browser sends on the WebSocket upgrade, never by anything in this page.
    config = json.dumps({"user": user, "wsUrls": settings.SWITCHBOARD_WS_URLS}).replace("<", "\\u003c")
    user = html.escape(user)
    return HTMLResponse(
        f"""<!doctype html>
<html><head><meta charset="utf-8"><title>Switchboard demo: {user}'s jobs</title>
<style>body{{font-family:sans-serif;max-width:48em;margin:2em auto}} .job{{border:1px solid #ccc;padding:.5em;margin:.5em 0}}
progress{{width:20em}} #log{{font-size:.85em;color:#555}}</style></head>
<body>
<h1>{user}'s jobs</h1>
<p>Connection: <span id="status">connecting…</span> <span id="node"></span></p>
<form method="post" action="/logout"><button type="submit">Log out</button></form>
<button id="start">Start a job</button>
<div id="jobs"></div>
<h2>Log</h2><ul id="log"></ul>
<script id="config" type="application/json">{config}</script>
<script src="/static/centrifuge.js"></script>
<script src="/static/app.js"></script>
</body></html>"""
    )


@app.get("/static/centrifuge.js")
async def centrifuge_bundle():
    # FileResponse only finds a missing file while sending, too late for a useful answer.
    if not os.path.isfile(settings.CENTRIFUGE_JS):
        return Response(
            "console.error('centrifuge.js not found: run `npm ci --prefix conformance` (README)')",
            media_type="text/javascript",
            status_code=500,
        )
    return FileResponse(settings.CENTRIFUGE_JS, media_type="text/javascript")


@app.get("/static/app.js")
async def page_script():
    return FileResponse(f"{settings.HERE}/static/app.js", media_type="text/javascript")


# --------------------------------------------------------------------------------------------
# Jobs (for logged-in users)


@app.post("/jobs")
async def create_job(request: Request):
    user = request_user(request)
    if user is None:
        return JSONResponse({"detail": "log in first"}, status_code=401)
    active = sum(1 for j in jobs.values() if j.owner == user and j.state in ("queued", "running"))
    if active >= settings.MAX_ACTIVE_JOBS_PER_USER:
        return JSONResponse({"detail": "too many active jobs"}, status_code=429)
    while len(jobs) >= settings.MAX_JOBS:
        jobs.popitem(last=False)
    # Random ids: a Redis kept across app restarts still holds old jobs' history, and a reused id
    # would hand a new job's subscribers an old job's publications.
    job = Job(id=secrets.token_hex(6), owner=user, steps=settings.JOB_STEPS, created=int(time.time() * 1000))
    jobs[job.id] = job
    return {"job": job.public(), "channel": f"jobs:{job.id}"}


@app.get("/jobs")
async def list_jobs(request: Request):
    user = request_user(request)
    if user is None:
        return JSONResponse({"detail": "log in first"}, status_code=401)
    return {"jobs": [j.public() for j in jobs.values() if j.owner == user]}


# --------------------------------------------------------------------------------------------
# Internal endpoints for the worker


@app.post("/internal/jobs/claim")
async def claim_job(request: Request):
    if not bearer_ok(request, settings.INTERNAL_SECRET):
        return JSONResponse({"detail": "unauthorized"}, status_code=401)
    for job in jobs.values():
        if job.state == "queued":
            job.state = "running"
            return {"job": job.public()}
    return {"job": None}


@app.post("/internal/jobs/{job_id}/progress")
async def job_progress(job_id: str, request: Request):
    """The worker reports a step BEFORE publishing it, so a late joiner's state on subscribe is
    never behind the publications it will receive next."""
    if not bearer_ok(request, settings.INTERNAL_SECRET):
        return JSONResponse({"detail": "unauthorized"}, status_code=401)
    body = await read_json(request)
    job = jobs.get(job_id)
    if job is None:
        return JSONResponse({"detail": "no such job"}, status_code=404)
    if body is None or not isinstance(body.get("step"), int):
        return JSONResponse({"detail": "step (int) required"}, status_code=400)
    if job.state == "cancelled":
        return {"job": job.public(), "cancelled": True}
    job.step = max(job.step, min(body["step"], job.steps))
    job.state = "done" if job.step >= job.steps else "running"
    return {"job": job.public(), "cancelled": False}


# --------------------------------------------------------------------------------------------
# Proxies called by the Switchboard nodes (docs/proxy.md). Each answers HTTP 200 with `result`,
# `error` or `disconnect`; anything else is a backend failure to the node.


def proxy_call_ok(request: Request) -> bool:
    return hmac.compare_digest(request.headers.get("x-proxy-secret", "").encode(), settings.PROXY_SECRET.encode())


def refuse(code: int, message: str, temporary: bool = False) -> dict:
    return {"error": {"code": code, "message": message, "temporary": temporary}}


def cookie_value(cookie_header: str, name: str) -> Optional[str]:
    for part in cookie_header.split(";"):
        key, _, value = part.strip().partition("=")
        if key == name:
            return value
    return None


@app.post("/rt/connect")
async def rt_connect(request: Request):
    if not proxy_call_ok(request):
        return JSONResponse({"detail": "unauthorized"}, status_code=401)
    await read_json(request)
    # The node forwards the browser's Cookie header (http_headers: [Cookie]).
    user = session_user(cookie_value(request.headers.get("cookie", ""), settings.SESSION_COOKIE))
    if user is None:
        # An error (not a disconnect): centrifuge-js reports it in its `disconnected` event with
        # this code and message and does not reconnect, since logging in again is up to the user.
        return refuse(ERR_LOGIN_REQUIRED, "login required")
    return {"result": {"user": user, "data": {"user": user}}}


@app.post("/rt/subscribe")
async def rt_subscribe(request: Request):
    if not proxy_call_ok(request):
        return JSONResponse({"detail": "unauthorized"}, status_code=401)
    body = await read_json(request) or {}
    job = job_of(body.get("channel"))
    # Unknown and foreign jobs get the same answer: no probing which job ids exist.
    if job is None or job.owner != body.get("user"):
        return refuse(ERR_NOT_YOUR_JOB, "not your job")
    # `data` is the subscribe reply's data: a late joiner gets the job's state at once.
    return {"result": {"data": {"job": job.public()}}}


@app.post("/rt/publish")
async def rt_publish(request: Request):
    if not proxy_call_ok(request):
        return JSONResponse({"detail": "unauthorized"}, status_code=401)
    body = await read_json(request) or {}
    job = job_of(body.get("channel"))
    if job is None or job.owner != body.get("user"):
        return refuse(ERR_NOT_YOUR_JOB, "not your job")
    data = body.get("data")
    text = data.get("text") if isinstance(data, dict) else None
    if (
        not isinstance(data, dict)
        or data.get("type") != "comment"
        or not isinstance(text, str)
        or not text.strip()
        or len(text) > settings.MAX_COMMENT_CHARS
    ):
        return refuse(ERR_PUBLISH_REJECTED, f"only comments: {{type: comment, text: 1-{settings.MAX_COMMENT_CHARS} chars}}")
    # What subscribers get is the app's version: the author and time come from the server, so a
    # client cannot pretend to be someone else.
    return {
        "result": {
            "data": {"type": "comment", "text": text.strip(), "author": body["user"], "ts": int(time.time() * 1000)}
        }
    }


@app.post("/rt/rpc")
async def rt_rpc(request: Request, background: BackgroundTasks):
    if not proxy_call_ok(request):
        return JSONResponse({"detail": "unauthorized"}, status_code=401)
    body = await read_json(request) or {}
    method = body.get("method")
    if method != "cancel_job":
        return refuse(ERR_METHOD_NOT_FOUND, "method not found")
    args = body.get("data")
    job_id = args.get("job") if isinstance(args, dict) else None
    if not isinstance(job_id, str):
        return refuse(ERR_BAD_REQUEST, "cancel_job needs {job: <id>}")
    job = jobs.get(job_id)
    if job is None or job.owner != body.get("user"):
        return refuse(ERR_NOT_YOUR_JOB, "not your job")
    if job.state in ("queued", "running"):
        job.state = "cancelled"
        # Tell every subscriber after answering: the rpc reply must not wait on the publish.
        background.add_task(publish_cancelled, job.public())
    return {"result": {"data": {"job": job.public()}}}


def publish_cancelled(job: dict) -> None:
    try:
        api.publish(
            f"jobs:{job['id']}",
            {"type": "state", "state": "cancelled", "step": job["step"], "steps": job["steps"]},
            idempotency_key=f"job-{job['id']}-cancelled",
            deadline_s=10,
        )
    except (TemporaryApiError, RuntimeError) as e:
        log.warning("could not publish the cancellation of job %s: %s", job["id"], e)


def job_of(channel) -> Optional[Job]:
    if not isinstance(channel, str) or not channel.startswith("jobs:"):
        return None
    return jobs.get(channel[len("jobs:") :])


# --------------------------------------------------------------------------------------------
# Lifecycle webhooks from the nodes


EVENT_TYPES = {"connected", "disconnected", "subscribed", "unsubscribed"}


@app.post("/rt/events")
async def rt_events(request: Request):
    if not bearer_ok(request, settings.WEBHOOK_SECRET):
        return JSONResponse({"detail": "unauthorized"}, status_code=401)
    body = await read_json(request, settings.MAX_WEBHOOK_BODY_BYTES)
    batch = body.get("events") if body else None
    if not isinstance(batch, list):
        # Any non-2xx makes the node send the batch again; a malformed one would never get better.
        log.warning("webhook batch without an events list: acknowledged and dropped")
        return {}
    stored = 0
    for event in batch:
        if not isinstance(event, dict) or not isinstance(event.get("id"), str) or event.get("type") not in EVENT_TYPES:
            continue
        if event["id"] in events:
            continue  # a redelivery of a batch we already acknowledged
        events[event["id"]] = event
        stored += 1
        while len(events) > settings.MAX_EVENTS_KEPT:
            events.popitem(last=False)
    return {"stored": stored}


@app.get("/debug/events")
async def debug_events(request: Request):
    if not bearer_ok(request, settings.INTERNAL_SECRET):
        return JSONResponse({"detail": "unauthorized"}, status_code=401)
    return {"events": list(events.values())}


# --------------------------------------------------------------------------------------------
# Invoking a method on a connected agent (docs/rpc.md), through any node's /api/invoke


INVOKE_TIMEOUT_MS = 3000


@app.post("/agents/{user}/ping")
async def ping_agent(user: str, request: Request):
    me = request_user(request)
    if me is None:
        return JSONResponse({"detail": "log in first"}, status_code=401)
    if me != user:
        return JSONResponse({"detail": "you may only ping your own agents"}, status_code=403)
    body = {"user": user, "method": "ping", "data": {"sent_at": int(time.time() * 1000)}, "timeout": INVOKE_TIMEOUT_MS}
    try:
        # urllib blocks: keep it off the event loop. No retry: an invocation is not idempotent.
        answer = await run_in_threadpool(api.call, "invoke", body, INVOKE_TIMEOUT_MS / 1000 + 2)
    except TemporaryApiError as e:
        return JSONResponse({"detail": f"switchboard unavailable: {e}"}, status_code=503)
    if answer.status == 200 and answer.error is None:
        return {"agent": user, "result": (answer.result or {}).get("data")}
    message = (answer.error or {}).get("message", f"HTTP {answer.status}")
    if answer.status == 404:
        return JSONResponse({"detail": f"agent {user} is not connected", "reason": message}, status_code=404)
    if answer.status == 503:
        return JSONResponse({"detail": f"switchboard unavailable: {message}", "reason": message}, status_code=503)
    if answer.status == 504:
        return JSONResponse({"detail": f"agent {user} did not answer in time", "reason": message}, status_code=504)
    return JSONResponse({"detail": f"agent {user} failed: {message}", "reason": message}, status_code=502)
