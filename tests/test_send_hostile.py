"""--send against robots that misbehave: drip, redirect, send odd Retry-After, echo secrets and escapes.
Every target is tried, every failure is one line, nothing waits without bound, nothing secret shows."""

from __future__ import annotations

import socket
import threading
import time

import pytest

from shopdoc.chat import send_report
from shopdoc.chat.send import retry_after
from test_chat import make_report

KEY = "693a91f6-7b2c-4d1e-9f8a-2b3c4d5e6f70"


class Clock:
    def __init__(self):
        self.mono, self.sleeps = 1000.0, []

    def time(self):
        return time.time()

    def monotonic(self):
        return self.mono

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.mono += seconds


class RawServer:
    """Answers every connection with `answer(conn)` on a thread; loopback only."""

    def __init__(self, answer):
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(8)
        self.port = self.listener.getsockname()[1]
        self.requests = 0
        self.answer = answer
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self):
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            self.requests += 1
            threading.Thread(target=self.handle, args=(conn,), daemon=True).start()

    def handle(self, conn):
        try:
            conn.recv(65536)
            self.answer(conn)
        except OSError:
            pass
        finally:
            conn.close()

    def url(self, path=f"/cgi-bin/webhook/send?key={KEY}"):
        return f"http://127.0.0.1:{self.port}{path}"

    def close(self):
        self.listener.close()


def reply(status: str, body: bytes, headers: str = "") -> bytes:
    return (f"HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\n{headers}"
            f"Connection: close\r\n\r\n").encode() + body


@pytest.fixture
def server():
    servers = []

    def make(answer):
        servers.append(RawServer(answer))
        return servers[-1]

    yield make
    for item in servers:
        item.close()


def test_a_robot_that_drips_its_answer_is_cut_at_the_request_deadline(server):
    def drip(conn):
        for byte in b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * 10_000:
            conn.sendall(bytes([byte]))
            time.sleep(0.02)

    slow = server(drip)
    started = time.monotonic()
    (line,) = send_report(make_report(), ["wecom"], None, env={"SHOPDOC_WECOM_WEBHOOK": slow.url()}, clock=Clock(),
                          timeout=0.5, attempts=2, deadline=0.6)
    assert time.monotonic() - started < 4
    assert line == "--send wecom: not delivered: network error: timed out (gave up after 2 attempts)"


def test_a_redirect_is_a_failure_not_a_delivery(server):
    moved = server(lambda conn: conn.sendall(reply("302 Found", b"", f"Location: http://127.0.0.1:1/x?key={KEY}\r\n")))
    (line,) = send_report(make_report(), ["wecom"], None, env={"SHOPDOC_WECOM_WEBHOOK": moved.url()}, clock=Clock())
    assert "HTTP 302, a redirect" in line and KEY not in line
    assert moved.requests == 1  # not retried, not followed


@pytest.mark.parametrize("value, expected", [
    ("nan", None), ("NaN", None), ("inf", float("inf")), ("-5", 0.0), ("abc", None), ("1e999", float("inf")),
    ("Wed, 99 Foo 2026 99:99:99 GMT", None), ("Tue, 01 Jan 99999 00:00:00 GMT", None), ("x" * 10_000, None),
    ("Thu, 01 Jan 1970 00:00:00 GMT", 0.0), ("7", 7.0),
])
def test_retry_after_never_raises(value, expected):
    assert retry_after({"Retry-After": value}, Clock()) == expected


def test_retry_after_nan_falls_back_to_backoff_and_the_next_target_is_still_tried(server):
    busy = server(lambda conn: conn.sendall(reply("429 Too Many Requests", b"{}", "Retry-After: nan\r\n")))
    fine = server(lambda conn: conn.sendall(reply("200 OK", b'{"errcode":0,"errmsg":"ok"}')))
    clock = Clock()
    env = {"SHOPDOC_WECOM_WEBHOOK": busy.url(),
           "SHOPDOC_DINGTALK_WEBHOOK": fine.url("/robot/send?access_token=abcdef0123456789")}
    lines = send_report(make_report(), ["wecom", "dingtalk"], None, env=env, clock=clock, attempts=3)
    assert len(lines) == 1 and lines[0].startswith("--send wecom:") and "429" in lines[0]
    assert clock.sleeps == [1.0, 2.0] and fine.requests >= 1


def test_a_malformed_url_is_one_line_naming_the_variable_and_the_rest_are_tried(server):
    fine = server(lambda conn: conn.sendall(reply("200 OK", b'{"errcode":0,"errmsg":"ok"}')))
    env = {"SHOPDOC_SLACK_WEBHOOK": f"http://[::1/services/T000/B000/{KEY}",
           "SHOPDOC_WECOM_WEBHOOK": fine.url()}
    lines = send_report(make_report(), ["slack", "wecom"], None, env=env, clock=Clock())
    assert lines == ["--send slack: not sent — SHOPDOC_SLACK_WEBHOOK is not a valid URL; copy the webhook URL again"]
    assert fine.requests >= 1


def test_a_bug_in_one_target_does_not_stop_the_others(server, monkeypatch):
    from shopdoc.chat.platforms import PLATFORMS

    fine = server(lambda conn: conn.sendall(reply("200 OK", b'{"errcode":0,"errmsg":"ok"}')))

    def broken(chat):
        raise KeyError("oops")

    monkeypatch.setattr(PLATFORMS["slack"], "messages", broken)
    env = {"SHOPDOC_SLACK_WEBHOOK": f"http://127.0.0.1:{fine.port}/services/T0AB12CD3/B0EF45GH6/abc123",
           "SHOPDOC_WECOM_WEBHOOK": fine.url()}
    lines = send_report(make_report(), ["slack", "wecom"], None, env=env, clock=Clock())
    assert lines == ["--send slack: not delivered: internal error (KeyError) — please report this"]


def test_a_robot_echo_is_never_printed_raw(server):
    echo = ('{"errcode": 40001, "errmsg": "bad request \\u001b]52;c;aGk=\\u0007\\u001b[2J echo: '
            '{\\"sign\\": \\"c2lnbmF0dXJlLXNlY3JldA==\\", \\"timestamp\\": \\"1700000000\\"} '
            'url=/robot/send?access_token=abcdef0123456789&sign=c2lnbmF0dXJl"}').encode()
    loud = server(lambda conn: conn.sendall(reply("200 OK", echo)))
    env = {"SHOPDOC_DINGTALK_WEBHOOK": loud.url("/robot/send?access_token=abcdef0123456789")}
    (line,) = send_report(make_report(), ["dingtalk"], None, env=env, clock=Clock())
    assert "\x1b" not in line and "\x07" not in line
    assert "c2lnbmF0dXJl" not in line and "abcdef0123456789" not in line
    assert "40001" in line


def test_the_target_deadline_bounds_retries_and_waits(server):
    down = server(lambda conn: conn.sendall(reply("503 Service Unavailable", b"{}", "Retry-After: 100\r\n")))
    clock = Clock()
    (line,) = send_report(make_report(), ["wecom"], None, env={"SHOPDOC_WECOM_WEBHOOK": down.url()}, clock=clock,
                          attempts=10, target_deadline=150)
    assert line.endswith("out of time for this target") and sum(clock.sleeps) <= 150


def test_the_cli_run_tries_every_target_and_says_one_line_per_failure(server, tmp_path):
    """The whole run, in its own process: a robot that redirects and one whose URL is malformed each
    give one line naming the target (never the URL); the good robot still gets the report; the report
    is printed; exit 4 (SPEC: report produced, --send failed), quickly and in little memory."""
    import json as json_

    from hostile import GIB, good_keywords, run_shopdoc

    moved = server(lambda conn: conn.sendall(reply("302 Found", b"", f"Location: http://127.0.0.1:1/x?key={KEY}\r\n")))
    bodies = []

    def fine_answer(conn):
        bodies.append(True)
        conn.sendall(reply("200 OK", b'{"errcode":0,"errmsg":"ok"}'))

    fine = server(fine_answer)
    (tmp_path / "in").mkdir()
    good_keywords(tmp_path / "in")
    env = {"SHOPDOC_WECOM_WEBHOOK": moved.url(),
           "SHOPDOC_SLACK_WEBHOOK": f"http://[::1/services/T000/B000/{KEY}",
           "SHOPDOC_DINGTALK_WEBHOOK": fine.url("/robot/send?access_token=abcdef0123456789")}
    run = run_shopdoc("diagnose", str(tmp_path / "in"), "--no-history", "--format", "json", "--send", "wecom",
                      "--send", "slack", "--send", "dingtalk", cwd=tmp_path, env=env, timeout=60)
    assert run.code == 4, run.err
    assert json_.loads(run.out)["inputs"][0]["status"] == "ok"
    failed = [line for line in run.lines if line.startswith("shopdoc: --send ")]
    assert [line.split(":")[1].strip() for line in failed] == ["--send wecom", "--send slack"], run.err
    assert "HTTP 302" in failed[0] and "SHOPDOC_SLACK_WEBHOOK" in failed[1]
    assert [line for line in run.lines if line not in failed] == ["shopdoc: dingtalk: 已发送 1 条消息"]
    assert KEY not in run.err and "abcdef0123456789" not in run.err and "Traceback" not in run.err
    assert bodies and moved.requests == 1
    assert run.seconds < 30 and run.peak_bytes < GIB
