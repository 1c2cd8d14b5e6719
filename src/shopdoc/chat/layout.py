"""What a chat message says, before any platform's markup: the report cut into pieces that can be
spread over several messages.

A message is a header (shop, day, page mark) and a run of pieces in the report's order: the
counts, the exports that could not be read, the findings (already sorted most urgent first by the
engine), a note on skipped rules, the daily checklist. Splitting a long report only decides where
one message stops and the next begins, so the critical findings always land in message 1. Within
one message the findings are grouped by owner, the document's afternoon step ("hand each problem to
the team that acts"), owners in the order of their most urgent finding.

Texts here are raw (cleaned, not escaped): each platform escapes them for its own markup.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from shopdoc.chat.escape import clean, truncate
from shopdoc.i18n import owner_name, severity_name
from shopdoc.model import SEVERITIES, Report
from shopdoc.report._format import (folded_line, listed, marked_title, owner_title, sections, still_open,
                                    still_open_line, title_line)
from shopdoc.report._words import words as report_words

SHOP_NAME_LIMIT = 40  # a header must fit in every platform's title field (Slack: 150 characters)

FIRST = "first"  # the group of the "do these first" head
STILL_OPEN = "still_open"  # old problems said in one line (shopdoc.reminders)
SEVERITY_MARK = {"critical": "🔴", "warning": "🟠", "info": "🔵"}
NEW_MARK = "🆕"

_WORDS = {
    "zh": {
        "title": "{shop} 今日待办 · {date}",
        "no_date": "无数据日期",
        "all_clear": "今天没有需要处理的问题。",
        "failed_inputs": "没读进来的文件",
        "skipped": "另有 {count} 条规则因缺数据或样本太少没有判断（明细见 --format json 的 skipped）",
        "checklist": "今日例行检查（导出数据覆盖不到）",
        "mark": "（{page}/{pages}）",
        "colon": "：",
    },
    "en": {
        "title": "{shop} to-do list · {date}",
        "no_date": "no data date",
        "all_clear": "Nothing needs fixing today.",
        "failed_inputs": "Files that could not be read",
        "skipped": "{count} more {rules} stayed silent for lack of data or sample (see skipped in --format json)",
        "checklist": "Daily routine (not covered by the exports)",
        "mark": " ({page}/{pages})",
        "colon": ": ",
    },
}


def words(lang: str) -> dict[str, str]:
    return _WORDS.get(lang, _WORDS["en"])


# -- the pieces ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Counts:
    """How many findings of each severity (the whole report, on message 1)."""

    critical: int
    warning: int
    info: int

    def pairs(self) -> list[tuple[str, int]]:
        return [(name, getattr(self, name)) for name in SEVERITIES]

    def shortened(self, limit: int) -> "Counts":
        return self


@dataclass(frozen=True)
class FailedInput:
    path: str
    error: str

    def shortened(self, limit: int) -> "FailedInput":
        return replace(self, path=truncate(self.path, limit), error=truncate(self.error, limit))


@dataclass(frozen=True)
class Item:
    """One finding, as a chat message shows it."""

    severity: str
    owner: str
    title: str
    action: str
    new: bool = False

    def shortened(self, limit: int) -> "Item":
        return replace(self, title=truncate(self.title, limit), action=truncate(self.action, limit))


@dataclass(frozen=True)
class Skipped:
    """The run's note on message 1: alerts (stale data), report day and data age, the rules that
    stayed silent for the whole shop, by name."""

    count: int
    names: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    def shortened(self, limit: int) -> "Skipped":
        return self


@dataclass(frozen=True)
class Task:
    """One line of the daily checklist."""

    text: str

    def shortened(self, limit: int) -> "Task":
        return replace(self, text=truncate(self.text, limit))


@dataclass(frozen=True)
class AllClear:
    def shortened(self, limit: int) -> "AllClear":
        return self


Piece = Counts | FailedInput | Item | Skipped | Task | AllClear


def longest_text(piece: Piece) -> int:
    """The longest text field of a piece: the upper bound for shortening it."""
    if isinstance(piece, Item):
        return max(len(piece.title), len(piece.action))
    if isinstance(piece, FailedInput):
        return max(len(piece.path), len(piece.error))
    if isinstance(piece, Task):
        return len(piece.text)
    return 0


@dataclass(frozen=True)
class Digest:
    """The report as chat pieces, plus what every message's header needs."""

    shop: str
    date: str
    lang: str
    pieces: tuple[Piece, ...]

    def title(self, page: int = 1, pages: int = 1) -> str:
        text = words(self.lang)["title"].format(shop=self.shop, date=self.date)
        return text + mark(self.lang, page, pages)


def mark(lang: str, page: int, pages: int) -> str:
    """`（1/3）` on a report spread over three messages; nothing on a single message."""
    return words(lang)["mark"].format(page=page, pages=pages) if pages > 1 else ""


def digest(report: Report) -> Digest:
    """Cut a Report into chat pieces, most urgent first. Reads the report's plain data only."""
    lang = report.lang
    pieces: list[Piece] = [Counts(**report.summary), run_note(report)]  # the run's note: on message 1
    pieces += [
        FailedInput(clean(item.path), clean(item.error or item.status))
        for item in report.inputs if item.status in ("error", "unrecognised")  # neither was read
    ]
    for section in sections(report.findings):
        # The "do these first" head is a group of its own (FIRST), each title naming who acts.
        group = section.owner or FIRST
        shown, folded = listed(section.findings)
        # What the list counts instead of listing (a big account's thousands of bid changes) goes right
        # under the last listed item of the same rule, so "more like this" sits where it belongs.
        rest = {(item.rule, item.severity, item.owner): item for item in folded}
        last = {(f.rule, f.severity, f.owner): index for index, f in enumerate(shown)}
        for index, finding in enumerate(shown):
            pieces.append(Item(
                severity=finding.severity,
                owner=group,
                title=clean(title_line(finding, lang, section)),
                action=clean(_with_parts(finding, lang)),
                new=bool(finding.first_seen and report.date and finding.first_seen == report.date),
            ))
            key = (finding.rule, finding.severity, finding.owner)
            if key in rest and last[key] == index:
                line = folded_line(rest[key], lang, report.currency, named=False)
                pieces.append(Item(severity=finding.severity, owner=group, title=clean(line), action="",
                                   new=False))
    # Old problems not due in full today: one line each, after the to-dos (shopdoc.reminders).
    for finding in still_open(report.findings):
        pieces.append(Item(severity=finding.severity, owner=STILL_OPEN,
                           title=clean(still_open_line(finding, lang)), action="", new=False))
    if not report.findings:
        pieces.append(AllClear())
    pieces += [Task(clean(text)) for text in report.checklist if clean(text)]
    return Digest(
        shop=truncate(clean(report.shop), SHOP_NAME_LIMIT),
        date=report.date or words(lang)["no_date"],
        lang=lang,
        pieces=tuple(pieces),
    )


def _with_parts(finding, lang: str) -> str:
    """The action, then what a story or item diagnosis gathered, by title (chat stays short)."""
    if not finding.parts:
        return finding.action
    w = report_words(lang)
    tag = (lambda p: f"〔{owner_title(p.owner, lang)}〕") if lang == "zh" else (lambda p: f"[{owner_title(p.owner, lang)}] ")
    joined = ("；" if lang == "zh" else "; ").join(f"{tag(part)}{marked_title(part, lang)}" for part in finding.parts)
    return f"{finding.action} {w['part']}{w['sep']}{joined}"


def run_note(report: Report) -> Skipped:
    """What the chat group must know before trusting the list: stale data, the day and how old the
    data is, and which rules said nothing at all (a missing export is not a healthy shop)."""
    from shopdoc.freshness import data_age
    from shopdoc.messages import say

    lang = report.lang
    from shopdoc.report._format import head_lines

    notes = [clean(line) for line in head_lines(report, lang)]  # stale data, money at stake, the defaults assumed
    last = max((day for item in report.inputs for day in (item.dates or [])), default=report.date)
    age = data_age(last)
    if report.date and age is not None:
        when = say("chat.age_today", lang) if age <= 0 else say("chat.age_days", lang, n=age)
        notes.append(say("chat.day", lang, day=report.date, last=last, age=when))
    from shopdoc.report._format import followup_section

    followup = followup_section(report)  # "上周做的事，效果如何": its title, then its lines
    if followup:
        notes += [clean(followup[0] + ("：" if lang == "zh" else ":"))] + [clean(line) for line in followup[1]]
    names = tuple(dict.fromkeys(skip.rule for skip in report.skipped if not skip.subject))
    return Skipped(len(names), names, tuple(notes))


# -- one message's worth ---------------------------------------------------------------------------
@dataclass
class Page:
    """The pieces of one message, arranged for reading: counts, failed files, findings by owner,
    skipped note, checklist."""

    lang: str
    title: str
    counts: Counts | None = None
    failed_inputs: list[FailedInput] = field(default_factory=list)
    groups: list[tuple[str, list[Item]]] = field(default_factory=list)
    all_clear: bool = False
    skipped: Skipped | None = None
    tasks: list[Task] = field(default_factory=list)

    def owner(self, owner: str) -> str:
        if owner == FIRST:
            return report_words(self.lang)["first_short"]
        if owner == STILL_OPEN:
            return report_words(self.lang)["still_open_short"]
        return owner_name(owner, self.lang)

    def severity(self, severity: str) -> str:
        return severity_name(severity, self.lang)

    @property
    def words(self) -> dict[str, str]:
        return words(self.lang)

    @property
    def skipped_note(self) -> str:
        """Alerts, report day and data age, and the silent rules by name, on one line."""
        from shopdoc.messages import say

        skipped = self.skipped or Skipped(0)
        parts = list(skipped.notes)
        if skipped.names:
            parts.append(say("chat.skipped", self.lang, n=len(skipped.names),
                             names=("、" if self.lang == "zh" else ", ").join(skipped.names)))
        return " · ".join(parts)


def arrange(digest_: Digest, pieces: list[Piece] | tuple[Piece, ...], page: int = 1, pages: int = 1) -> Page:
    view = Page(lang=digest_.lang, title=digest_.title(page, pages))
    by_owner: dict[str, list[Item]] = {}
    for piece in pieces:
        if isinstance(piece, Counts):
            view.counts = piece
        elif isinstance(piece, FailedInput):
            view.failed_inputs.append(piece)
        elif isinstance(piece, Item):
            by_owner.setdefault(piece.owner, []).append(piece)
        elif isinstance(piece, AllClear):
            view.all_clear = True
        elif isinstance(piece, Skipped):
            view.skipped = piece
        elif isinstance(piece, Task):
            view.tasks.append(piece)
    view.groups = list(by_owner.items())  # dicts keep insertion order: most urgent owner first
    return view
