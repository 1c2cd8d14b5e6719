"""The four chat platforms: each one's markup, message envelope, size limit, signature and answers.

Each platform renders a `layout.Page` in the only markup it displays, wraps it in its webhook's JSON
envelope, and says whether the result is within its limit, measured on what is actually sent
(UTF-8 bytes of the compact JSON, envelope and page mark included; characters for Slack's
per-block limits). The same rendering, unsplit and unwrapped, is `--format markdown --flavor X`.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import urllib.parse
from dataclasses import dataclass, replace
from typing import Any, ClassVar

from shopdoc.chat import escape
from shopdoc.chat.layout import NEW_MARK, SEVERITY_MARK, Digest, Item, Page, arrange
from shopdoc.chat.paging import paginate

Payload = dict[str, Any]


def encode(payload: Payload) -> bytes:
    """The request body exactly as sent: compact UTF-8 JSON (Chinese as 3 bytes, not 6 of `\\uXXXX`)."""
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


@dataclass(frozen=True)
class Verdict:
    """What a robot's answer means: delivered, worth another try, or failed for good."""

    ok: bool
    retry: bool = False
    reason: str = ""
    wait: float | None = None  # seconds the platform asked us to wait before trying again
    code: Any = None  # the platform's error code, when it gave one


DELIVERED = Verdict(ok=True)


class Platform:
    name: ClassVar[str]
    label: ClassVar[str]  # the platform's name as its users write it, for failure lines
    webhook_env: ClassVar[str]
    secret_env: ClassVar[str | None] = None
    # Rate limits as (messages, per seconds): the pacing before every request to one robot.
    rate: ClassVar[tuple[tuple[int, float], ...]]
    # Error codes in a 200 answer that are the platform's "busy, try again": code -> wait (None: backoff).
    retry_codes: ClassVar[dict[int, float | None]] = {}
    hints: ClassVar[dict[int | str, str]] = {}
    # Error codes meaning "signature missing or wrong": worth a word when no secret was sent.
    sign_codes: ClassVar[frozenset[int]] = frozenset()

    # -- rendering ---------------------------------------------------------------------------------
    def payload(self, page: Page) -> Payload:
        raise NotImplementedError

    def fits(self, payload: Payload) -> bool:
        raise NotImplementedError

    def text(self, page: Page) -> str:
        """The page as markdown text in this platform's dialect (the `--flavor` output)."""
        raise NotImplementedError

    def messages(self, digest: Digest) -> list[Payload]:
        """The whole report as one or more payloads, each within the platform's limits."""

        def fits(run, page: int, pages: int) -> bool:
            return self.fits(self.payload(arrange(digest, run, page, pages)))

        runs = paginate(digest.pieces, fits)
        return [self.payload(arrange(digest, run, index, len(runs))) for index, run in enumerate(runs, 1)]

    # -- sending -----------------------------------------------------------------------------------
    def request(self, url: str, payload: Payload, secret: str | None, now: float) -> tuple[str, bytes]:
        """The URL and body of one attempt; signed platforms sign here, fresh for every attempt."""
        return url, encode(payload)

    def answer(self, text: str) -> Verdict:
        """Read a 200 answer's body."""
        raise NotImplementedError

    def refusal(self, status: int, text: str) -> Verdict:
        """A 4xx (other than 429): not worth retrying; say what the robot said."""
        snippet = escape.truncate(escape.clean(text), 200)
        return Verdict(ok=False, reason=f"{self.label} answered HTTP {status}" + (f": {snippet}" if snippet else ""))

    def _coded(self, code: Any, message: Any) -> Verdict:
        if code == 0:
            return DELIVERED
        if not isinstance(code, (int, str)):
            code = str(code)
        reason = f"{self.label} answered code {code}: {escape.truncate(escape.clean(message), 200)}"
        hint = self.hints.get(code)
        if hint:
            reason += f" — {hint}"
        if code in self.retry_codes:
            return Verdict(ok=False, retry=True, reason=reason, wait=self.retry_codes[code], code=code)
        return Verdict(ok=False, reason=reason, code=code)


def _json(text: str) -> dict[str, Any] | None:
    try:
        value = json.loads(text)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def _unexpected(label: str, text: str) -> Verdict:
    return Verdict(ok=False, reason=f"{label} gave an answer shopdoc does not understand: {escape.truncate(escape.clean(text), 200)!r}")


# -- DingTalk ----------------------------------------------------------------------------------------
class DingTalk(Platform):
    """Custom robot, `markdown` message: title (the notification preview) and text.

    DingTalk's markdown has headings, bold, lists, quotes and links but no tables and no colours it
    documents, so severity is shown by a coloured mark and the findings as a list under each owner.
    """

    name = "dingtalk"
    label = "DingTalk"
    webhook_env = "SHOPDOC_DINGTALK_WEBHOOK"
    secret_env = "SHOPDOC_DINGTALK_SECRET"
    rate = ((20, 60.0),)
    body_limit = 20_000
    retry_codes = {-1: None}  # "系统繁忙"
    sign_codes = frozenset({310000})
    hints = {
        310000: "check the robot's security settings: the secret (signature), its keywords or its IP allow-list",
        300001: "the webhook's access_token is wrong or the robot was removed; copy the webhook again",
        130101: "DingTalk holds a robot for 10 minutes after 20 messages in a minute; send again later",
        400013: "the group was dissolved",
    }

    def payload(self, page: Page) -> Payload:
        return {"msgtype": "markdown", "markdown": {"title": escape.markdown(page.title), "text": self.text(page)}}

    def fits(self, payload: Payload) -> bool:
        return len(encode(payload)) <= self.body_limit

    def text(self, page: Page) -> str:
        md, w = escape.markdown, page.words
        lines = [f"### {md(page.title)}", ""]
        if page.counts:
            lines += [" · ".join(f"{SEVERITY_MARK[name]} {page.severity(name)} **{count}**"
                                 for name, count in page.counts.pairs()), ""]
        if page.failed_inputs:
            lines += [f"**{w['failed_inputs']}**", ""]
            lines += [f"- {md(item.path, links=False)}{w['colon']}{md(item.error)}" for item in page.failed_inputs]
            lines.append("")
        for owner, items in page.groups:
            lines += [f"#### {md(page.owner(owner))}", ""]
            for item in items:
                lines += self._item(item)
            lines.append("")
        if page.all_clear:
            lines += [w["all_clear"], ""]
        if page.skipped:
            lines += [f"> {page.skipped_note}", ""]
        if page.tasks:
            lines += [f"#### {w['checklist']}", ""]
            lines += [f"- {md(task.text)}" for task in page.tasks]
        return "\n".join(lines).strip()

    @staticmethod
    def _item(item: Item) -> list[str]:
        new = f"{NEW_MARK} " if item.new else ""
        head = f"- {SEVERITY_MARK[item.severity]} {new}**{escape.markdown(item.title)}**"
        if not item.action:
            return [head]
        return [head + "  ", f"  {escape.markdown(item.action)}"]  # two spaces: a line break inside the item

    def request(self, url: str, payload: Payload, secret: str | None, now: float) -> tuple[str, bytes]:
        if secret:
            timestamp = str(int(now * 1000))
            url += ("&" if "?" in url else "?") + f"timestamp={timestamp}&sign={dingtalk_sign(secret, timestamp)}"
        return url, encode(payload)

    def answer(self, text: str) -> Verdict:
        body = _json(text)
        if body is None or "errcode" not in body:
            return _unexpected(self.label, text)
        return self._coded(body.get("errcode"), body.get("errmsg", ""))


def dingtalk_sign(secret: str, timestamp: str) -> str:
    """HMAC-SHA256 keyed by the secret over "timestamp\\nsecret", base64, URL-encoded."""
    digest = hmac.new(secret.encode("utf-8"), f"{timestamp}\n{secret}".encode("utf-8"), hashlib.sha256).digest()
    return urllib.parse.quote_plus(base64.b64encode(digest).decode("ascii"))


# -- WeCom -------------------------------------------------------------------------------------------
class WeCom(Platform):
    """Group robot, `markdown` message. WeCom's markdown has headings, bold, links, quotes and three
    font colours (`warning` orange-red, `info` green, `comment` grey), and no lists: severity is
    the colour of a bracketed label, the action a quote under the title."""

    name = "wecom"
    label = "WeCom"
    webhook_env = "SHOPDOC_WECOM_WEBHOOK"
    rate = ((20, 60.0),)
    content_limit = 4096  # bytes of markdown.content, UTF-8
    retry_codes = {-1: None, 45009: 60.0}  # busy; "api freq out of limit": the minute window must pass
    hints = {
        93000: "invalid webhook key; copy the robot's webhook URL again",
        40058: "the message is malformed or too long",
        93004: "the robot is disabled",
    }
    colours = {"critical": "warning", "warning": None, "info": "comment"}

    def payload(self, page: Page) -> Payload:
        return {"msgtype": "markdown", "markdown": {"content": self.text(page)}}

    def fits(self, payload: Payload) -> bool:
        return len(payload["markdown"]["content"].encode("utf-8")) <= self.content_limit

    def _label(self, severity: str, text: str) -> str:
        colour = self.colours[severity]
        return f'<font color="{colour}">{text}</font>' if colour else text

    def text(self, page: Page) -> str:
        md, w = escape.markdown, page.words
        lines = [f"## {md(page.title)}"]
        if page.counts:
            lines.append("　".join(self._label(name, f"{page.severity(name)} {count}")
                                  for name, count in page.counts.pairs()))
        if page.failed_inputs:
            lines += ["", f"**{w['failed_inputs']}**"]
            lines += [f"> {md(item.path, links=False)}{w['colon']}{md(item.error)}" for item in page.failed_inputs]
        for owner, items in page.groups:
            lines += ["", f"**{md(page.owner(owner))}**"]
            for item in items:
                new = f"{NEW_MARK} " if item.new else ""
                lines.append(f"{self._label(item.severity, '【' + page.severity(item.severity) + '】')}{new}**{md(item.title)}**")
                if item.action:  # the blank line ends the quote, or the next title would join it
                    lines += [f"> {md(item.action)}", ""]
        if page.all_clear:
            lines += ["", f'<font color="info">{w["all_clear"]}</font>']
        if page.skipped:
            lines += ["", f'<font color="comment">{page.skipped_note}</font>']
        if page.tasks:
            lines += ["", f"**{w['checklist']}**"]
            lines += [f"{index}) {md(task.text)}" for index, task in enumerate(page.tasks, 1)]
        return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()

    def answer(self, text: str) -> Verdict:
        body = _json(text)
        if body is None or "errcode" not in body:
            return _unexpected(self.label, text)
        return self._coded(body.get("errcode"), body.get("errmsg", ""))


# -- Feishu / Lark -----------------------------------------------------------------------------------
class Feishu(Platform):
    """Custom bot, rich-text `post` message (not an interactive card).

    Why post: its text elements are shown literally — no markdown parser stands between an export's
    text and the screen, so a review cannot turn into a link, a mention or markup, whatever it holds.
    It carries the report language natively (`zh_cn`/`en_us`), supports bold, and its envelope is
    small, so more findings fit in the 20 KB body. A card would add a coloured header but renders
    its text as lark_md, the same injection surface as the markdown platforms, for little gain.
    """

    name = "feishu"
    label = "Feishu"
    webhook_env = "SHOPDOC_FEISHU_WEBHOOK"
    secret_env = "SHOPDOC_FEISHU_SECRET"
    rate = ((5, 1.0), (100, 60.0))
    body_limit = 20_000  # "20 KB": read as 20,000 bytes to stay inside either meaning
    retry_codes = {11232: None}  # flow control
    sign_codes = frozenset({19021})
    hints = {
        19021: "signature rejected: check the secret and this machine's clock",
        19022: "this machine's IP address is not on the bot's allow-list",
        19024: "the bot's keyword is not in the message: change the bot's keyword security setting",
        9499: "the message was refused as malformed or too large",
    }
    # Room for `"timestamp":"1700000000","sign":"<44 characters>"` added at sending time.
    sign_room = len(',"timestamp":"0000000000","sign":""') + 44

    def payload(self, page: Page) -> Payload:
        lang = "zh_cn" if page.lang == "zh" else "en_us"
        return {"msg_type": "post", "content": {"post": {lang: {"title": escape.plain(page.title), "content": self._paragraphs(page)}}}}

    def fits(self, payload: Payload) -> bool:
        return len(encode(payload)) + self.sign_room <= self.body_limit

    @staticmethod
    def _paragraphs(page: Page) -> list[list[dict[str, Any]]]:
        text, w = escape.plain, page.words

        def line(value: str, bold: bool = False) -> list[dict[str, Any]]:
            element: dict[str, Any] = {"tag": "text", "text": value}
            if bold:
                element["style"] = ["bold"]
            return [element]

        blank = line("")
        out: list[list[dict[str, Any]]] = []
        if page.counts:
            out.append(line(" · ".join(f"{SEVERITY_MARK[name]} {page.severity(name)} {count}"
                                       for name, count in page.counts.pairs())))
        if page.failed_inputs:
            out += [blank, line(w["failed_inputs"], bold=True)]
            out += [line(f"• {text(item.path, links=False)}{w['colon']}{text(item.error)}") for item in page.failed_inputs]
        for owner, items in page.groups:
            out += [blank, line(page.owner(owner), bold=True)]
            for item in items:
                new = f"{NEW_MARK} " if item.new else ""
                out.append([{"tag": "text", "text": f"{SEVERITY_MARK[item.severity]} {new}"},
                            {"tag": "text", "text": text(item.title), "style": ["bold"]}])
                if item.action:
                    out.append(line(f"    {text(item.action)}"))
        if page.all_clear:
            out += [blank, line(w["all_clear"])]
        if page.skipped:
            out += [blank, line(page.skipped_note)]
        if page.tasks:
            out += [blank, line(w["checklist"], bold=True)]
            out += [line(f"{index}. {text(task.text)}") for index, task in enumerate(page.tasks, 1)]
        while out and out[0] is blank:
            out.pop(0)
        return out

    def text(self, page: Page) -> str:
        """Markdown for pasting into Feishu (its composer turns `**bold**` and `- ` lists into rich
        text); no headings or tables, which Feishu messages do not show."""
        md, w = escape.markdown, page.words
        lines = [f"**{md(page.title)}**"]
        if page.counts:
            lines.append(" · ".join(f"{SEVERITY_MARK[name]} {page.severity(name)} {count}"
                                    for name, count in page.counts.pairs()))
        if page.failed_inputs:
            lines += ["", f"**{w['failed_inputs']}**"]
            lines += [f"- {md(item.path, links=False)}{w['colon']}{md(item.error)}" for item in page.failed_inputs]
        for owner, items in page.groups:
            lines += ["", f"**{md(page.owner(owner))}**"]
            for item in items:
                new = f"{NEW_MARK} " if item.new else ""
                lines.append(f"- {SEVERITY_MARK[item.severity]} {new}**{md(item.title)}**")
                if item.action:
                    lines.append(f"  {md(item.action)}")
        if page.all_clear:
            lines += ["", w["all_clear"]]
        if page.skipped:
            lines += ["", page.skipped_note]
        if page.tasks:
            lines += ["", f"**{w['checklist']}**"]
            lines += [f"{index}. {md(task.text)}" for index, task in enumerate(page.tasks, 1)]
        return "\n".join(lines).strip()

    def request(self, url: str, payload: Payload, secret: str | None, now: float) -> tuple[str, bytes]:
        if secret:
            timestamp = str(int(now))
            payload = {"timestamp": timestamp, "sign": feishu_sign(secret, timestamp), **payload}
        return url, encode(payload)

    def answer(self, text: str) -> Verdict:
        body = _json(text)
        if body is None:
            return _unexpected(self.label, text)
        if "code" in body:
            return self._coded(body.get("code"), body.get("msg", ""))
        if "StatusCode" in body:  # the older answer shape, still sent by some deployments
            return self._coded(body.get("StatusCode"), body.get("StatusMessage", ""))
        return _unexpected(self.label, text)


def feishu_sign(secret: str, timestamp: str) -> str:
    """HMAC-SHA256 keyed by "timestamp\\nsecret" over an empty message, base64."""
    digest = hmac.new(f"{timestamp}\n{secret}".encode("utf-8"), b"", hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


# -- Slack -------------------------------------------------------------------------------------------
def slack_length(text: str) -> int:
    """Slack counts characters; counting UTF-16 code units is never less, so it is the safe side."""
    return len(text.encode("utf-16-le")) // 2


class Slack(Platform):
    """Incoming webhook, Block Kit: a header, the counts as context, one section per owner (split
    when a section would pass 3,000 characters), and `text` as the notification fallback."""

    name = "slack"
    label = "Slack"
    webhook_env = "SHOPDOC_SLACK_WEBHOOK"
    rate = ((1, 1.0),)  # incoming webhooks: one message per second
    max_blocks = 50
    section_limit = 3000
    header_limit = 150
    # Slack documents no total for blocks; 40,000 (its limit on a message's text, here in bytes of JSON,
    # which is stricter) keeps a message readable and clear of undocumented limits.
    body_limit = 40_000
    hints = {
        "invalid_token": "the webhook was revoked; create a new one",
        "no_service": "the webhook was removed or disabled; create a new one",
        "channel_is_archived": "the channel is archived",
        "action_prohibited": "a workspace admin restricted posting to this channel",
        "invalid_payload": "the message was refused as malformed",
    }

    def payload(self, page: Page) -> Payload:
        blocks: list[dict[str, Any]] = [
            {"type": "header", "text": {"type": "plain_text", "text": escape.plain(page.title), "emoji": True}},
        ]
        fallback = escape.slack(page.title)
        if page.counts:
            counts = self._counts(page)
            blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": counts}]})
            fallback += f" — {counts}"
        for section in self._sections(page):
            blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": section}})
        if page.skipped:
            note = escape.slack(page.skipped_note)
            blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": note}]})
        return {"text": fallback, "blocks": blocks}

    def _counts(self, page: Page) -> str:
        assert page.counts is not None
        return " · ".join(f"{SEVERITY_MARK[name]} {page.severity(name)} *{count}*" for name, count in page.counts.pairs())

    def _sections(self, page: Page) -> list[str]:
        """Section texts in reading order, each group packed into as few sections as the limit allows."""
        md, w = escape.slack, page.words
        groups: list[tuple[str, list[str]]] = []
        if page.failed_inputs:
            groups.append((f"*{w['failed_inputs']}*",
                           [f"• {md(item.path, links=False)}{w['colon']}{md(item.error)}" for item in page.failed_inputs]))
        for owner, items in page.groups:
            entries = []
            for item in items:
                new = f"{NEW_MARK} " if item.new else ""
                entry = f"{SEVERITY_MARK[item.severity]} {new}*{md(item.title)}*"
                entries.append(f"{entry}\n{md(item.action)}" if item.action else entry)
            groups.append((f"*{md(page.owner(owner))}*", entries))
        if page.all_clear:
            groups.append((md(w["all_clear"]), []))
        if page.tasks:
            groups.append((f"*{md(w['checklist'])}*", [f"• {md(task.text)}" for task in page.tasks]))
        sections: list[str] = []
        for heading, entries in groups:
            current = heading
            for entry in entries:
                candidate = f"{current}\n{entry}"
                if slack_length(candidate) > self.section_limit and current != heading:
                    sections.append(current)
                    current = entry
                else:
                    current = candidate
            sections.append(current)
        return sections

    def fits(self, payload: Payload) -> bool:
        blocks = payload["blocks"]
        if len(blocks) > self.max_blocks or len(encode(payload)) > self.body_limit:
            return False
        for block in blocks:
            if block["type"] == "header" and slack_length(block["text"]["text"]) > self.header_limit:
                return False
            texts = [block["text"]["text"]] if "text" in block else [e["text"] for e in block.get("elements", [])]
            if any(slack_length(text) > self.section_limit for text in texts):
                return False
        return True

    def text(self, page: Page) -> str:
        """mrkdwn for pasting into Slack: the same sections the webhook message carries."""
        parts = [f"*{escape.slack(page.title)}*"]
        if page.counts:
            parts.append(self._counts(page))
        parts += self._sections(page)
        if page.skipped:
            parts.append(f"_{escape.slack(page.skipped_note)}_")
        return "\n\n".join(parts)

    def answer(self, text: str) -> Verdict:
        if text.strip() == "ok":
            return DELIVERED
        return self._said(text)

    def refusal(self, status: int, text: str) -> Verdict:
        """Slack says what is wrong in the text of a 4xx (`no_service`, `invalid_token`...)."""
        verdict = self._said(text)
        return replace(verdict, reason=f"HTTP {status}: {verdict.reason}")

    def _said(self, text: str) -> Verdict:
        message = escape.truncate(escape.clean(text), 200) or "(empty answer)"
        reason = f"{self.label} answered {message!r}"
        hint = self.hints.get(message)
        return Verdict(ok=False, reason=f"{reason} — {hint}" if hint else reason, code=message)


PLATFORMS: dict[str, Platform] = {platform.name: platform for platform in (DingTalk(), WeCom(), Feishu(), Slack())}
