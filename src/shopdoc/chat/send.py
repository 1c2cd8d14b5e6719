"""Posting the report to the robots: pacing, retries, answers, and keeping credentials out of sight.

HTTP goes through the standard library (`urllib.request`): one JSON POST per message needs nothing
more, and a cron job on a shop's office PC should not need another package to install. Each robot
is paced to its platform's published rate, network errors, 5xx and 429 are retried with exponential
backoff (429's Retry-After honoured), and a 200 that carries an error code is a failure. The clock
is injectable so tests of pacing and backoff take no time.
"""

from __future__ import annotations

import datetime
import email.utils
import http.client
import math
import re
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field, replace
from typing import Any, Callable, Mapping, Protocol

from shopdoc.chat.layout import digest
from shopdoc.chat.platforms import PLATFORMS, Payload, Platform, Verdict
from shopdoc.chat.targets import Target, check_target, resolve
from shopdoc.errors import UsageError
from shopdoc.model import Report
from shopdoc.neutral import clean_text

TIMEOUT = 10.0  # seconds per read: robots answer in well under a second when they are up
REQUEST_DEADLINE = 30.0  # seconds for one whole request, however slowly an answer drips in
TARGET_DEADLINE = 300.0  # seconds for everything sent to one target, waits and retries included
ATTEMPTS = 4  # one try and three retries
BACKOFF = 1.0  # first wait; doubles: 1 s, 2 s, 4 s
MAX_WAIT = 120.0  # a Retry-After longer than this fails the target instead of stalling the morning run
ANSWER_LIMIT = 64 * 1024  # bytes of a robot's answer worth reading


class Clock(Protocol):
    def time(self) -> float: ...  # wall clock, seconds since the epoch: signatures

    def monotonic(self) -> float: ...  # pacing and waiting

    def sleep(self, seconds: float) -> None: ...


class SystemClock:
    def time(self) -> float:
        return time.time()

    def monotonic(self) -> float:
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


@dataclass
class Pacer:
    """Keeps one robot within its platform's rate: before each request, wait until every window
    (e.g. 20 per 60 s) has room. Windows slide, so a short report goes out without waiting."""

    windows: tuple[tuple[int, float], ...]
    clock: Clock
    sent: list[float] = field(default_factory=list)

    def __call__(self) -> None:
        while True:
            now = self.clock.monotonic()
            wait = 0.0
            for count, period in self.windows:
                recent = [moment for moment in self.sent if moment > now - period]
                if len(recent) >= count:
                    wait = max(wait, recent[-count] + period - now)
            if wait <= 0:
                break
            self.clock.sleep(wait)
        self.sent.append(self.clock.monotonic())
        del self.sent[: -max(count for count, _ in self.windows)]


class Masker:
    """Replaces webhook tokens, keys and secrets with *** in anything shown to the user.

    Two nets: the exact credential values of the targets in play (and their URL-encoded forms), and
    the shapes every platform uses (`access_token=`, `key=`, `sign=`, Feishu's `/hook/<token>`,
    Slack's `/services/...`) for whatever the first one cannot know.
    """

    _SHAPES = (
        (re.compile(r"(?i)\b(access_token|key|sign|token|secret)=[^&\s'\"<>]+"), r"\1=***"),
        (re.compile(r"(?i)([\"'](?:access_token|key|sign|token|secret|timestamp)[\"']\s*:\s*[\"'])[^\"']*"), r"\1***"),
        (re.compile(r"(/bot/v2/hook/)[^/?#\s'\"<>]+"), r"\1***"),
        (re.compile(r"(/services/)[^?#\s'\"<>]+"), r"\1***"),
    )

    def __init__(self, targets: list[Target]):
        values: set[str] = set()
        for target in targets:
            if target.secret:
                values.add(target.secret)
            if target.webhook:
                values.update(_url_credentials(target.webhook))
        found = {v for value in values for v in (value, urllib.parse.quote(value, safe=""),
                                                  urllib.parse.quote_plus(value)) if len(v) >= 4}
        self.values = sorted(found, key=len, reverse=True)

    def __call__(self, text: str) -> str:
        for value in self.values:
            text = text.replace(value, "***")
        for pattern, replacement in self._SHAPES:
            text = pattern.sub(replacement, text)
        return text


def _url_credentials(url: str) -> set[str]:
    """The parts of a webhook URL that are credentials: the whole URL, every query value, and every
    path segment that looks like a token (has a digit, 6+ characters: Slack's T…/B…/…, Feishu's hook id)."""
    parts = urllib.parse.urlsplit(url)
    values = {url, parts.path + (f"?{parts.query}" if parts.query else "")}
    values.update(value for _, value in urllib.parse.parse_qsl(parts.query) if value)
    values.update(segment for segment in parts.path.split("/") if len(segment) >= 6 and any(c.isdigit() for c in segment))
    return {value for value in values if value and value != "/"}


# -- one request -----------------------------------------------------------------------------------
def post(url: str, body: bytes, timeout: float, deadline: float | None = None) -> tuple[int, Mapping[str, str], str]:
    """POST a JSON body; any HTTP status comes back as an answer (redirects are not followed),
    network failures raise. `timeout` bounds each read; `deadline` the whole request, however
    slowly a server drips its answer (the socket is shut when it passes)."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("not an http(s) URL")
    connection_type = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    connection = connection_type(parts.hostname, parts.port, timeout=timeout)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    outcome: dict[str, Any] = {}

    def exchange() -> None:
        try:
            connection.request("POST", target, body=body, headers={
                "Content-Type": "application/json; charset=utf-8", "User-Agent": "shopdoc"})
            response = connection.getresponse()
            text = response.read(ANSWER_LIMIT).decode("utf-8", "replace")
            outcome["answer"] = (response.status, response.headers, text)
        except BaseException as exc:  # handed to the caller's thread
            outcome["error"] = exc

    worker = threading.Thread(target=exchange, name="shopdoc-send", daemon=True)
    worker.start()
    worker.join(deadline if deadline is not None else REQUEST_DEADLINE)
    if worker.is_alive():
        sock = connection.sock
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        connection.close()
        worker.join(1.0)
        raise TimeoutError("timed out")
    connection.close()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["answer"]


def retry_after(headers: Mapping[str, str], clock: Clock) -> float | None:
    """Seconds from a Retry-After header: a number of seconds or an HTTP date. Anything else
    (`nan`, garbage, a date that cannot be) is no answer: the usual backoff applies."""
    value = str(headers.get("Retry-After") or "").strip()[:100]
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        seconds = None
    if seconds is not None:
        if math.isnan(seconds):
            return None
        return max(seconds, 0.0)  # inf stays inf: longer than shopdoc waits
    try:
        moment = email.utils.parsedate_to_datetime(value)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=datetime.timezone.utc)
        return max(moment.timestamp() - clock.time(), 0.0)
    except Exception:  # parsedate raises TypeError, ValueError, IndexError or OverflowError by input
        return None


def judge(platform: Platform, status: int, headers: Mapping[str, str], text: str, clock: Clock) -> Verdict:
    """What an HTTP answer means for this platform."""
    if status == 429:
        return Verdict(ok=False, retry=True, wait=retry_after(headers, clock),
                       reason=f"{platform.label} answered HTTP 429 (too many requests)")
    if status >= 500:
        return Verdict(ok=False, retry=True, wait=retry_after(headers, clock),
                       reason=f"{platform.label} answered HTTP {status}")
    if 200 <= status < 300:
        return platform.answer(text)
    if 300 <= status < 400:
        return Verdict(ok=False, reason=f"{platform.label} answered HTTP {status}, a redirect; shopdoc does not follow "
                                        "redirects with a webhook (the message would be lost) — copy the webhook URL again")
    return platform.refusal(status, text)


def deliver(platform: Platform, target: Target, payload: Payload, *, clock: Clock, pace: Pacer,
            timeout: float = TIMEOUT, attempts: int = ATTEMPTS, deadline: float = REQUEST_DEADLINE,
            until: float | None = None) -> Verdict | None:
    """Post one message, retrying what is worth retrying. Returns the failure, or None. `until`
    is the target's deadline on `clock.monotonic()`: no wait or retry goes past it."""
    assert target.webhook is not None
    verdict = Verdict(ok=False)
    for attempt in range(attempts):
        if until is not None and clock.monotonic() >= until:
            return replace(verdict, reason=f"{verdict.reason or 'not sent'}; out of time for this target")
        pace()
        url, body = platform.request(target.webhook, payload, target.secret, clock.time())
        try:
            status, headers, text = post(url, body, timeout, deadline)
        except ValueError:  # a URL http.client refuses (InvalidURL): no point retrying, and never quoted
            return Verdict(ok=False, reason="the webhook URL was refused as malformed; copy it again")
        except (OSError, http.client.HTTPException) as exc:  # refused, reset, timed out, DNS, TLS
            verdict = Verdict(ok=False, retry=True, reason=f"network error: {_network_reason(exc)}")
        else:
            verdict = judge(platform, status, headers, text, clock)
        if verdict.ok:
            return None
        if not verdict.retry:
            return verdict
        if attempt == attempts - 1:
            break
        wait = verdict.wait if verdict.wait is not None else BACKOFF * 2 ** attempt
        if wait > MAX_WAIT:
            asked = f"{wait:.0f} s" if math.isfinite(wait) else "forever"
            return replace(verdict, reason=f"{verdict.reason}; asked to wait {asked}, "
                                           f"longer than shopdoc waits ({MAX_WAIT:.0f} s)")
        if until is not None and clock.monotonic() + wait > until:
            return replace(verdict, reason=f"{verdict.reason}; out of time for this target")
        clock.sleep(wait)
    return replace(verdict, reason=f"{verdict.reason} (gave up after {attempts} attempts)")


def _network_reason(exc: BaseException) -> str:
    inner = getattr(exc, "reason", None)
    if isinstance(inner, BaseException):
        exc = inner
    text = str(exc) or type(exc).__name__
    return text if not isinstance(exc, TimeoutError) else "timed out"


# -- the whole report --------------------------------------------------------------------------------
def configured_targets(config: Any) -> dict[str, Any]:
    """`send.targets` of a Config (or of a plain dict), validated."""
    if config is None:
        return {}
    data = getattr(config, "data", config)
    targets = ((data or {}).get("send") or {}).get("targets") or {}
    return {str(name): check_target(str(name), settings) for name, settings in targets.items()}


def send_report(
    report: Report,
    targets: list[str],
    config: Any,
    flavor: str | None = None,
    *,
    env: Mapping[str, str] | None = None,
    clock: Clock | None = None,
    timeout: float = TIMEOUT,
    attempts: int = ATTEMPTS,
    on_sent: Callable[[str, int], None] | None = None,
    extras: Callable[[str], list[Payload]] | None = None,
    deadline: float = REQUEST_DEADLINE,
    target_deadline: float = TARGET_DEADLINE,
) -> list[str]:
    """Post the report to each target; one failure line per target not (fully) delivered.

    `extras(platform)` gives messages posted after the report's text (a chart, a link: chat/visual.py).

    Every robot gets its own platform's markup, whatever `flavor` the caller prints to stdout
    (`flavor` is accepted so `--flavor` can be passed through, and checked). An unknown target is a
    UsageError raised before anything is posted. Failure lines name the target and the platform's
    own message, with every credential masked. `on_sent(target, messages)` is told each target
    delivered in full.
    """
    if flavor is not None and flavor not in (*PLATFORMS, "generic"):
        raise UsageError(f"--flavor: must be one of generic, {', '.join(PLATFORMS)}, got {flavor!r}")
    return send_digest(digest(report), targets, config, env=env, clock=clock, timeout=timeout, attempts=attempts,
                       on_sent=on_sent, extras=extras, deadline=deadline, target_deadline=target_deadline)


def send_digest(
    chat: Any,
    targets: list[str],
    config: Any,
    *,
    env: Mapping[str, str] | None = None,
    clock: Clock | None = None,
    timeout: float = TIMEOUT,
    attempts: int = ATTEMPTS,
    on_sent: Callable[[str, int], None] | None = None,
    extras: Callable[[str], list[Payload]] | None = None,
    deadline: float = REQUEST_DEADLINE,
    target_deadline: float = TARGET_DEADLINE,
) -> list[str]:
    """`send_report` for pieces already cut (`chat.layout.Digest`): a portfolio, one team's share."""
    resolved = resolve(list(targets), configured_targets(config), env)
    mask = Masker(resolved)
    clock = clock or SystemClock()
    messages: dict[str, list[Payload]] = {}
    pacers: dict[tuple[str, str], Pacer] = {}
    failures: list[str] = []
    for target in resolved:
        if target.problem or not target.webhook:
            failures.append(mask(f"--send {target.name}: not sent — {target.problem}"))
            continue
        try:
            failure = _send_target(target, chat, messages, pacers, clock, extras, on_sent,
                                   timeout=timeout, attempts=attempts, deadline=deadline, target_deadline=target_deadline)
        except Exception as exc:  # one target's bug must not keep the others from being tried
            failure = f"--send {target.name}: not delivered: internal error ({type(exc).__name__}) — please report this"
        if failure:
            failures.append(mask(failure))
    return failures


def _send_target(target: Target, chat: Any, messages: dict[str, list[Payload]], pacers: dict[tuple[str, str], Pacer],
                 clock: Clock, extras: Callable[[str], list[Payload]] | None, on_sent: Callable[[str, int], None] | None,
                 *, timeout: float, attempts: int, deadline: float, target_deadline: float) -> str | None:
    """Every message to one target, within `target_deadline` seconds; the failure line, or None."""
    assert target.webhook is not None
    until = clock.monotonic() + target_deadline
    platform = PLATFORMS[target.platform]
    if platform.name not in messages:
        messages[platform.name] = platform.messages(chat) + (extras(platform.name) if extras else [])
    batch = messages[platform.name]
    pace = pacers.setdefault((platform.name, target.webhook), Pacer(platform.rate, clock))
    for index, payload in enumerate(batch, 1):
        failure = deliver(platform, target, payload, clock=clock, pace=pace, timeout=timeout, attempts=attempts,
                          deadline=deadline, until=until)
        if failure:
            return _failure_line(target, platform, failure, index, len(batch))
    if on_sent is not None:
        on_sent(target.name, len(batch))
    return None


def _failure_line(target: Target, platform: Platform, failure: Verdict, index: int, total: int) -> str:
    where = "not delivered" if total == 1 else f"message {index}/{total} not delivered ({index - 1} of {total} sent)"
    reason = clean_text(str(failure.reason or ""))  # a robot's words: no escape sequence reaches the terminal
    reason = reason if len(reason) <= 400 else reason[:399] + "…"
    line = f"--send {target.name}: {where}: {reason}"
    if failure.code in platform.sign_codes and not target.secret and target.secret_from:
        line += f"; no secret was sent — if the robot signs its messages, set {target.secret_from}"
    return line
