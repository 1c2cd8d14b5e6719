"""`shopdoc init` writes a schedule that works as written: the cron line runs under cron's own minimal
environment (`env -i`, `PATH=/usr/bin:/bin`, `/bin/sh`, home as working folder) and posts to the robot
whose webhook sits in the 0600 env file beside the config."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from shopdoc.commands.schedule import cron_line, schtasks_line
from test_chat_send import Robots, FakeClock, message_text

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data"
SHOPDOC = Path(sys.executable).parent / "shopdoc"

posix_only = pytest.mark.skipif(os.name != "posix" or not Path("/bin/sh").exists(), reason="cron is POSIX")


@pytest.fixture
def robots():
    server = Robots(FakeClock())
    server.thread.start()
    yield server
    server.server.shutdown()
    server.server.server_close()


def init(folder: Path, *args: str) -> subprocess.CompletedProcess:
    """Run the installed command, as a user who just installed it would."""
    return subprocess.run([str(SHOPDOC), "init", str(folder), *args], capture_output=True, text=True, timeout=60)


def written_cron_line(output: str) -> str:
    (line,) = [text.strip() for text in output.splitlines() if text.strip().startswith("30 7 * * * ")]
    return line


@posix_only
def test_the_written_cron_line_runs_under_crons_minimal_environment(tmp_path, robots):
    shop = tmp_path / "my shop"  # a space in the path, as in many home folders
    done = init(shop)
    assert done.returncode == 0, done.stderr
    line = written_cron_line(done.stdout)
    assert line in (shop / "shopdoc.yaml").read_text(encoding="utf-8")  # also at the top of the config
    for export in SAMPLE.iterdir():
        if export.name != "shopdoc.yaml":
            shutil.copy(export, shop / export.name)
    # The operator pastes the robot's webhook and secret into the env file the job reads.
    env_file = shop / "shopdoc.env"
    hooks = robots.env()
    text = env_file.read_text(encoding="utf-8")
    for name in ("SHOPDOC_DINGTALK_WEBHOOK", "SHOPDOC_DINGTALK_SECRET"):
        text = text.replace(f"export {name}=''", f"export {name}='{hooks[name]}'")
    env_file.write_text(text, encoding="utf-8")

    home = tmp_path / "home"
    home.mkdir()
    command = line.split(" ", 5)[5]  # what cron hands to /bin/sh after the five time fields
    job = subprocess.run(["env", "-i", "PATH=/usr/bin:/bin", "SHELL=/bin/sh", f"HOME={home}", "LOGNAME=shop",
                          "/bin/sh", "-c", command], cwd=home, capture_output=True, text=True, timeout=120)
    log = (shop / "shopdoc.log").read_text(encoding="utf-8")
    assert job.returncode == 0, log
    assert job.stdout == "" and job.stderr == ""  # everything went to the log
    posted = robots.of("dingtalk")
    assert posted and not robots.problems
    assert "my-shop" in message_text(posted[0])  # the shop name of the written config
    assert f"dingtalk: 已发送 {len(posted)} 条消息" in log  # cron has no locale: Chinese


def test_init_creates_a_private_env_file_and_never_replaces_it(tmp_path):
    shop = tmp_path / "shop"
    first = init(shop, "--lang", "en")
    assert first.returncode == 0, first.stderr
    env_file = shop / "shopdoc.env"
    if os.name == "posix":
        assert stat.S_IMODE(env_file.stat().st_mode) == 0o600
    assert "export SHOPDOC_DINGTALK_WEBHOOK=''" in env_file.read_text(encoding="utf-8")
    env_file.write_text("export SHOPDOC_DINGTALK_WEBHOOK='https://oapi.dingtalk.com/robot/send?access_token=x'\n",
                        encoding="utf-8")
    again = init(shop, "--force", "--lang", "en")
    assert again.returncode == 0
    assert "access_token=x" in env_file.read_text(encoding="utf-8")  # secrets are never overwritten
    assert "already exists; left as it is" in again.stdout


def test_cron_line_names_the_command_by_absolute_path_and_has_no_percent(tmp_path):
    line = written_cron_line(init(tmp_path / "a").stdout)
    fields = line.split(" ")
    assert fields[:5] == ["30", "7", "*", "*", "*"]
    command = line.split("&& ")[-1].split(" diagnose")[0].strip("'")
    assert os.path.isabs(command) and os.access(command, os.X_OK)
    assert "%" not in line  # cron turns % into a line break


def test_the_lines_quote_paths_with_spaces():
    assert cron_line("/home/me/my shop", ["/opt/shopdoc/bin/shopdoc"]).startswith(
        "30 7 * * * . '/home/me/my shop/shopdoc.env' && cd '/home/me/my shop' && /opt/shopdoc/bin/shopdoc diagnose")
    task = schtasks_line(r"C:\Users\me\My Shop", [r"C:\Program Files\shopdoc\shopdoc.exe"])
    assert task.startswith("schtasks /Create /SC DAILY /ST 07:30 /TN shopdoc /TR \"cmd /c cd /d ")
    assert r'\"C:\Users\me\My Shop\"' in task and r'\"C:\Program Files\shopdoc\shopdoc.exe\" diagnose' in task
