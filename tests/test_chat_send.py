"""`--send` against a real HTTP server on loopback that behaves like the four robots.

The server checks what the platforms check — DingTalk's and Feishu's signatures (recomputed here from
the shared secret), the token or key in the URL, the message shape and each size limit — and answers
the way they answer, including 200 with an error code. It listens on 127.0.0.1 only, on a port the
system picks. The clock is a fake one, so pacing and backoff are checked without waiting.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import socket
import threading
import time
import urllib.parse
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from shopdoc.report._format import sections

from shopdoc.chat import send_report
from shopdoc.chat.send import Pacer
from shopdoc.errors import UsageError
from test_chat import HOSTILE_REVIEW, finding, hostile_report, make_report

DINGTALK_TOKEN = "8f3c0a77e1d24b6c9a0e5f1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d"
DINGTALK_SECRET = "SEC6f1d2e3c4b5a69788796a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5"
WECOM_KEY = "693a91f6-7b2c-4d1e-9f8a-2b3c4d5e6f70"
FEISHU_HOOK = "2d0c7f1e-9b8a-4c3d-8e7f-6a5b4c3d2e1f"
FEISHU_SECRET = "q8XkP2mN7vB4cZ1aL9sD3f"
SLACK_PATH = "T0AB12CD3/B0EF45GH6/Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2"
SECRETS = (DINGTALK_TOKEN, DINGTALK_SECRET, WECOM_KEY, FEISHU_HOOK, FEISHU_SECRET, SLACK_PATH,
           "T0AB12CD3", "Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2")


class FakeClock:
    """Wall time starts now (signatures must be fresh); sleeping only moves the hands."""

    def __init__(self):
        self.wall = time.time()
        self.mono = 1000.0
        self.sleeps: list[float] = []

    def time(self) -> float:
        return self.wall

    def monotonic(self) -> float:
        return self.mono

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.wall += seconds
        self.mono += seconds


class Robots:
    """What the four platforms' webhooks do, on one loopback server."""

    def __init__(self, clock: FakeClock):
        self.clock = clock
        self.received: list[dict] = []  # every accepted or refused request, in order
        self.problems: list[str] = []  # every rule a real robot would have enforced and we broke
        self.link: str | None = None  # the one address a message may link to (the HTML report's)
        self.script: dict[str, deque] = {name: deque() for name in ("dingtalk", "wecom", "feishu", "slack")}
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def env(self) -> dict[str, str]:
        return {
            "SHOPDOC_DINGTALK_WEBHOOK": f"{self.base}/robot/send?access_token={DINGTALK_TOKEN}",
            "SHOPDOC_DINGTALK_SECRET": DINGTALK_SECRET,
            "SHOPDOC_WECOM_WEBHOOK": f"{self.base}/cgi-bin/webhook/send?key={WECOM_KEY}",
            "SHOPDOC_FEISHU_WEBHOOK": f"{self.base}/open-apis/bot/v2/hook/{FEISHU_HOOK}",
            "SHOPDOC_FEISHU_SECRET": FEISHU_SECRET,
            "SHOPDOC_SLACK_WEBHOOK": f"{self.base}/services/{SLACK_PATH}",
        }

    def then(self, platform: str, status: int, body: str | dict, headers: dict | None = None) -> None:
        """Queue one scripted answer for the next request to `platform` (after the checks pass)."""
        text = body if isinstance(body, str) else json.dumps(body, ensure_ascii=False)
        self.script[platform].append((status, headers or {}, text))

    def of(self, platform: str) -> list[dict]:
        return [request for request in self.received if request["platform"] == platform]

    # -- the platforms' checks --------------------------------------------------------------------
    def dingtalk(self, query: dict, raw: bytes, body: dict) -> tuple[int, str]:
        if query.get("access_token") != DINGTALK_TOKEN:
            return 200, json.dumps({"errcode": 300001, "errmsg": f"token is not exist: {query.get('access_token')}"})
        timestamp, sign = query.get("timestamp"), query.get("sign")
        expected = base64.b64encode(hmac.new(DINGTALK_SECRET.encode(), f"{timestamp}\n{DINGTALK_SECRET}".encode(),
                                             hashlib.sha256).digest()).decode()
        if not timestamp or sign != expected or abs(int(timestamp) / 1000 - time.time()) > 3600:
            return 200, json.dumps({"errcode": 310000, "errmsg": "sign not match, more: [https://ding-doc.dingtalk.com/doc#/serverapi2/qf2nxq]"})
        self.expect(len(raw) <= 20_000, f"dingtalk body {len(raw)} bytes")
        self.expect(body.get("msgtype") == "markdown", "dingtalk msgtype")
        markdown = body.get("markdown", {})
        self.expect(isinstance(markdown.get("title"), str) and isinstance(markdown.get("text"), str), "dingtalk shape")
        self.expect(not body.get("at", {}).get("isAtAll"), "dingtalk isAtAll")
        return 200, json.dumps({"errcode": 0, "errmsg": "ok"})

    def wecom(self, query: dict, raw: bytes, body: dict) -> tuple[int, str]:
        if query.get("key") != WECOM_KEY:
            return 200, json.dumps({"errcode": 93000, "errmsg": "invalid webhook url, hint: [1700000000_1_abc]"})
        if body.get("msgtype") == "image":  # base64 of a JPG/PNG up to 2 MB, with the MD5 of its bytes
            raw_image = base64.b64decode(body["image"]["base64"], validate=True)
            self.expect(len(raw_image) <= 2 * 1024 * 1024 and raw_image[:4] == b"\x89PNG", "wecom image")
            if hashlib.md5(raw_image).hexdigest() != body["image"]["md5"]:
                return 200, json.dumps({"errcode": 301019, "errmsg": "media md5 not match"})
            return 200, json.dumps({"errcode": 0, "errmsg": "ok"})
        content = body.get("markdown", {}).get("content", "")
        if len(content.encode("utf-8")) > 4096:
            self.problems.append(f"wecom content {len(content.encode())} bytes")
            return 200, json.dumps({"errcode": 40058, "errmsg": "markdown.content exceed max length 4096"})
        self.expect(body.get("msgtype") == "markdown" and content, "wecom shape")
        return 200, json.dumps({"errcode": 0, "errmsg": "ok"})

    def feishu(self, path_token: str, raw: bytes, body: dict) -> tuple[int, str]:
        if path_token != FEISHU_HOOK:
            return 404, json.dumps({"code": 19001, "msg": "param invalid: incoming webhook access token invalid"})
        timestamp, sign = body.get("timestamp"), body.get("sign")
        expected = base64.b64encode(hmac.new(f"{timestamp}\n{FEISHU_SECRET}".encode(), b"",
                                             hashlib.sha256).digest()).decode()
        if not timestamp or sign != expected or abs(int(timestamp) - time.time()) > 3600:
            return 200, json.dumps({"code": 19021, "msg": "sign match fail or timestamp is not within one hour from current time"})
        if len(raw) > 20_000:
            self.problems.append(f"feishu body {len(raw)} bytes")
            return 200, json.dumps({"code": 9499, "msg": "Bad Request"})
        post = body.get("content", {}).get("post", {})
        self.expect(body.get("msg_type") == "post" and len(post) == 1, "feishu shape")
        for lang in post.values():
            self.expect(isinstance(lang.get("title"), str), "feishu title")
            for paragraph in lang.get("content", []):
                # text only; a link only to the report address the config gives (report.url)
                self.expect(all(element.get("tag") == "text" or (element.get("tag") == "a" and element.get("href") == self.link)
                                for element in paragraph), "feishu: text elements only")
        return 200, json.dumps({"code": 0, "msg": "success", "data": {}})

    def slack(self, path: str, raw: bytes, body: dict) -> tuple[int, str]:
        if path != SLACK_PATH:
            return 404, "no_service"
        blocks = body.get("blocks", [])
        if len(blocks) > 50 or not isinstance(body.get("text"), str):
            self.problems.append(f"slack {len(blocks)} blocks")
            return 400, "invalid_blocks"
        for block in blocks:
            texts = [block["text"]["text"]] if "text" in block else [e["text"] for e in block.get("elements", [])]
            limit = 150 if block["type"] == "header" else 3000
            if any(len(text.encode("utf-16-le")) // 2 > limit for text in texts):
                self.problems.append(f"slack {block['type']} text over {limit}")
                return 400, "invalid_blocks"
            self.expect(block["type"] in ("header", "section", "context"), "slack block type")
        return 200, "ok"

    def expect(self, condition: bool, what: str) -> None:
        if not condition:
            self.problems.append(what)

    def _handler(self):
        robots = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's naming)
                raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                parts = urllib.parse.urlsplit(self.path)
                query = dict(urllib.parse.parse_qsl(parts.query))
                body = json.loads(raw.decode("utf-8"))  # strict: a split inside a character fails here
                if parts.path == "/robot/send":
                    platform, (status, text) = "dingtalk", robots.dingtalk(query, raw, body)
                elif parts.path == "/cgi-bin/webhook/send":
                    platform, (status, text) = "wecom", robots.wecom(query, raw, body)
                elif parts.path.startswith("/open-apis/bot/v2/hook/"):
                    platform, (status, text) = "feishu", robots.feishu(parts.path.rsplit("/", 1)[1], raw, body)
                elif parts.path.startswith("/services/"):
                    platform, (status, text) = "slack", robots.slack(parts.path[len("/services/"):], raw, body)
                else:
                    self.send_error(404)
                    return
                headers: dict = {}
                if status == 200 and robots.script[platform]:
                    status, headers, text = robots.script[platform].popleft()
                robots.received.append({"platform": platform, "body": body, "raw": raw, "status": status,
                                        "at": robots.clock.monotonic(), "content_type": self.headers["Content-Type"]})
                data = text.encode("utf-8")
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Type", "text/plain" if platform == "slack" else "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        return Handler


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch):
    """Loopback requests must not be routed through a proxy from the environment."""
    for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("no_proxy", "127.0.0.1")


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def robots(clock):
    server = Robots(clock)
    server.thread.start()
    yield server
    server.server.shutdown()
    server.server.server_close()


def send(report, targets, robots, clock, env=None, config=None, **options):
    return send_report(report, targets, config, env=robots.env() if env is None else env, clock=clock, **options)


def message_text(request: dict) -> str:
    """The visible text of one received message, whatever the platform."""
    body = request["body"]
    if request["platform"] == "dingtalk":
        return body["markdown"]["title"] + "\n" + body["markdown"]["text"]
    if request["platform"] == "wecom":
        return body["markdown"]["content"]
    if request["platform"] == "feishu":
        (post,) = body["content"]["post"].values()
        return post["title"] + "\n" + "\n".join("".join(e["text"] for e in p) for p in post["content"])
    return body["text"] + "\n" + "\n".join(
        block["text"]["text"] if "text" in block else block["elements"][0]["text"] for block in body["blocks"])


# -- delivery, signatures, shapes ---------------------------------------------------------------------------
@pytest.mark.parametrize("platform", ["dingtalk", "wecom", "feishu", "slack"])
def test_each_robot_receives_a_valid_signed_message(robots, clock, platform):
    assert send(make_report(), [platform], robots, clock) == []
    (request,) = robots.received
    assert request["platform"] == platform and request["status"] == 200
    assert robots.problems == []
    assert request["content_type"] == "application/json; charset=utf-8"
    text = message_text(request)
    assert "demo-shop" in text and "全店跳失率 0.2%，超过 70% 的及格线" in text
    assert "先调页面，别加推广" in text
    assert clock.sleeps == []  # one message: no pacing, no retry


def test_all_four_targets_in_one_run(robots, clock):
    assert send(make_report(), ["dingtalk", "wecom", "feishu", "slack", "wecom"], robots, clock) == []
    assert [r["platform"] for r in robots.received] == ["dingtalk", "wecom", "feishu", "slack"]


def test_wrong_dingtalk_secret_is_a_failure_naming_target_and_code(robots, clock):
    env = {**robots.env(), "SHOPDOC_DINGTALK_SECRET": "SECwrong0000000000000000000000"}
    (line,) = send(make_report(), ["dingtalk"], robots, clock, env=env)
    assert line.startswith("--send dingtalk: not delivered: DingTalk answered code 310000: sign not match")
    assert "check the robot's security settings" in line
    assert len(robots.received) == 1  # a refusal is not retried


def test_unsigned_dingtalk_refused_hints_at_the_secret_variable(robots, clock):
    env = {k: v for k, v in robots.env().items() if k != "SHOPDOC_DINGTALK_SECRET"}
    (line,) = send(make_report(), ["dingtalk"], robots, clock, env=env)
    assert "code 310000" in line
    assert line.endswith("set SHOPDOC_DINGTALK_SECRET")


def test_feishu_without_secret_is_refused_with_a_hint(robots, clock):
    env = {k: v for k, v in robots.env().items() if k != "SHOPDOC_FEISHU_SECRET"}
    (line,) = send(make_report(), ["feishu"], robots, clock, env=env)
    assert "--send feishu: not delivered: Feishu answered code 19021: sign match fail" in line
    assert "set SHOPDOC_FEISHU_SECRET" in line


def test_english_report_goes_to_feishu_as_en_us(robots, clock):
    assert send(make_report(lang="en"), ["feishu"], robots, clock) == []
    post = robots.received[0]["body"]["content"]["post"]
    assert list(post) == ["en_us"]
    assert post["en_us"]["title"] == "demo-shop to-do list · 2026-11-22"


def test_slack_message_is_block_kit_with_a_fallback(robots, clock):
    assert send(make_report(lang="en"), ["slack"], robots, clock) == []
    body = robots.received[0]["body"]
    assert [block["type"] for block in body["blocks"]][:2] == ["header", "context"]
    assert body["blocks"][0]["text"] == {"type": "plain_text", "text": "demo-shop to-do list · 2026-11-22", "emoji": True}
    assert body["text"].startswith("demo-shop to-do list · 2026-11-22 — 🔴 critical *2*")
    assert any(b["type"] == "section" and b["text"]["text"].startswith("*Design*") for b in body["blocks"])


# -- splitting a big report -------------------------------------------------------------------------------
def one_rule_each(report):
    """Give every finding its own rule, so none is folded into a count: these tests are about splitting."""
    for index, f in enumerate(report.findings):
        f.rule = f"{f.rule}.{index}"
    return report


@pytest.mark.parametrize("platform", ["dingtalk", "wecom", "feishu", "slack"])
def test_three_hundred_findings_arrive_split_within_limits(robots, clock, platform):
    report = one_rule_each(make_report(12, 88, 200))
    assert send(report, [platform], robots, clock) == []
    assert robots.problems == []
    received = robots.of(platform)
    total = len(received)
    assert total > 1
    texts = [message_text(request) for request in received]
    for index, text in enumerate(texts, 1):
        assert f"（{index}/{total}）" in text
    for n in range(12):  # every critical in message 1
        assert finding("critical", n).title in texts[0]
    order = []
    for section in sections(report.findings):  # the printed order: criticals first, then by owner
        for f in section.findings:
            holding = [index for index, text in enumerate(texts) if f.title in text]
            assert len(holding) == 1
            order.append(holding[0])
    assert order == sorted(order)  # nothing comes out of the printed order
    assert "今日例行检查" in texts[-1] and "今日例行检查" not in texts[0]


def test_a_huge_review_is_shortened_not_split_mid_character(robots, clock):
    review = "😡衣服质量太差，洗一次就起球，客服也不理人。" * 1200
    report = make_report(1, 0, 0, extra=[finding("critical", 3, title="主推款「加绒卫衣」新差评：" + review)])
    assert send(report, ["dingtalk", "wecom", "feishu", "slack"], robots, clock) == []
    assert robots.problems == []
    for request in robots.received:
        text = message_text(request)
        if "加绒卫衣」新差评" in text:
            assert "…" in text


# -- pacing ----------------------------------------------------------------------------------------------
def test_wecom_is_paced_to_twenty_messages_a_minute(robots, clock):
    long_action = "把这个计划的出价降 10%，暂停转化差的关键词，三天后再看投产比；同时检查主图点击率和详情页跳失率。" * 2
    report = one_rule_each(make_report(6, 0, 0, extra=[finding("warning", n, action=long_action) for n in range(300)]))
    assert send(report, ["wecom"], robots, clock) == []
    moments = [request["at"] for request in robots.of("wecom")]
    assert len(moments) > 20
    for index, moment in enumerate(moments):
        in_window = [m for m in moments[index:] if m < moment + 60.0]
        assert len(in_window) <= 20
    assert moments[20] - moments[0] >= 60.0  # the 21st waited for the first to leave the window
    assert moments[19] == moments[0]  # a sliding window: the first twenty went straight out
    assert sum(clock.sleeps) < 60.0 * len(moments) / 20  # and no more waiting than the rate needs


def test_feishu_pacer_allows_five_a_second(clock):
    pace = Pacer(((5, 1.0), (100, 60.0)), clock)
    moments = []
    for _ in range(12):
        pace()
        moments.append(clock.monotonic())
    assert moments[:5] == [1000.0] * 5
    assert moments[5:10] == [1001.0] * 5
    assert moments[10:] == [1002.0] * 2


def test_two_targets_on_one_robot_share_its_rate(robots, clock):
    config = {"send": {"targets": {"ops": {"platform": "slack", "webhook_env": "SHOPDOC_SLACK_WEBHOOK"}}}}
    assert send(make_report(), ["slack", "ops"], robots, clock, config=config) == []
    first, second = robots.of("slack")
    assert second["at"] - first["at"] == pytest.approx(1.0)  # Slack: one message a second per webhook


# -- retries ------------------------------------------------------------------------------------------------
def test_server_errors_are_retried_with_backoff(robots, clock):
    robots.then("dingtalk", 500, "Internal Server Error")
    robots.then("dingtalk", 502, "Bad Gateway")
    assert send(make_report(), ["dingtalk"], robots, clock) == []
    assert [r["status"] for r in robots.received] == [500, 502, 200]
    assert clock.sleeps == [1.0, 2.0]
    assert robots.problems == []  # each attempt carried a fresh, valid signature


def test_429_waits_as_long_as_retry_after_says(robots, clock):
    robots.then("slack", 429, "rate_limited", {"Retry-After": "7"})
    assert send(make_report(), ["slack"], robots, clock) == []
    assert [r["status"] for r in robots.received] == [429, 200]
    assert 7.0 in clock.sleeps


def test_429_with_an_http_date(robots, clock):
    from email.utils import formatdate

    robots.then("feishu", 429, {"code": 11232, "msg": "frequency limited"},
                {"Retry-After": formatdate(clock.time() + 30, usegmt=True)})
    assert send(make_report(), ["feishu"], robots, clock) == []
    assert 29.0 <= clock.sleeps[0] <= 31.0


def test_retry_after_beyond_patience_fails_at_once(robots, clock):
    robots.then("wecom", 429, "", {"Retry-After": "3600"})
    (line,) = send(make_report(), ["wecom"], robots, clock)
    assert line == ("--send wecom: not delivered: WeCom answered HTTP 429 (too many requests); "
                    "asked to wait 3600 s, longer than shopdoc waits (120 s)")
    assert clock.sleeps == []


def test_gives_up_after_four_attempts(robots, clock):
    for _ in range(4):
        robots.then("wecom", 503, "Service Unavailable")
    (line,) = send(make_report(), ["wecom"], robots, clock)
    assert line == "--send wecom: not delivered: WeCom answered HTTP 503 (gave up after 4 attempts)"
    assert clock.sleeps == [1.0, 2.0, 4.0]


def test_platform_busy_code_is_retried(robots, clock):
    robots.then("wecom", 200, {"errcode": 45009, "errmsg": "api freq out of limit"})
    assert send(make_report(), ["wecom"], robots, clock) == []
    assert clock.sleeps == [60.0]


def test_network_errors_are_retried_then_reported(robots, clock):
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()  # nothing listens there now: connection refused
    env = {"SHOPDOC_WECOM_WEBHOOK": f"http://127.0.0.1:{port}/cgi-bin/webhook/send?key={WECOM_KEY}"}
    (line,) = send(make_report(), ["wecom"], robots, clock, env=env)
    assert line.startswith("--send wecom: not delivered: network error: ")
    assert "refused" in line.lower() and line.endswith("(gave up after 4 attempts)")
    assert clock.sleeps == [1.0, 2.0, 4.0]


def test_a_robot_that_does_not_answer_times_out(clock):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(4)  # accepts connections, never answers
    try:
        env = {"SHOPDOC_SLACK_WEBHOOK": f"http://127.0.0.1:{listener.getsockname()[1]}/services/{SLACK_PATH}"}
        started = time.monotonic()
        (line,) = send_report(make_report(), ["slack"], None, env=env, clock=clock, timeout=0.2, attempts=2)
        assert time.monotonic() - started < 3
    finally:
        listener.close()
    assert line == "--send slack: not delivered: network error: timed out (gave up after 2 attempts)"


# -- 200 with an error code ---------------------------------------------------------------------------------
@pytest.mark.parametrize("platform,answer,expected", [
    ("dingtalk", {"errcode": 400013, "errmsg": "群已被解散"}, "DingTalk answered code 400013: 群已被解散 — the group was dissolved"),
    ("wecom", {"errcode": 93004, "errmsg": "robot is disabled"}, "WeCom answered code 93004: robot is disabled"),
    ("feishu", {"code": 19024, "msg": "Key Words Not Found"}, "Feishu answered code 19024: Key Words Not Found"),
    ("feishu", {"StatusCode": 9499, "StatusMessage": "Bad Request"}, "Feishu answered code 9499: Bad Request"),
    ("slack", "no_text", "Slack answered 'no_text'"),
])
def test_a_200_carrying_an_error_is_a_failure(robots, clock, platform, answer, expected):
    robots.then(platform, 200, answer)
    (line,) = send(make_report(), [platform], robots, clock)
    assert line.startswith(f"--send {platform}: not delivered: {expected}")
    assert len(robots.received) == 1


def test_slack_refusal_in_a_4xx_names_the_reason(robots, clock):
    robots.then("slack", 404, "no_service")
    (line,) = send(make_report(), ["slack"], robots, clock)
    assert line == ("--send slack: not delivered: HTTP 404: Slack answered 'no_service' — "
                    "the webhook was removed or disabled; create a new one")


def test_failure_on_a_later_message_says_how_far_it_got(robots, clock):
    report = one_rule_each(make_report(12, 88, 200))
    robots.then("feishu", 200, {"code": 0, "msg": "success"})
    robots.then("feishu", 200, {"code": 19024, "msg": "Key Words Not Found"})
    (line,) = send(report, ["feishu"], robots, clock)
    assert line.startswith("--send feishu: message 2/")
    assert "not delivered (1 of " in line
    assert len(robots.received) == 2  # the rest is not sent after a refusal


# -- secrets never shown -------------------------------------------------------------------------------------
def test_failure_lines_never_show_tokens_keys_or_secrets(robots, clock):
    env = robots.env()
    wrong = {
        # the robot echoes the wrong token back in its message
        "SHOPDOC_DINGTALK_WEBHOOK": env["SHOPDOC_DINGTALK_WEBHOOK"].replace(DINGTALK_TOKEN, "a1b2c3d4e5f6" * 4),
        "SHOPDOC_DINGTALK_SECRET": DINGTALK_SECRET,
        "SHOPDOC_WECOM_WEBHOOK": env["SHOPDOC_WECOM_WEBHOOK"],
        "SHOPDOC_FEISHU_WEBHOOK": env["SHOPDOC_FEISHU_WEBHOOK"].replace(FEISHU_HOOK, "0f9e8d7c-6b5a-4321"),
        "SHOPDOC_FEISHU_SECRET": FEISHU_SECRET,
        "SHOPDOC_SLACK_WEBHOOK": env["SHOPDOC_SLACK_WEBHOOK"],
    }
    robots.then("wecom", 200, {"errcode": 93000, "errmsg": f"invalid webhook url {env['SHOPDOC_WECOM_WEBHOOK']}"})
    robots.then("slack", 403, f"action_prohibited for /services/{SLACK_PATH}")
    lines = send(make_report(), ["dingtalk", "wecom", "feishu", "slack"], robots, clock, env=wrong)
    assert len(lines) == 4
    joined = "\n".join(lines)
    for secret in (*SECRETS, "a1b2c3d4e5f6", "0f9e8d7c-6b5a-4321"):
        assert secret not in joined
    assert "token is not exist: ***" in lines[0]
    assert "invalid webhook url ***" in lines[1]
    assert lines[3] == "--send slack: not delivered: HTTP 403: Slack answered 'action_prohibited for ***'"


def test_a_webhook_with_a_line_break_is_refused_without_showing_it(robots, clock):
    env = {"SHOPDOC_WECOM_WEBHOOK": f"{robots.base}/cgi-bin/webhook/send?key={WECOM_KEY}\nX-Injected: 1"}
    (line,) = send(make_report(), ["wecom"], robots, clock, env=env)
    assert line == ("--send wecom: not sent — SHOPDOC_WECOM_WEBHOOK contains spaces or line breaks; "
                    "copy the webhook URL again")
    assert robots.received == []


def test_missing_variable_is_a_failure_naming_it(robots, clock):
    lines = send(make_report(), ["slack", "wecom"], robots, clock, env={"SHOPDOC_WECOM_WEBHOOK": robots.env()["SHOPDOC_WECOM_WEBHOOK"]})
    assert lines == ["--send slack: not sent — SHOPDOC_SLACK_WEBHOOK is not set; put the robot's webhook URL in it"]
    assert [r["platform"] for r in robots.received] == ["wecom"]  # the other target still went out


def test_unknown_target_is_refused_before_anything_is_sent(robots, clock):
    with pytest.raises(UsageError, match="did you mean 'feishu'"):
        send(make_report(), ["wecom", "feishi"], robots, clock)
    assert robots.received == []


def test_configured_target_with_its_own_variables(robots, clock):
    config = {"send": {"targets": {"shop-ops": {"platform": "dingtalk", "webhook_env": "OPS_DINGTALK",
                                                "secret_env": "OPS_DINGTALK_SECRET"}}}}
    env = {"OPS_DINGTALK": robots.env()["SHOPDOC_DINGTALK_WEBHOOK"], "OPS_DINGTALK_SECRET": DINGTALK_SECRET}
    assert send(make_report(), ["shop-ops"], robots, clock, env=env, config=config) == []
    assert robots.problems == [] and len(robots.of("dingtalk")) == 1
    (line,) = send(make_report(), ["shop-ops"], robots, clock, env={"OPS_DINGTALK": env["OPS_DINGTALK"]}, config=config)
    assert line == "--send shop-ops: not sent — OPS_DINGTALK_SECRET is not set; put the robot's secret in it"


def test_configured_target_with_a_literal_webhook(robots, clock):
    from shopdoc.config import Config, merge

    config = Config(merge({"send": {"targets": {"team-a": {
        "platform": "wecom", "webhook": f"{robots.base}/cgi-bin/webhook/send?key={WECOM_KEY}"}}}}))
    assert send(make_report(), ["team-a"], robots, clock, env={}, config=config) == []
    assert len(robots.of("wecom")) == 1


# -- hostile text --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("platform", ["dingtalk", "wecom", "feishu", "slack"])
def test_hostile_review_text_arrives_escaped(robots, clock, platform):
    assert send(hostile_report(), [platform], robots, clock) == []
    (request,) = robots.received
    raw = request["raw"].decode("utf-8")
    assert "isAtAll" not in raw
    text = message_text(request)
    for bad in ('<at user_id="all">', "<at id=all>", "<!channel>", "<!here>", "<!everyone>", "@all", "@所有人",
                "](http", "http://", "<http", "www.fake-shop.cn", "<b>"):
        assert bad not in text, bad
    assert "质量太差了" in text and "所有人" in text  # still readable
    if platform == "wecom":
        assert set(re.findall(r"<[^>]+>", text)) <= {
            '<font color="warning">', '<font color="comment">', "</font>"}
    if platform == "slack":
        assert "<" not in text and "&lt;!channel&gt;" in text
    if platform == "feishu":  # no at-element, link element or un_escape anywhere in the post
        assert '"tag":"at"' not in raw and '"tag":"a"' not in raw and "un_escape" not in raw
    assert HOSTILE_REVIEW not in raw


# -- through the command line --------------------------------------------------------------------------------
SHOP_EXPORT = ("统计日期,访客数,浏览量,跳失率,人均浏览量,支付买家数,支付金额,支付转化率,客单价\n"
               "2026-11-22,\"8,120\",\"19,500\",71.20%,2.40,180,\"47,700.00\",2.22%,265.00\n")


@pytest.fixture
def cli(cli, tmp_path):
    """The real entry point (conftest's `cli`), in a folder holding one Sycm shop export (bounce 71.2%)."""
    (tmp_path / "exports").mkdir()
    (tmp_path / "exports" / "店铺整体_2026-11-22.csv").write_text(SHOP_EXPORT, encoding="utf-8")

    def call(*args: str):
        result = cli(*args)
        return result.code, result.out, result.err

    return call


def test_cli_send_wecom_delivers_and_exits_0(cli, robots, monkeypatch):
    monkeypatch.setenv("SHOPDOC_WECOM_WEBHOOK", robots.env()["SHOPDOC_WECOM_WEBHOOK"])
    code, out, err = cli("diagnose", "exports", "--no-history", "--send", "wecom")
    assert (code, err) == (0, f"shopdoc: wecom: 已发送 {len(robots.of('wecom'))} 条消息\n")
    assert "全店跳失率 71.2%，超过 70% 的及格线" in out  # the report still on stdout
    (request,) = robots.of("wecom")
    assert '<font color="warning">【严重】</font>**〔美工〕全店跳失率 71.2%，超过 70% 的及格线**' in message_text(request)
    assert robots.problems == []


def test_cli_failing_robot_exits_4_with_the_report_on_stdout(cli, robots, monkeypatch):
    monkeypatch.setenv("SHOPDOC_WECOM_WEBHOOK", robots.env()["SHOPDOC_WECOM_WEBHOOK"])
    robots.then("wecom", 200, {"errcode": 93000, "errmsg": f"invalid webhook url, key {WECOM_KEY} not found"})
    code, out, err = cli("diagnose", "exports", "--no-history", "--send", "wecom")
    assert code == 4
    assert "全店跳失率 71.2%" in out
    assert err.startswith("shopdoc: --send wecom: not delivered: WeCom answered code 93000: invalid webhook url")
    assert WECOM_KEY not in err and WECOM_KEY not in out


def test_cli_chat_flavour_on_stdout(cli):
    code, out, err = cli("diagnose", "exports", "--no-history", "--format", "markdown", "--flavor", "dingtalk")
    assert code == 0
    assert out.startswith("### my-shop 今日待办 · 2026-11-22\n")
    assert "- 🔴 **〔美工〕全店跳失率 71.2%，超过 70% 的及格线**" in out
