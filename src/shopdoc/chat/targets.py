"""Where `--send` posts: the four built-in robots, or a target named in the config.

Built-in targets read their webhook (and secret, for the signed platforms) from the environment, so a
crontab or CI secret store holds them and no file in the repository does. A configured target is

    send:
      targets:
        shop-ops:                     # `--send shop-ops`
          platform: dingtalk          # dingtalk | wecom | feishu | slack
          webhook_env: OPS_DINGTALK   # or `webhook: https://...` written in the file
          secret_env: OPS_DINGTALK_SECRET   # or `secret: ...`; DingTalk and Feishu only

A configured name wins over a built-in one, so `send.targets.wecom` can point `--send wecom` at
other variables. Webhook URLs and secrets are never echoed in errors: they are credentials.
"""

from __future__ import annotations

import os
import re
import urllib.parse
from dataclasses import dataclass, replace
from typing import Any, Mapping

from shopdoc.errors import ConfigError, UsageError
from shopdoc.params import shown

# platform -> (webhook variable, secret variable or None for platforms without signing)
BUILT_IN: dict[str, tuple[str, str | None]] = {
    "dingtalk": ("SHOPDOC_DINGTALK_WEBHOOK", "SHOPDOC_DINGTALK_SECRET"),
    "wecom": ("SHOPDOC_WECOM_WEBHOOK", None),
    "feishu": ("SHOPDOC_FEISHU_WEBHOOK", "SHOPDOC_FEISHU_SECRET"),
    "slack": ("SHOPDOC_SLACK_WEBHOOK", None),
}
PLATFORM_NAMES = tuple(BUILT_IN)
TARGET_KEYS = ("platform", "webhook", "webhook_env", "secret", "secret_env")
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@dataclass(frozen=True)
class Target:
    """One robot to post to. `problem` says why it cannot be posted to, without any secret in it."""

    name: str
    platform: str
    webhook: str | None = None
    secret: str | None = None
    problem: str | None = None
    secret_from: str | None = None  # where a secret would come from, for a hint when a signature is refused


def webhook_problem(url: str) -> str | None:
    """Why a webhook URL cannot be used (never quoting it), or None."""
    if any(char.isspace() or ord(char) < 32 for char in url):
        return "contains spaces or line breaks; copy the webhook URL again"
    try:
        parts = urllib.parse.urlsplit(url)
        parts.port  # noqa: B018 — a port that is not a number raises here
        host = parts.hostname
    except ValueError:  # `http://[::1`, `http://host:port`: never quoted, it holds the token
        return "is not a valid URL; copy the webhook URL again"
    if parts.scheme not in ("http", "https") or not parts.netloc or not host:
        return "is not an http(s) webhook URL"
    return None


def _looks_like_a_credential(value: str) -> bool:
    """A webhook URL or a secret pasted where a variable's name belongs: never to be echoed.
    Variable names are UPPER_SNAKE words; tokens are long runs of hex or of mixed-case letters and digits."""
    if "://" in value or re.search(r"[0-9a-fA-F]{16,}", value):
        return True
    return (len(value) >= 16 and "_" not in value and any(c.isdigit() for c in value)
            and any(c.islower() for c in value) and any(c.isupper() for c in value))


def check_target(name: str, settings: Any) -> dict[str, Any]:
    """Validate one `send.targets.NAME` entry; ConfigError with the key path when it is wrong."""
    key = f"send.targets.{name}"
    if not isinstance(settings, dict):
        raise ConfigError(key, "must be a mapping with platform and webhook_env (or webhook)")
    for field in settings:
        if field not in TARGET_KEYS:
            import difflib

            close = difflib.get_close_matches(str(field), TARGET_KEYS, n=1)
            hint = f" — did you mean {close[0]!r}?" if close else f" — known keys: {', '.join(TARGET_KEYS)}"
            raise ConfigError(f"{key}.{field}", "unknown setting" + hint)
    platform = settings.get("platform")
    if platform is None:
        raise ConfigError(f"{key}.platform", f"is missing; one of {', '.join(PLATFORM_NAMES)}")
    if platform not in PLATFORM_NAMES:
        raise ConfigError(f"{key}.platform", f"must be one of {', '.join(PLATFORM_NAMES)}, got {shown(platform)}")
    for field in ("webhook_env", "secret_env"):
        value = settings.get(field)
        if isinstance(value, str) and _looks_like_a_credential(value):
            raise ConfigError(f"{key}.{field}", "looks like the URL or secret itself (not shown); put it in an "
                                                "environment variable and write that variable's name here")
        if value is not None and (not isinstance(value, str) or not _ENV_NAME.match(value)):
            raise ConfigError(f"{key}.{field}", f"must be an environment variable name such as OPS_WEBHOOK, got {shown(value)}")
    if "webhook" in settings and "webhook_env" in settings:
        raise ConfigError(key, "set webhook_env or webhook, not both")
    if "webhook" not in settings and "webhook_env" not in settings:
        raise ConfigError(key, "needs webhook_env (the environment variable holding the webhook URL) or webhook")
    if "webhook" in settings:
        webhook = settings["webhook"]
        problem = "must be text" if not isinstance(webhook, str) else webhook_problem(webhook)
        if problem:
            raise ConfigError(f"{key}.webhook", problem)  # the value is a credential: not quoted
    if "secret" in settings and "secret_env" in settings:
        raise ConfigError(key, "set secret_env or secret, not both")
    for field in ("secret", "secret_env"):
        if field in settings and BUILT_IN[platform][1] is None:
            raise ConfigError(f"{key}.{field}", f"{platform} robots are not signed; remove it")
    if "secret" in settings and not isinstance(settings["secret"], str):
        raise ConfigError(f"{key}.secret", "must be text")
    return dict(settings)


def resolve(names: list[str], configured: Mapping[str, Any], env: Mapping[str, str] | None = None) -> list[Target]:
    """The targets named on the command line, in order, each once. Unknown names are a UsageError
    raised before anything is posted."""
    env = os.environ if env is None else env
    known = [*configured, *(name for name in PLATFORM_NAMES if name not in configured)]
    targets: list[Target] = []
    for name in dict.fromkeys(names):
        if name in configured:
            targets.append(_configured(name, configured[name], env))
        elif name in BUILT_IN:
            webhook_env, secret_env = BUILT_IN[name]
            targets.append(_from_env(name, name, webhook_env, secret_env, env))
        else:
            import difflib

            close = difflib.get_close_matches(name, known, n=1)
            hint = f" — did you mean {close[0]!r}?" if close else ""
            raise UsageError(f"--send: unknown target {name!r}{hint} (known: {', '.join(known)}; "
                             "add others under send.targets in the config)")
    return targets


def _configured(name: str, settings: Mapping[str, Any], env: Mapping[str, str]) -> Target:
    platform, secret_env = settings["platform"], settings.get("secret_env")
    if "webhook" in settings:
        problem = webhook_problem(settings["webhook"])
        if problem:
            return Target(name, platform, problem=f"send.targets.{name}.webhook {problem}")
        target = Target(name, platform, settings["webhook"], settings.get("secret"))
        target = replace(target, secret_from=f"send.targets.{name}.secret_env")
    else:
        target = _from_env(name, platform, settings["webhook_env"], None, env, secret=settings.get("secret"))
        target = replace(target, secret_from=f"send.targets.{name}.secret_env")
    if target.problem or not secret_env:
        return target
    secret = (env.get(secret_env) or "").strip()
    if not secret:  # configured explicitly, so the robot is signed: sending unsigned would only bounce
        return replace(target, webhook=None, problem=f"{secret_env} is not set; put the robot's secret in it")
    return replace(target, secret=secret)


def _from_env(name: str, platform: str, webhook_env: str, secret_env: str | None, env: Mapping[str, str],
              secret: str | None = None) -> Target:
    webhook = (env.get(webhook_env) or "").strip()
    if not webhook:
        return Target(name, platform, problem=f"{webhook_env} is not set; put the robot's webhook URL in it")
    problem = webhook_problem(webhook)
    if problem:
        return Target(name, platform, problem=f"{webhook_env} {problem}")
    if secret is None and secret_env:
        secret = (env.get(secret_env) or "").strip() or None
    return Target(name, platform, webhook, secret, secret_from=secret_env)
