"""Making text from the exports harmless in a chat message.

Review content, item names and keyword names are written by strangers (buyers, competitors'
listings, whoever named a campaign). They reach the robots inside finding titles and actions, so
every piece of text that goes into a message passes through here first. The aim, per platform:
nobody can @-mention the whole group, add a clickable link, or break the message's own markup.

Why look-alike characters rather than backslashes or HTML entities: DingTalk, WeCom and Feishu
document which markup they render but not which escapes their renderers honour, so a `\\*` or a
`&lt;` may come out literally, or not at all. A full-width `＊` or `＜` cannot be markup in any
renderer and reads naturally in Chinese text. Slack is the exception: it documents `&amp;`,
`&lt;` and `&gt;` as the way to show those characters, so Slack gets exactly that.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Control characters, zero-width characters and bidirectional overrides: nothing a report needs, and
# the last two can hide or reorder text (a link that reads differently from where it goes).
_INVISIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
_SPACES = re.compile(r"\s+")

# Markup characters of the markdown dialects (DingTalk, WeCom, Feishu) and their look-alikes.
_MARKDOWN_LOOKALIKES = str.maketrans({
    "*": "＊", "_": "＿", "`": "｀", "~": "～", "[": "［", "]": "］",
    "<": "＜", ">": "＞", "#": "＃", "|": "｜", "\\": "＼", "&": "＆",
})
# Slack mrkdwn: &<> by the documented entities (see slack()), emphasis characters by look-alikes,
# and brackets so that pasting into a composer that reads `[text](url)` makes no link either.
_SLACK_LOOKALIKES = str.maketrans({"*": "＊", "_": "＿", "`": "｀", "~": "～", "[": "［", "]": "］"})
# Plain-text fields (Feishu post text, Slack header): no markup, but never anything tag- or link-shaped.
_TAG_LOOKALIKES = str.maketrans({"<": "＜", ">": "＞", "[": "［", "]": "］"})

# `http://`, `ftp://`, `weixin://` ... and `www.` start a link in every client's auto-linker.
_SCHEME = re.compile(r"\b([A-Za-z][A-Za-z0-9+.\-]{0,15}):/{1,3}")
# A host name: labels joined by dots, ending in a letters-only label (com, cn, shop...). Numbers like
# 3.5 or 1.07E+11 and abbreviations like e.g. do not match.
_HOST = re.compile(r"(?<![A-Za-z0-9\-])[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}(?![A-Za-z0-9\-])")


def clean(text: object) -> str:
    """One line of visible text: invisible characters dropped, line breaks and runs of spaces folded.

    Folding line breaks matters: a review with a line break followed by `# ` or `> ` would start a
    heading or a quote of its own in a markdown message.
    """
    value = "" if text is None else str(text)
    return _SPACES.sub(" ", _INVISIBLE.sub("", value)).strip()


def truncate(text: str, limit: int) -> str:
    """At most `limit` characters, an ellipsis marking the cut (cut on characters, never bytes)."""
    if len(text) <= limit:
        return text
    return text[: max(limit - 1, 0)].rstrip() + "…" if limit > 0 else ""


def defang(text: str) -> str:
    """Make links inert: `http://a.com` -> `http[:]//a[.]com`, `www.a.com` -> `www[.]a[.]com`.

    The bracket form is the one security teams use for indicators they must show but never follow;
    the reader still sees what the buyer wrote.
    """
    text = _SCHEME.sub(lambda match: f"{match.group(1)}[:]//", text)
    return _HOST.sub(lambda match: match.group(0).replace(".", "[.]"), text)


def _no_mentions(text: str) -> str:
    """`@所有人`, `@all`, `@here`... can only mention anyone when written with an ASCII `@`."""
    return text.replace("@", "＠")


@lru_cache(maxsize=8192)  # packing a long report renders each text many times
def markdown(text: object, links: bool = True) -> str:
    """For DingTalk and WeCom markdown and the Feishu markdown flavour.

    `links=False` is for the user's own file paths (`店铺整体.xlsx` is not a host name); everything
    else, export text above all, has its links made inert.
    """
    value = _no_mentions(clean(text)).translate(_MARKDOWN_LOOKALIKES)
    return defang(value) if links else value


@lru_cache(maxsize=8192)
def slack(text: object, links: bool = True) -> str:
    """For Slack mrkdwn: the three documented entities, then emphasis look-alikes.

    With `<` escaped, `<!channel>`, `<!here>`, `<@U123>` and `<http://x|y>` are plain text.
    """
    value = _no_mentions(clean(text)).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    value = value.translate(_SLACK_LOOKALIKES)
    return defang(value) if links else value


@lru_cache(maxsize=8192)
def plain(text: object, links: bool = True) -> str:
    """For fields the platform shows literally (Feishu post text, Slack header): no tags, no links."""
    value = _no_mentions(clean(text)).translate(_TAG_LOOKALIKES)
    return defang(value) if links else value
