"""The example's worker: runs queued jobs and publishes their progress (README.md in this folder).

It holds no WebSocket: it claims jobs from the app, and for each step tells the app first (so the
state a late joiner gets on subscribe is never behind the stream) and then publishes a progress
publication into `jobs:<id>` through a node's server API, with the idempotency key
`job-<id>-step-<n>`. A failed publish (connection refused, timeout, 5xx) is retried with backoff,
against the next node's URL, with the same key: a retry of a publish that did land returns the
first one's offset, so no subscriber ever sees a step twice.

    python3 worker.py [--step-seconds 1] [--chaos]

--chaos throws away the answer of each step's first successful publish, as a timeout after Redis
stored it would, to show the retry being deduplicated (same offset in the log, one publication).
"""

import argparse
import json
import logging
import time
import urllib.error
import urllib.request

import settings
from sbapi import SwitchboardApi, TemporaryApiError

log = logging.getLogger("worker")


class App:
    """The app's internal endpoints (bearer-authenticated); retried until the app answers."""

    def __init__(self, base_url: str):
        self.base = base_url.rstrip("/")

    def post(self, path: str, body: dict) -> dict:
        delay = 0.1
        while True:
            request = urllib.request.Request(
                self.base + path,
                data=json.dumps(body).encode(),
                method="POST",
                headers={"Content-Type": "application/json", "Authorization": f"Bearer {settings.INTERNAL_SECRET}"},
            )
            try:
                with urllib.request.urlopen(request, timeout=3) as response:
                    return json.loads(response.read(64 * 1024))
            except urllib.error.HTTPError as e:
                if e.code < 500:
                    raise RuntimeError(f"app refused {path}: HTTP {e.code}") from e
                log.warning("app %s: HTTP %d; retrying in %.1fs", path, e.code, delay)
            except (urllib.error.URLError, OSError) as e:
                log.warning("app %s: %s; retrying in %.1fs", path, getattr(e, "reason", e), delay)
            time.sleep(delay)
            delay = min(2.0, delay * 2)


def run_job(app: App, api: SwitchboardApi, job: dict, step_seconds: float, chaos: bool) -> None:
    channel = f"jobs:{job['id']}"
    steps = job["steps"]
    log.info("job %s of %s: %d steps", job["id"], job["owner"], steps)
    for step in range(job["step"] + 1, steps + 1):
        time.sleep(step_seconds)
        answer = app.post(f"/internal/jobs/{job['id']}/progress", {"step": step})
        if answer.get("cancelled"):
            # The app published the cancellation when the owner's rpc came in.
            log.info("job %s cancelled at step %d", job["id"], step)
            return
        data = {
            "type": "progress",
            "job": job["id"],
            "step": step,
            "steps": steps,
            "percent": step * 100 // steps,
            "state": "done" if step == steps else "running",
        }
        result = api.publish(channel, data, idempotency_key=f"job-{job['id']}-step-{step}", chaos_lose_first_answer=chaos)
        log.info("job %s step %d/%d published at offset %s", job["id"], step, steps, result.get("offset"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--app", default="http://127.0.0.1:9000", help="the app's base URL")
    parser.add_argument("--step-seconds", type=float, default=1.0, help="time one simulated step takes")
    parser.add_argument("--poll-seconds", type=float, default=0.5, help="pause when no job is queued")
    parser.add_argument("--chaos", action="store_true", help="lose each step's first publish answer")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s worker %(levelname)s %(message)s")

    app = App(args.app)
    api = SwitchboardApi(settings.SWITCHBOARD_API_URLS, settings.SWITCHBOARD_API_KEY)
    log.info("worker up: app %s, server API %s", args.app, ", ".join(settings.SWITCHBOARD_API_URLS))
    while True:
        job = app.post("/internal/jobs/claim", {}).get("job")
        if job is None:
            time.sleep(args.poll_seconds)
            continue
        try:
            run_job(app, api, job, args.step_seconds, args.chaos)
        except (TemporaryApiError, RuntimeError) as e:
            # Gave up on this job (the publish deadline passed, or the API refused it): say so and
            # take the next one rather than stalling every job behind it.
            log.error("job %s failed: %s", job["id"], e)


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        pass
