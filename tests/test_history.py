"""The history store through the library: augment, annotate, record, snoozes, schema, concurrency.

Datasets are built the way the importers build them (canonical columns, `_file`, `_row`, ISO dates,
ids as text), one day per "export", as an operator who downloads one day at a time has them.
"""

from __future__ import annotations

import json
import multiprocessing
import sqlite3
from datetime import date as Date
from datetime import timedelta
from pathlib import Path

import pandas as pd
import pytest

from shopdoc.api import build_report
from shopdoc.config import Config, merge
from shopdoc.dataset import Dataset
from shopdoc.errors import HistoryError
from shopdoc.history import SCHEMA_VERSION, WINDOW_DAYS, history_path, open_history, subject_matches
from shopdoc.history.first_seen import REOPEN_AFTER_RUNS
from shopdoc.model import Finding, InputFile, Report
from exports import every_finding

SHOP = "demo-shop"
DAY = "2026-11-22"  # a Sunday


def shift(day: str, days: int) -> str:
    return (Date.fromisoformat(day) + timedelta(days=days)).isoformat()


# -- exports as the importers hand them over ------------------------------------------------------
def _frame(rows: list[dict], file: str) -> pd.DataFrame:
    frame = pd.DataFrame(rows)
    for column in frame.columns:
        if frame[column].dtype == object:
            frame[column] = frame[column].astype("str")
    frame["_file"] = pd.array([file] * len(frame), dtype="str")
    frame["_row"] = range(2, 2 + len(frame))
    return frame


def shop_rows(day: str, visitors: float, gmv: float, buyers: float, *, bounce: float = 0.55,
              pages: float = 3.8) -> pd.DataFrame:
    return _frame([{"date": day, "visitors": float(visitors), "pageviews": visitors * pages, "bounce_rate": bounce,
                    "buyers": float(buyers), "gmv": float(gmv)}], f"{day}/店铺整体.xls")


def item_rows(day: str, items: list[tuple[str, str, float, float, float]]) -> pd.DataFrame:
    return _frame([{"date": day, "item_id": item_id, "item_name": name, "visitors": float(visitors),
                    "buyers": float(buyers), "gmv": float(gmv), "conversion_rate": buyers / visitors}
                   for item_id, name, visitors, buyers, gmv in items], f"{day}/商品效果.xls")


def source_rows(day: str, sources: list[tuple[str, float, float]]) -> pd.DataFrame:
    return _frame([{"date": day, "source": source, "visitors": float(visitors), "buyers": float(buyers),
                    "conversion_rate": buyers / visitors} for source, visitors, buyers in sources],
                  f"{day}/流量来源.xls")


def ad_rows(day: str, keywords: list[tuple[str, str, float, float, float, float, float]]) -> pd.DataFrame:
    frame = _frame([{"date": day, "campaign": campaign, "keyword": keyword, "impressions": float(impressions),
                     "clicks": float(clicks), "cost": float(cost), "gmv": float(gmv), "orders": float(orders),
                     "level": "keyword"}
                    for campaign, keyword, impressions, clicks, cost, gmv, orders in keywords], f"{day}/直通车关键词.csv")
    return frame


def dsr_rows(day: str, description: float, service: float, logistics: float) -> pd.DataFrame:
    return _frame([{"date": day, "description": description, "service": service, "logistics": logistics}],
                  f"{day}/DSR.xls")


def dataset(**frames: pd.DataFrame) -> Dataset:
    return Dataset(frames=dict(frames), inputs=[InputFile(str(f["_file"].iloc[0]), kind) for kind, f in frames.items()])


def normal_day(day: str, *, visitors: float = 9000, gmv: float = 60000, search: float | None = None) -> Dataset:
    """A healthy shop day: shop, items, sources, ads and DSR, each from its own one-day export."""
    buyers = round(visitors * 0.03)
    search = round(visitors * 5 / 9) if search is None else search
    return dataset(
        shop_daily=shop_rows(day, visitors, gmv, buyers),
        item_daily=item_rows(day, [("5531", "加绒连衣裙 秋冬新款", 1200, 48, 9600), ("7781", "纯棉T恤 [两件装]", 800, 20, 1980)]),
        traffic_source=source_rows(day, [("手淘搜索", search, search * 0.03), ("直通车", 2500, 70),
                                         ("手淘推荐", visitors - search - 2500, 50)]),
        ad_report=ad_rows(day, [("连衣裙-主推", "加绒连衣裙", 20000, 600, 900, 3600, 12),
                                ("连衣裙-主推", "秋冬连衣裙", 10000, 200, 300, 900, 3),
                                ("T恤-测款", "纯棉t恤", 8000, 100, 120, 0, 0)]),
        dsr=dsr_rows(day, 4.8, 4.8, 4.7),
    )


def config(**user) -> Config:
    return Config(merge({"shop": {"name": SHOP}, **user}))


def run_day(path: Path, ds: Dataset, day: str, cfg: Config | None = None, lang: str = "en") -> Report:
    """One diagnose run, as `shopdoc diagnose` drives the store."""
    cfg = cfg or config()
    store = open_history(str(path), cfg)
    try:
        store.augment(ds, cfg.shop_name, day)
        report = build_report(ds, cfg, date=day, lang=lang)
        store.annotate(report)
        store.record(ds, report)
        return report
    finally:
        store.close()


def dump(path: Path) -> dict[str, list[tuple]]:
    """Every table's rows, sorted: what "the database did not change" compares."""
    conn = sqlite3.connect(path)
    try:
        tables = [row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        out = {table: sorted(conn.execute(f"SELECT * FROM {table}").fetchall(), key=repr) for table in tables}
        out["user_version"] = [conn.execute("PRAGMA user_version").fetchone()]
        return out
    finally:
        conn.close()


def stored(path: Path, kind: str, day: str) -> list[dict]:
    """The rows of one kind the history holds for a day, as dicts."""
    conn = sqlite3.connect(path)
    try:
        row = conn.execute("SELECT rows, data FROM metrics WHERE shop = ? AND kind = ? AND date = ?",
                           (SHOP, kind, day)).fetchone()
    finally:
        conn.close()
    if row is None:
        return []
    count, columns = row[0], json.loads(row[1])
    return [{name: values[n] for name, values in columns.items()} for n in range(count)]


def findings_of(report: Report, rule: str) -> list[Finding]:
    return [finding for finding in every_finding(report.findings) if finding.rule == rule]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "history.sqlite3"


# -- day over day from single-day exports ---------------------------------------------------------
def test_two_single_day_runs_give_a_day_over_day_finding(db: Path) -> None:
    first = run_day(db, normal_day(shift(DAY, -1)), shift(DAY, -1))
    assert findings_of(first, "sales.gmv_drivers") == []  # nothing to compare with yet

    # The next morning's exports hold only the report day: 1/3 fewer visitors, search traffic halved.
    today = normal_day(DAY, visitors=6000, gmv=40000, search=2000)
    report = run_day(db, today, DAY)

    drivers = findings_of(report, "sales.gmv_drivers")
    assert [f.evidence["compare_date"] for f in drivers] == [shift(DAY, -1)]
    assert drivers[0].evidence["driver"] == "visitors"
    assert drivers[0].evidence["change"] == pytest.approx(-1 / 3, abs=1e-3)
    sources = findings_of(report, "traffic.source_change")
    assert "source:手淘搜索" in [f.subject for f in sources]
    lost = next(f for f in sources if f.subject == "source:手淘搜索")
    assert lost.evidence["compare_visitors"] == 5000 and lost.evidence["visitors"] == 2000
    assert any("1 earlier day" in note for note in report.notes)

    # The same export without the history compares with nothing.
    alone = build_report(normal_day(DAY, visitors=6000, gmv=40000, search=2000), config(), date=DAY, lang="en")
    assert findings_of(alone, "sales.gmv_drivers") == []
    assert findings_of(alone, "traffic.source_change") == []


def test_item_conversion_and_dsr_drops_come_from_the_history(db: Path) -> None:
    for back in (3, 2, 1):
        run_day(db, normal_day(shift(DAY, -back)), shift(DAY, -back))
    today = normal_day(DAY)
    today.frames["item_daily"] = item_rows(DAY, [("5531", "加绒连衣裙 秋冬新款", 1200, 18, 3600),  # 4% -> 1.5%
                                                 ("7781", "纯棉T恤 [两件装]", 800, 20, 1980)])
    today.frames["dsr"] = dsr_rows(DAY, 4.8, 4.75, 4.7)  # service 4.80 -> 4.75
    report = run_day(db, today, DAY)
    drops = findings_of(report, "item.conversion_drop")
    assert [f.subject for f in drops] == ["item:5531"]
    assert drops[0].evidence["days"] == 3 and drops[0].evidence["baseline_visitors"] == 3 * 1200  # three stored days
    dsr = findings_of(report, "reviews.dsr_drop")
    assert [f.evidence["compare_date"] for f in dsr] == [shift(DAY, -3)]
    assert dsr[0].evidence["dimension"] == "service" and dsr[0].facet == "service"


def test_same_weekday_last_week_comes_from_the_history(db: Path) -> None:
    for back in range(7, 0, -1):
        run_day(db, normal_day(shift(DAY, -back)), shift(DAY, -back))
    report = run_day(db, normal_day(DAY, visitors=9000, gmv=45000), DAY)
    compared = sorted(f.evidence["compare"] for f in findings_of(report, "sales.gmv_drivers"))
    assert compared == ["previous_day", "same_weekday_last_week"]


def test_augment_adds_only_earlier_days_the_files_lack(db: Path) -> None:
    for back in (WINDOW_DAYS + 1, 3, 2, 1):
        run_day(db, normal_day(shift(DAY, -back), visitors=1000 * back), shift(DAY, -back))

    # Today's shop export holds two days (yesterday with other numbers); no DSR or ad file today.
    shop = pd.concat([shop_rows(shift(DAY, -1), 7777, 50000, 230), shop_rows(DAY, 8000, 52000, 240)],
                     ignore_index=True)
    today = dataset(shop_daily=shop, item_daily=item_rows(DAY, [("5531", "加绒连衣裙", 1000, 30, 6000)]))
    store = open_history(str(db), config())
    added = store.augment(today, SHOP, DAY)
    store.close()

    frame = today.frames["shop_daily"]
    history = frame[frame["_file"] == "history"]
    assert sorted(history["date"]) == [shift(DAY, -3), shift(DAY, -2)]  # not the day the file has, not > window
    assert history["_row"].isna().all()
    assert frame.loc[frame["date"] == shift(DAY, -1), "visitors"].tolist() == [7777]  # the file wins
    assert history.set_index("date").loc[shift(DAY, -3), "visitors"] == 3000
    assert list(frame.columns) == list(shop.columns)  # no new columns (pages_per_visitor was derived)
    assert frame.loc[frame["_file"] != "history", "_row"].tolist() == [2, 2]
    items = today.frames["item_daily"]
    assert sorted(items.loc[items["_file"] == "history", "date"].unique()) == [shift(DAY, -3), shift(DAY, -2), shift(DAY, -1)]
    assert set(items["item_id"]) == {"5531", "7781"}
    assert "dsr" not in today.frames and "ad_report" not in today.frames  # kinds not loaded stay out
    assert added == {"shop_daily": 2, "item_daily": 6}


def test_items_come_back_for_the_days_the_item_rules_compare(db: Path) -> None:
    for back in (10, 8, 7, 1):
        run_day(db, normal_day(shift(DAY, -back)), shift(DAY, -back))

    def item_days(cfg) -> list[str]:
        today = normal_day(DAY)
        with open_history(str(db), cfg) as store:
            store.augment(today, SHOP, DAY)
        items, shop = today.frames["item_daily"], today.frames["shop_daily"]
        assert len(shop[shop["_file"] == "history"]) == 4  # shop days: the whole window
        return sorted(items.loc[items["_file"] == "history", "date"].unique())

    assert item_days(config()) == [shift(DAY, -7), shift(DAY, -1)]  # a week, as item.conversion_drop looks
    wider = config(rules={"item.conversion_drop": {"window_days": 8}})
    assert item_days(wider) == [shift(DAY, -8), shift(DAY, -7), shift(DAY, -1)]


def test_augment_gives_sources_items_and_dsr_and_stores_campaign_totals(db: Path) -> None:
    run_day(db, normal_day(shift(DAY, -1)), shift(DAY, -1))
    today = normal_day(DAY)
    store = open_history(str(db), config())
    store.augment(today, SHOP, DAY)
    store.close()

    campaigns = {row["campaign"]: row for row in stored(db, "ad_campaign", shift(DAY, -1))}
    assert [campaigns["连衣裙-主推"][name] for name in ("impressions", "clicks", "cost", "gmv", "orders")] == \
        [30000, 800, 1200, 4500, 15]
    assert campaigns["连衣裙-主推"]["ctr"] == pytest.approx(800 / 30000, abs=1e-6)
    assert campaigns["T恤-测款"]["roi"] == 0
    ads = today.frames["ad_report"]
    assert (ads["_file"] != "history").all()  # see AUGMENTED_KINDS: the ad rules judge their own window
    sources = today.frames["traffic_source"]
    assert sorted(sources.loc[sources["_file"] == "history", "source"]) == ["手淘推荐", "手淘搜索", "直通车"]
    items = today.frames["item_daily"]
    earlier_items = items[items["_file"] == "history"]
    assert dict(zip(earlier_items["item_id"], earlier_items["item_name"])) == \
        {"5531": "加绒连衣裙 秋冬新款", "7781": "纯棉T恤 [两件装]"}
    assert str(earlier_items["item_id"].dtype) == str(items["item_id"].dtype) == "str"
    dsr = today.frames["dsr"]
    assert dsr.loc[dsr["_file"] == "history", ["description", "logistics"]].values.tolist() == [[4.8, 4.7]]


def test_history_leaves_the_ad_rules_money_per_day_alone(db: Path) -> None:
    for back in range(6, 0, -1):
        run_day(db, normal_day(shift(DAY, -back)), shift(DAY, -back))
    with_history = run_day(db, normal_day(DAY), DAY)
    alone = build_report(normal_day(DAY), config(), date=DAY, lang="en")

    def ads(report: Report) -> list[tuple]:
        return sorted(((f.rule, f.subject, f.money) for f in report.findings if f.rule.startswith("ads.")), key=repr)

    assert ads(with_history) == ads(alone) and ads(alone)


def test_an_undated_single_day_export_is_the_report_day(db: Path) -> None:
    run_day(db, normal_day(shift(DAY, -1)), shift(DAY, -1))
    undated = shop_rows(DAY, 6000, 40000, 180).drop(columns=["date"])
    today = dataset(shop_daily=undated)
    report = run_day(db, today, DAY)
    assert [f.evidence["compare_date"] for f in findings_of(report, "sales.gmv_drivers")] == [shift(DAY, -1)]
    assert [row["visitors"] for row in stored(db, "shop_daily", DAY)] == [6000]


# -- idempotent, replacing, several runs at once ----------------------------------------------------
def test_a_rerun_changes_nothing(db: Path) -> None:
    run_day(db, normal_day(shift(DAY, -1)), shift(DAY, -1))
    run_day(db, normal_day(DAY, visitors=6000, gmv=40000), DAY)
    before = dump(db)
    run_day(db, normal_day(DAY, visitors=6000, gmv=40000), DAY)
    run_day(db, normal_day(shift(DAY, -1)), shift(DAY, -1))
    assert dump(db) == before
    assert len(before["findings"]) > 3 and len(before["metrics"]) == 10  # 2 days x 5 kinds


def test_a_rerun_replaces_the_day(db: Path) -> None:
    run_day(db, normal_day(DAY, visitors=6000, gmv=40000), DAY)
    run_day(db, dataset(shop_daily=shop_rows(DAY, 9100, 61000, 273)), DAY)  # corrected shop export only
    assert [row["visitors"] for row in stored(db, "shop_daily", DAY)] == [9100]
    # Item rows of that day stay: this run had no item export to replace them with.
    assert [row["item_id"] for row in stored(db, "item_daily", DAY)] == ["5531", "7781"]
    conn = sqlite3.connect(db)
    rules = {row[0] for row in conn.execute("SELECT rule FROM findings WHERE date = ?", (DAY,))}
    assert "page.aov_ratio" not in rules  # findings are the latest run's only


def _parallel_worker(args: tuple[str, int, object]) -> str:
    path, worker, barrier = args
    barrier.wait()  # every process opens the brand-new file at the same moment
    shop = f"shop-{worker % 3}"
    cfg = config(shop={"name": shop})
    for back in range(3, -1, -1):
        day = shift(DAY, -back)
        run_day(Path(path), normal_day(day, visitors=8000 + 100 * back), day, cfg)
    return shop


def test_parallel_runs_on_one_file_all_succeed(db: Path) -> None:
    context = multiprocessing.get_context("fork")
    with context.Manager() as manager:
        barrier = manager.Barrier(6)
        with context.Pool(6) as pool:
            shops = pool.map(_parallel_worker, [(str(db), worker, barrier) for worker in range(6)])
    assert sorted(shops) == sorted(f"shop-{n % 3}" for n in range(6))
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    assert conn.execute("SELECT shop, COUNT(*) FROM days GROUP BY shop ORDER BY shop").fetchall() == \
        [(f"shop-{n}", 4) for n in range(3)]
    # Each shop's day holds one run's rows, not two runs' rows interleaved.
    assert conn.execute("SELECT DISTINCT rows FROM metrics WHERE kind = 'item_daily'").fetchall() == [(2,)]
    assert conn.execute("SELECT COUNT(*) FROM metrics WHERE kind = 'item_daily'").fetchone() == (12,)
    assert conn.execute("SELECT COUNT(*) FROM findings WHERE first_seen IS NULL").fetchone() == (0,)


# -- files that are not ours, read-only, full ------------------------------------------------------
def _foreign_sqlite(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE orders (id INTEGER PRIMARY KEY, total REAL)")
    conn.execute("INSERT INTO orders VALUES (1, 99.5)")
    conn.commit()
    conn.close()


@pytest.mark.parametrize("make, reason", [
    (lambda p: p.write_bytes(b"PK\x03\x04" + b"\x00" * 200), "not an SQLite database"),
    (lambda p: p.write_text("统计日期,访客数\n2026-11-22,8120\n", encoding="utf-8"), "not an SQLite database"),
    (_foreign_sqlite, "not a shopdoc history"),
    (lambda p: p.write_bytes(b"SQLite format 3\x00" + b"\xff" * 600), "damaged or foreign"),
])
def test_a_file_that_is_not_a_history_is_refused_and_left_as_it_was(tmp_path: Path, make, reason: str) -> None:
    path = tmp_path / "history.sqlite3"
    make(path)
    before = path.read_bytes()
    with pytest.raises(HistoryError) as caught:
        open_history(str(path), config())
    assert str(path) in caught.value.line() and reason in caught.value.line()
    assert caught.value.exit_code == 2
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["history.sqlite3"]  # no -wal / -shm left behind


def test_a_history_from_a_newer_shopdoc_is_refused(db: Path) -> None:
    run_day(db, normal_day(DAY), DAY)
    conn = sqlite3.connect(db)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    before = db.read_bytes()
    with pytest.raises(HistoryError, match="newer shopdoc"):
        open_history(str(db), config())
    assert db.read_bytes() == before


def test_a_full_disk_on_record_is_a_clear_error_and_stores_nothing(db: Path) -> None:
    run_day(db, normal_day(shift(DAY, -1)), shift(DAY, -1))
    before = dump(db)
    store = open_history(str(db), config())
    today = normal_day(DAY)
    today.frames["item_daily"] = item_rows(DAY, [(str(n), f"宝贝 {n} " + "加绒" * 30, 100, 1, 99) for n in range(3000)])
    store.augment(today, SHOP, DAY)
    report = build_report(today, config(), date=DAY, lang="en")
    store.annotate(report)
    pages = store._conn.execute("PRAGMA page_count").fetchone()[0]
    store._conn.execute(f"PRAGMA max_page_count = {pages + 2}")  # as if the disk filled up now
    with pytest.raises(HistoryError) as caught:
        store.record(today, report)
    store.close()
    assert "disk is full" in caught.value.line() and str(db) in caught.value.line()
    assert dump(db) == before  # one transaction: nothing half-stored
    assert report.findings  # the report itself is intact, ready to print


def test_history_path_defaults(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert history_path(None, config()) == tmp_path / "data" / "shopdoc" / "history.sqlite3"
    configured = Config(merge({"history": {"path": "hist/shop.sqlite3"}}), source=str(tmp_path / "cfg" / "shopdoc.yaml"))
    assert history_path(None, configured) == tmp_path / "cfg" / "hist" / "shop.sqlite3"  # beside the config, not cwd
    assert history_path(str(tmp_path / "x.db"), configured) == tmp_path / "x.db"


# -- first_seen -----------------------------------------------------------------------------------
def _finding(rule: str, subject: str, severity: str = "warning") -> Finding:
    return Finding(rule=rule, severity=severity, owner="operations", subject=subject, title="t", action="a")


def _run_findings(db: Path, day: str, findings: list[Finding], cfg: Config | None = None) -> Report:
    """A run whose rules found exactly `findings` (first_seen and snoozes do not look at why)."""
    cfg = cfg or config()
    report = Report(shop=cfg.shop_name, date=day, generated_at=f"{day}T07:00:00+08:00", lang="en",
                    findings=[Finding(**{**f.__dict__}) for f in findings])
    store = open_history(str(db), cfg)
    try:
        store.annotate(report)
        store.record(Dataset(), report)
    finally:
        store.close()
    return report


def _first_seen(report: Report) -> dict[str, str | None]:
    return {f"{f.rule} {f.subject}": f.first_seen for f in report.findings}


def test_first_seen_carries_over_from_day_to_day(db: Path) -> None:
    bounce, zero = _finding("page.bounce_rate", "shop"), _finding("ads.zero_click", "keyword:连衣裙-主推/加绒连衣裙")
    _run_findings(db, shift(DAY, -2), [bounce])
    _run_findings(db, shift(DAY, -1), [bounce, zero])
    report = _run_findings(db, DAY, [bounce, zero])
    assert _first_seen(report) == {"page.bounce_rate shop": shift(DAY, -2),
                                   "ads.zero_click keyword:连衣裙-主推/加绒连衣裙": shift(DAY, -1)}
    # With the real rules: GMV falls on the 24th and again on the 25th; the problem dates from the 24th.
    run_day(db, normal_day(shift(DAY, 1)), shift(DAY, 1))
    falling = run_day(db, normal_day(shift(DAY, 2), visitors=6000, gmv=40000), shift(DAY, 2))
    assert [f.first_seen for f in findings_of(falling, "sales.gmv_drivers")] == [shift(DAY, 2)]
    still = run_day(db, normal_day(shift(DAY, 3), visitors=4000, gmv=26000), shift(DAY, 3))
    assert [f.first_seen for f in findings_of(still, "sales.gmv_drivers")] == [shift(DAY, 2)]
    assert all(f.first_seen for f in still.findings)


def test_first_seen_survives_days_not_run_and_resets_after_it_was_gone(db: Path) -> None:
    bounce = _finding("page.bounce_rate", "shop")
    _run_findings(db, "2026-11-01", [bounce])
    report = _run_findings(db, "2026-11-05", [bounce])  # no runs on the 2nd-4th: not gone, just not looked at
    assert report.findings[0].first_seen == "2026-11-01"
    for n in range(REOPEN_AFTER_RUNS):  # gone on this many runs: still the same problem
        _run_findings(db, f"2026-11-{6 + n:02d}", [])
    report = _run_findings(db, f"2026-11-{6 + REOPEN_AFTER_RUNS:02d}", [bounce])
    assert report.findings[0].first_seen == "2026-11-01"
    for n in range(REOPEN_AFTER_RUNS + 1):  # gone on one run more: when it comes back it is new
        _run_findings(db, f"2026-11-{7 + REOPEN_AFTER_RUNS + n:02d}", [])
    day = f"2026-11-{8 + 2 * REOPEN_AFTER_RUNS + 1:02d}"
    assert _run_findings(db, day, [bounce]).findings[0].first_seen == day


def test_first_seen_does_not_reach_back_past_the_window(db: Path) -> None:
    bounce = _finding("page.bounce_rate", "shop")
    _run_findings(db, "2026-10-01", [bounce])
    assert _run_findings(db, "2026-11-05", [bounce]).findings[0].first_seen == "2026-10-01"  # 35 days on
    assert _run_findings(db, "2026-12-11", [bounce]).findings[0].first_seen == "2026-12-11"  # 36 days on: new


def test_item_rows_are_kept_for_a_season_shop_rows_for_good(db: Path) -> None:
    old_day = shift(DAY, -91)
    run_day(db, normal_day(old_day), old_day)
    run_day(db, normal_day(shift(DAY, -90)), shift(DAY, -90))
    run_day(db, normal_day(DAY), DAY)
    assert stored(db, "item_daily", old_day) == [] and len(stored(db, "item_daily", shift(DAY, -90))) == 2
    assert [row["visitors"] for row in stored(db, "shop_daily", old_day)] == [9000]


def test_first_seen_of_later_days_follows_a_day_filled_in_afterwards(db: Path) -> None:
    bounce = _finding("page.bounce_rate", "shop")
    _run_findings(db, shift(DAY, -1), [bounce])
    _run_findings(db, DAY, [bounce])
    _run_findings(db, shift(DAY, -3), [bounce])  # an older export run late
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT date, first_seen FROM findings ORDER BY date").fetchall() == [
        (shift(DAY, -3), shift(DAY, -3)), (shift(DAY, -1), shift(DAY, -3)), (DAY, shift(DAY, -3))]


# -- snoozes --------------------------------------------------------------------------------------
def test_a_snoozed_finding_stays_quiet_until_its_day(db: Path) -> None:
    zero = _finding("ads.zero_click", "keyword:连衣裙-主推/加绒连衣裙")
    other = _finding("ads.zero_click", "keyword:T恤-测款/纯棉t恤")
    bounce = _finding("page.bounce_rate", "shop", "critical")
    first = _run_findings(db, shift(DAY, -1), [zero, other, bounce])
    store = open_history(str(db), config())
    store.snooze(SHOP, "ads.zero_click", "keyword:连衣裙-主推/*", shift(DAY, 2))
    store.close()

    for day in (DAY, shift(DAY, 1)):
        report = _run_findings(db, day, [zero, other, bounce])
        assert sorted(f.subject for f in report.findings) == ["keyword:T恤-测款/纯棉t恤", "shop"]
        assert report.summary == {"critical": 1, "warning": 1, "info": 0}
        assert report.notes == ["1 snoozed finding not listed (see `shopdoc snooze --list`)"]
    back = _run_findings(db, shift(DAY, 2), [zero, other, bounce])
    assert len(back.findings) == 3 and back.notes == []
    # It was kept in the history while snoozed, so it is not "new" on the day it is back.
    assert {f.subject: f.first_seen for f in back.findings}["keyword:连衣裙-主推/加绒连衣裙"] == first.date


def test_config_snoozes_apply_and_star_covers_the_whole_rule(db: Path) -> None:
    cfg = config(snooze=[{"rule": "ads.zero_click", "subject": "*", "until": shift(DAY, 1)}])
    report = _run_findings(db, DAY, [_finding("ads.zero_click", "keyword:a/b"), _finding("ads.zero_click", "keyword:c/d"),
                                     _finding("page.bounce_rate", "shop")], cfg)
    assert [f.rule for f in report.findings] == ["page.bounce_rate"]
    assert report.notes == ["2 snoozed findings not listed (see `shopdoc snooze --list`)"]
    zh = Report(shop=SHOP, date=shift(DAY, 1), generated_at="", lang="zh", findings=[_finding("ads.zero_click", "keyword:a/b")])
    store = open_history(str(db), cfg)
    store.annotate(zh)
    store.close()
    assert len(zh.findings) == 1 and zh.notes == []  # the config's day has come


def test_subject_patterns_match_literally_except_star() -> None:
    assert subject_matches("*", "item:5531")
    assert subject_matches("keyword:连衣裙-主推/*", "keyword:连衣裙-主推/加绒连衣裙")
    assert not subject_matches("keyword:连衣裙-主推/*", "keyword:T恤-测款/纯棉t恤")
    assert subject_matches("item:[两件装]*", "item:[两件装]纯棉T恤")
    assert not subject_matches("item:55?1", "item:5531")
    assert not subject_matches("item:553", "item:5531")


# -- schema and migrations -------------------------------------------------------------------------
V1_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE days (shop TEXT NOT NULL, date TEXT NOT NULL, PRIMARY KEY (shop, date));
CREATE TABLE metrics (shop TEXT NOT NULL, date TEXT NOT NULL, kind TEXT NOT NULL, subject TEXT NOT NULL,
                      fields TEXT NOT NULL, PRIMARY KEY (shop, date, kind, subject));
CREATE TABLE findings (shop TEXT NOT NULL, date TEXT NOT NULL, rule TEXT NOT NULL, subject TEXT NOT NULL,
                       severity TEXT NOT NULL, PRIMARY KEY (shop, date, rule, subject));
INSERT INTO meta VALUES ('application', 'shopdoc.history'), ('created_at', '2026-10-01T07:00:00+08:00');
PRAGMA user_version = 1;
"""


def test_a_version_1_history_is_migrated_with_its_data_kept(db: Path) -> None:
    conn = sqlite3.connect(db)
    conn.executescript(V1_SCHEMA)
    days = [shift(DAY, -3), shift(DAY, -2), shift(DAY, -1)]
    for n, day in enumerate(days):
        conn.execute("INSERT INTO days VALUES (?, ?)", (SHOP, day))
        conn.execute("INSERT INTO metrics VALUES (?, ?, 'shop_daily', 'shop', ?)",
                     (SHOP, day, json.dumps({"visitors": 9000 - n * 100, "gmv": 60000.0, "buyers": 270})))
        conn.execute("INSERT INTO metrics VALUES (?, ?, 'item_daily', '7781', ?)",
                     (SHOP, day, json.dumps({"item_id": "7781", "item_name": f"T恤 v{n}", "visitors": 800})))
        conn.execute("INSERT INTO metrics VALUES (?, ?, 'item_daily', '5531', ?)",
                     (SHOP, day, json.dumps({"item_id": "5531", "visitors": 1200, "buyers": 48})))
        conn.execute("INSERT INTO findings VALUES (?, ?, 'page.bounce_rate', 'shop', 'critical')", (SHOP, day))
    conn.execute("INSERT INTO findings VALUES (?, ?, 'ads.zero_click', 'keyword:a/b', 'warning')", (SHOP, days[-1]))
    conn.commit()
    conn.close()

    open_history(str(db), config()).close()  # opening migrates
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT item_id, item_name FROM item_names").fetchall() == [("7781", "T恤 v2")]  # the latest
    conn.close()
    report = run_day(db, normal_day(DAY, visitors=6000, gmv=40000), DAY)

    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
    assert conn.execute("SELECT value FROM meta WHERE key = 'created_at'").fetchone() == ("2026-10-01T07:00:00+08:00",)
    assert [[row["visitors"] for row in stored(db, "shop_daily", day)] for day in days] == [[9000], [8900], [8800]]
    assert [row["item_id"] for row in stored(db, "item_daily", days[0])] == ["5531", "7781"]
    assert stored(db, "item_daily", days[0])[1] == {"item_id": "7781", "visitors": 800, "buyers": None}
    assert conn.execute("SELECT date, first_seen FROM findings WHERE rule = 'page.bounce_rate' AND date < ? "
                        "ORDER BY date", (DAY,)).fetchall() == [(day, days[0]) for day in days]
    assert conn.execute("SELECT item_id, item_name FROM item_names ORDER BY item_id").fetchall() == \
        [("5531", "加绒连衣裙 秋冬新款"), ("7781", "纯棉T恤 [两件装]")]  # today's export renamed them
    assert conn.execute("SELECT COUNT(*) FROM days WHERE diagnosed = 1").fetchone() == (4,)
    # The migrated days feed today's run: the comparison and first_seen.
    assert [f.evidence["compare_date"] for f in findings_of(report, "sales.gmv_drivers")] == [days[-1]]
    store = open_history(str(db), config())
    store.snooze(SHOP, "page.bounce_rate", "shop", shift(DAY, 3))
    assert [s.rule for s in store.snoozes(SHOP)] == ["page.bounce_rate"]
    store.close()


def test_a_new_file_gets_the_current_schema(db: Path) -> None:
    open_history(str(db), config()).close()
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
    assert conn.execute("SELECT value FROM meta WHERE key = 'application'").fetchone() == ("shopdoc.history",)
    assert {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")} == \
        {"meta", "days", "metrics", "item_names", "findings", "snoozes", "changes", "actions", "outcomes"}
