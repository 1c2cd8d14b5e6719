"""The scheduled morning run that `shopdoc init` writes: a cron line and a Windows `schtasks` line that
work as written.

Cron starts jobs with `PATH=/usr/bin:/bin`, `/bin/sh`, the home folder as working directory and none
of the user's environment. So the line names the installed command by its absolute path, changes to
the folder holding `shopdoc.yaml` (the config, and the exports when `shop.data_dir` is not set), and
sources `shopdoc.env` — a file created with mode 0600 holding the chat robots' webhooks — before it
runs. A Windows scheduled task runs as the user, so the webhooks go into the user's environment
(`setx`) instead.
"""

from __future__ import annotations

import os
import shlex
import shutil
import sys
from pathlib import Path

ENV_NAME = "shopdoc.env"
LOG_NAME = "shopdoc.log"
WHEN_CRON = "30 7 * * *"  # 07:30 every day: the exports of yesterday are there by then
WHEN_SCHTASKS = "/SC DAILY /ST 07:30"
SEND = "dingtalk"
ENV_VARIABLES = (
    ("SHOPDOC_DINGTALK_WEBHOOK", "SHOPDOC_DINGTALK_SECRET"),
    ("SHOPDOC_WECOM_WEBHOOK", None),
    ("SHOPDOC_FEISHU_WEBHOOK", "SHOPDOC_FEISHU_SECRET"),
    ("SHOPDOC_SLACK_WEBHOOK", None),
)

# What the repository's `config/shopdoc.yaml` shows (it cannot know anyone's paths).
PLACEHOLDER_DIR = "/home/me/shop"
PLACEHOLDER_COMMAND = "/home/me/.local/bin/shopdoc"
PLACEHOLDER_WIN_DIR = r"C:\Users\me\shop"
PLACEHOLDER_WIN_COMMAND = r"C:\Users\me\.local\bin\shopdoc.exe"


def command_path() -> list[str]:
    """The installed command as an absolute path (a pipx link, a virtual environment's script), or
    this Python running the package when shopdoc was started as `python -m shopdoc`."""
    argv0 = sys.argv[0] if sys.argv else ""
    name = Path(argv0).name.lower()
    if name in ("shopdoc", "shopdoc.exe", "shopdoc-script.py") and Path(argv0).is_file():
        return [str(Path(argv0).absolute())]
    found = shutil.which("shopdoc")
    if found:
        return [str(Path(found).absolute())]
    return [str(Path(sys.executable).absolute()), "-m", "shopdoc"]


def cron_command(directory: Path | str, command: list[str]) -> str:
    """What cron runs (everything after the five time fields). No `%`: cron would cut the line there."""
    folder = str(directory)
    env = f"{folder.rstrip('/')}/{ENV_NAME}"
    run = " ".join(shlex.quote(part) for part in command)
    line = (f". {shlex.quote(env)} && cd {shlex.quote(folder)} && {run} diagnose --send {SEND} "
            f">> {LOG_NAME} 2>&1")
    assert "%" not in line, "cron treats % as a line break"
    return line


def cron_line(directory: Path | str, command: list[str]) -> str:
    return f"{WHEN_CRON} {cron_command(directory, command)}"


def schtasks_line(directory: str, command: list[str]) -> str:
    """A Task Scheduler entry; `cmd /c` so that the log redirect and `cd /d` work."""
    run = " ".join(_win_quote(part) for part in command)
    inner = f"cd /d {_win_quote(directory)} && {run} diagnose --send {SEND} >> {LOG_NAME} 2>&1"
    return f'schtasks /Create {WHEN_SCHTASKS} /TN shopdoc /TR "cmd /c {inner.replace(chr(34), chr(92) + chr(34))}"'


def _win_quote(part: str) -> str:
    return f'"{part}"' if any(char in part for char in ' &()^') else part


def lines_for(directory: Path | None) -> tuple[str, str]:
    """(cron line, schtasks line): the one for this platform with the real paths, the other a pattern."""
    if directory is None:
        return (cron_line(PLACEHOLDER_DIR, [PLACEHOLDER_COMMAND]),
                schtasks_line(PLACEHOLDER_WIN_DIR, [PLACEHOLDER_WIN_COMMAND]))
    command = command_path()
    if sys.platform == "win32":
        return (cron_line(PLACEHOLDER_DIR, [PLACEHOLDER_COMMAND]), schtasks_line(str(directory), command))
    return cron_line(directory, command), schtasks_line(PLACEHOLDER_WIN_DIR, [PLACEHOLDER_WIN_COMMAND])


_ENV_HEAD = {
    "zh": [
        "shopdoc 定时任务用的聊天机器人地址和密钥（由 shopdoc init 生成，只有你自己能读：权限 600）。",
        "定时任务运行前会先读这个文件；把引号里换成机器人的地址，用不到的留空。",
    ],
    "en": [
        "Chat robots' webhooks and secrets for the scheduled run (written by shopdoc init; only you can read",
        "it: mode 600). The cron job reads this file before it runs; fill in the robots you use, leave the rest empty.",
    ],
}


def env_file_text(lang: str) -> str:
    lines = [f"# {line}" for line in _ENV_HEAD[lang]]
    for webhook, secret in ENV_VARIABLES:
        lines.append(f"export {webhook}=''")
        if secret:
            lines.append(f"export {secret}=''")
    return "\n".join(lines) + "\n"


def write_env_file(directory: Path, lang: str) -> tuple[Path, bool]:
    """Create DIR/shopdoc.env with mode 0600; an existing one holds secrets and is never replaced.
    Returns the path and whether it was written now."""
    path = directory / ENV_NAME
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path, False
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(env_file_text(lang))
    if os.name == "posix":
        os.chmod(path, 0o600)  # whatever the umask
    return path, True


def readable_by_others(path: Path) -> bool:
    return os.name == "posix" and bool(path.stat().st_mode & 0o077)


__all__ = ["cron_line", "cron_command", "schtasks_line", "lines_for", "command_path", "write_env_file",
           "env_file_text", "ENV_NAME", "LOG_NAME"]
