"""Charts in the chat group: the messages posted after the report's text.

- WeCom's group robot takes an image message, the PNG itself as base64 with the MD5 of its bytes
  (at most 2 MB before encoding): the key chart goes there.
- DingTalk, Feishu and Slack robots show images only from a hosted URL, so they get a link to the
  HTML report instead, when `report.url` says where the user publishes it (WeCom gets the link too).

The link comes from the user's own config, never from an export, so it is posted as a link; the
shop name and date placed into it are URL-quoted.
"""

from __future__ import annotations

import base64
import hashlib
import urllib.parse
from typing import Any

from shopdoc.visual import PNG_LIMIT

LINK_WORDS = {
    "zh": ("图表版报告", "打开今天的图表版报告（走势、支付金额拆解、流量来源、推广和商品分布）"),
    "en": ("Report with charts", "Open today's report with charts (trends, GMV split, traffic sources, ads and items)"),
}


def report_link(template: str | None, shop: str, day: str | None) -> str | None:
    """`report.url` with `{shop}` and `{date}` filled in, or None when it is not set."""
    if not template:
        return None
    values = {"shop": urllib.parse.quote(shop, safe=""), "date": urllib.parse.quote(day or "", safe="")}
    return template.replace("{shop}", values["shop"]).replace("{date}", values["date"])


def image_message(png: bytes) -> dict[str, Any] | None:
    """WeCom's image message, or None when the PNG is over its 2 MB limit."""
    if len(png) > PNG_LIMIT:
        return None
    return {"msgtype": "image",
            "image": {"base64": base64.b64encode(png).decode("ascii"), "md5": hashlib.md5(png).hexdigest()}}


def link_message(platform: str, url: str, lang: str) -> dict[str, Any]:
    title, text = LINK_WORDS[lang if lang in LINK_WORDS else "en"]
    # characters that would end a markdown or Slack link early are written as the URL escapes they stand for
    url = url.replace(" ", "%20").replace("(", "%28").replace(")", "%29").replace("<", "%3C").replace(">", "%3E")
    url = url.replace("|", "%7C")
    if platform == "wecom":
        return {"msgtype": "markdown", "markdown": {"content": f"[{text}]({url})"}}
    if platform == "dingtalk":
        return {"msgtype": "markdown", "markdown": {"title": title, "text": f"#### {title}\n\n[{text}]({url})"}}
    if platform == "feishu":
        locale = "zh_cn" if lang == "zh" else "en_us"
        return {"msg_type": "post", "content": {"post": {locale: {
            "title": title, "content": [[{"tag": "a", "text": text, "href": url}]]}}}}
    if platform == "slack":
        return {"text": title, "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": f"<{url}|{text}>"}}]}
    raise ValueError(f"unknown platform {platform!r}")


def extra_messages(png: bytes | None, url: str | None, lang: str):
    """platform name -> the messages to post after the report's text."""

    def extras(platform: str) -> list[dict[str, Any]]:
        out = []
        if platform == "wecom" and png is not None:
            image = image_message(png)
            if image is not None:
                out.append(image)
        if url:
            out.append(link_message(platform, url, lang))
        return out

    return extras
