"""Chat bots: the report as DingTalk, WeCom, Feishu/Lark and Slack messages (SPEC §7).

`render_flavor` is `--format markdown --flavor X`; `send_report` is `--send TARGET`. Both read the
Report's plain data: nothing here re-parses another format or computes anything about the shop.
Importing this package is cheap (the config validator uses `shopdoc.chat.targets`); the platforms
and the HTTP client load when a report is rendered or sent.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Mapping

if TYPE_CHECKING:
    from shopdoc.chat.send import Clock
    from shopdoc.model import Report

FLAVORS = ("dingtalk", "wecom", "feishu", "slack")


def render_flavor(report: "Report", flavor: str) -> str:
    """The whole report as one markdown text in a platform's dialect, escaped the way a robot
    message is (what `--send` posts, without the splitting and the JSON envelope). `generic` is
    the report package's plain markdown."""
    from shopdoc.chat.layout import arrange, digest
    from shopdoc.chat.platforms import PLATFORMS
    from shopdoc.errors import UsageError

    if flavor == "generic":
        from shopdoc.report import render

        return render(report, "markdown")
    if flavor not in PLATFORMS:
        raise UsageError(f"--flavor: must be one of generic, {', '.join(FLAVORS)}, got {flavor!r}")
    chat = digest(report)
    return PLATFORMS[flavor].text(arrange(chat, chat.pieces)) + "\n"


def send_report(
    report: "Report",
    targets: list[str],
    config: Any,
    flavor: str | None = None,
    *,
    env: Mapping[str, str] | None = None,
    clock: "Clock | None" = None,
    timeout: float | None = None,
    attempts: int | None = None,
    on_sent: "Callable[[str, int], None] | None" = None,
    extras: Any = None,
    **limits: float,
) -> list[str]:
    """Post the report to each target; returns one failure line per target that failed.
    `on_sent(target, messages)` is told each target delivered in full; `extras(platform)`: messages
    to post after the report (see `shopdoc.chat.visual`)."""
    from shopdoc.chat import send

    return send.send_report(
        report, targets, config, flavor, env=env, clock=clock,
        timeout=send.TIMEOUT if timeout is None else timeout,
        attempts=send.ATTEMPTS if attempts is None else attempts, on_sent=on_sent, extras=extras,
        **limits,  # deadline, target_deadline (seconds; see shopdoc.chat.send)
    )


def check_targets(targets: list[str], config: Any, env: Mapping[str, str] | None = None) -> None:
    """Raise UsageError for an unknown `--send` target, so a caller can refuse before doing the work."""
    from shopdoc.chat.send import configured_targets
    from shopdoc.chat.targets import resolve

    resolve(list(targets), configured_targets(config), env)


__all__ = ["FLAVORS", "render_flavor", "send_report", "check_targets"]
