"""A small client of Switchboard's HTTP server API (docs/http-api.md), standard library only.

`publish` retries what is worth retrying (connection refused or reset, timeouts, 5xx, 429) with
exponential backoff and jitter, moving to the next node's URL on each failure, and always with the
caller's `idempotency_key`: when a first attempt did land but its answer was lost, the retry gets
the first attempt's offset back and nothing is published twice.
"""

import json
import logging
import random
import socket
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any, Optional

log = logging.getLogger("sbapi")

# The server API answers at most a few KiB here; never read an unbounded answer into memory.
MAX_ANSWER_BYTES = 1024 * 1024


@dataclass
class ApiAnswer:
    status: int
    body: dict

    @property
    def error(self) -> Optional[dict]:
        return self.body.get("error") if isinstance(self.body, dict) else None

    @property
    def result(self) -> Any:
        return self.body.get("result") if isinstance(self.body, dict) else None


class TemporaryApiError(Exception):
    """The call did not get a usable answer; retrying it (with the same idempotency key) is safe."""


class SwitchboardApi:
    def __init__(self, urls: list, api_key: str, timeout: float = 3.0):
        if not urls:
            raise ValueError("no server API URL")
        self._urls = list(urls)
        self._api_key = api_key
        self._timeout = timeout
        self._next = 0

    def call(self, method: str, body: dict, timeout: Optional[float] = None) -> ApiAnswer:
        """One attempt on the current node: any HTTP answer, or TemporaryApiError when none came."""
        url = f"{self._urls[self._next % len(self._urls)]}/{method}"
        request = urllib.request.Request(
            url,
            data=json.dumps(body).encode(),
            method="POST",
            headers={"Content-Type": "application/json", "X-API-Key": self._api_key},
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout or self._timeout) as response:
                return ApiAnswer(response.status, _json(response.read(MAX_ANSWER_BYTES)))
        except urllib.error.HTTPError as e:
            return ApiAnswer(e.code, _json(e.read(MAX_ANSWER_BYTES)))
        except (urllib.error.URLError, socket.timeout, ConnectionError, TimeoutError) as e:
            self._rotate()
            raise TemporaryApiError(f"{method}: {getattr(e, 'reason', e)}") from e

    def publish(
        self,
        channel: str,
        data: Any,
        idempotency_key: str,
        deadline_s: float = 60.0,
        chaos_lose_first_answer: bool = False,
    ) -> dict:
        """Publishes, retrying with backoff until it lands or `deadline_s` passes; returns the result.

        `chaos_lose_first_answer` is a demo switch: it throws away the answer of the first attempt
        that succeeded, as a timeout after Redis stored the publication would, so the worker's log
        shows the retry getting the same offset back.
        """
        body = {"channel": channel, "data": data, "idempotency_key": idempotency_key}
        give_up = time.monotonic() + deadline_s
        attempt = 0
        while True:
            attempt += 1
            try:
                answer = self.call("publish", body)
                if answer.status >= 500 or answer.status == 429:
                    # 503: Redis unreachable or slow; the publication may or may not have landed.
                    self._rotate()
                    raise TemporaryApiError(f"HTTP {answer.status} {answer.error}")
                if answer.status != 200 or answer.error:
                    # 4xx and API errors (unknown channel, bad request) do not go away on retry.
                    raise RuntimeError(f"publish to {channel} refused: HTTP {answer.status} {answer.error}")
                if chaos_lose_first_answer:
                    chaos_lose_first_answer = False
                    raise TemporaryApiError(f"chaos: answer {answer.result} thrown away")
                if attempt > 1:
                    log.info("%s: landed on attempt %d, result %s", idempotency_key, attempt, answer.result)
                return answer.result or {}
            except TemporaryApiError as e:
                if time.monotonic() >= give_up:
                    raise
                delay = min(2.0, 0.05 * (2 ** min(attempt, 6))) * random.uniform(0.5, 1.0)
                log.warning("%s: attempt %d failed (%s); retrying in %.2fs", idempotency_key, attempt, e, delay)
                time.sleep(delay)

    def _rotate(self) -> None:
        self._next += 1


def _json(raw: bytes) -> dict:
    try:
        value = json.loads(raw or b"{}")
        return value if isinstance(value, dict) else {}
    except ValueError:
        return {}
