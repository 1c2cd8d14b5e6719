"""A large account, generated: the exports a big Taobao shop downloads on one morning (issue 10).

Scalable by keyword rows: `account(root, 100_000)` writes `root/100k/` with

- `直通车_关键词报表_<day>-<day>.xlsx`: N keyword rows, ALL ON THE REPORT DAY, in 200 plans (推广计划) of 5
  units (推广单元) each, 13 columns, header on row 1, every number written as the web download shows it
  ("4,321", "2.41%", "1,234.56", "3.00"). ROI sits at about 3.00 for most keywords — below the break-even
  3.33 of the default 30% margin, which the config does NOT set — with some spread: a few loss-makers far
  below, a few keywords above break-even, CTRs spread around the account's so the CTR verdicts vary, and
  a few keywords with many impressions and no click;
- `【生意参谋平台】商品_全部_….xlsx`: 20,000 items on the report day, four description rows above the
  header (生意参谋-商品效果, 统计日期：…, 终端：…, 说明：…), every value a Sycm string ("2,106", "54.94%", "-");
- `评价管理_….xlsx`: 10,000 reviews over the last seven days, ids and order numbers as text;
- `【生意参谋平台】店铺整体_….xlsx`: 14 days of the shop overview, description rows above the header.

The shop grows with the ad account (visitors = max(1 M, 450 × N)) so the ad-attributed GMV stays about
half the shop's: the account is one shop, not two exports that contradict each other. Everything is seeded, so two machines generate the same files, and
written with openpyxl's write-only mode. A size is generated once and reused while its manifest (the
generator's version and the sizes) is unchanged. The numbers hang together the way real ones do within
a file: clicks never exceed impressions, buyers never exceed visitors, the shop's visitors are the items'.

    .venv/bin/python benchmarks/generate.py 10k 100k      # generate (or reuse) and print the folders
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

GENERATOR_VERSION = 4
SEED = 20261122
REPORT_DAY = date(2026, 11, 22)

SIZES = {"10k": 10_000, "30k": 30_000, "100k": 100_000, "300k": 300_000}
CAMPAIGNS = 200
AD_GROUPS_PER_CAMPAIGN = 5  # 1,000 units
ITEMS = 20_000
REVIEWS = 10_000
REVIEW_DAYS = 7
SHOP_DAYS = 14

KEYWORD_HEADER = ["日期", "推广计划", "推广单元", "关键词", "出价", "展现量", "点击量", "点击率", "花费",
                  "平均点击花费", "总成交金额", "总成交笔数", "投入产出比"]
ITEM_HEADER = ["统计日期", "商品ID", "商品名称", "主商品ID", "商品类型", "货号", "商品状态", "价格", "商品访客数",
               "商品浏览量", "平均停留时长", "商品详情页跳出率", "商品收藏人数", "商品加购件数", "商品加购人数",
               "下单买家数", "下单件数", "下单金额", "下单转化率", "支付买家数", "支付件数", "支付金额",
               "商品支付转化率", "支付新买家数", "支付老买家数", "访客平均价值", "成功退款金额", "搜索引导访客数",
               "搜索引导支付买家数", "搜索引导支付转化率"]
REVIEW_HEADER = ["评价时间", "商品ID", "商品名称", "评价等级", "评分", "评价内容", "追评内容", "订单号", "买家昵称"]
SHOP_HEADER = ["统计日期", "访客数", "浏览量", "跳失率", "人均浏览量（访问深度）", "平均停留时长", "支付买家数",
               "支付金额", "支付转化率", "客单价", "老访客数", "新访客数", "下单买家数", "下单金额", "下单转化率",
               "同行平均支付转化率"]

CATEGORIES = ["羊毛衫", "针织衫", "开衫", "毛衣", "打底衫", "卫衣", "羽绒服", "大衣", "棉服", "连衣裙",
              "阔腿裤", "牛仔裤", "半身裙", "衬衫", "马甲", "围巾", "帽子", "手套", "袜子", "家居服"]
MODIFIERS = ["女", "男", "秋冬", "加厚", "宽松", "修身", "高领", "圆领", "V领", "韩版", "百搭", "新款", "外穿",
             "内搭", "长款", "短款", "纯色", "慵懒风", "复古", "大码", "小个子", "羊绒", "纯棉", "保暖",
             "学生", "妈妈装", "2026", "ins", "网红", "显瘦", "套头", "中长款", "oversize", "温柔风"]
STYLES = ["慢热款", "基础款", "通勤款", "休闲款", "设计款", "爆款", "清仓款", "高端款"]
GOOD_WORDS = ["面料舒服不扎人，推荐", "尺码标准，上身效果不错", "颜色正，没有色差，会回购", "物流很快，包装完好",
              "版型好看，性价比高", "很暖和，冬天穿正好", "做工精细，线头少", "第二次买了，质量稳定"]
BAD_WORDS = ["起球严重，洗一次就变形", "色差很大，和图片不一样", "尺码偏小，客服态度一般", "有异味，退货了",
             "线头多，做工粗糙", "发货太慢，等了一个星期", "掉毛，穿着扎人", "质量一般，不值这个价"]
PLACEHOLDERS = ["此用户没有填写评价。", "评价方未及时做出评价,系统默认好评!"]
PRICE_TAILS = [9, 9, 9, 8, 8, 5, 0, 6]


@dataclass
class Item:
    item_id: str
    name: str
    price: float
    weight: float  # share of the shop's visitors


def _count(value: float) -> str:
    return f"{int(round(value)):,}"


def _money(value: float) -> str:
    return f"{value:,.2f}"


def _rate(part: float, whole: float) -> str:
    return f"{part / whole * 100:.2f}%" if whole else "-"


def _items(rng: random.Random) -> list[Item]:
    """20,000 items whose traffic falls off like a real catalogue: a few heroes, a long tail."""
    items = []
    for index in range(ITEMS):
        category = CATEGORIES[index % len(CATEGORIES)]
        words = rng.sample(MODIFIERS, 3)
        name = f"{words[0]}{words[1]}{category} {rng.choice(STYLES)}{words[2]}"
        base = rng.choice([39, 59, 79, 99, 129, 159, 199, 239, 299, 399, 599])
        price = float(base - base % 10 + rng.choice(PRICE_TAILS))  # mostly …9/…8/…5, a few that are not
        items.append(Item(item_id=str(652318800000 + index * 7 + 3), name=name, price=price,
                          weight=1.0 / (index + 3) ** 0.95))
    total = sum(item.weight for item in items)
    for item in items:
        item.weight /= total
    return items


def _write(path: Path, rows) -> None:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Sheet1")
    for row in rows:
        sheet.append(row)
    tmp = path.with_suffix(".tmp")
    book.save(tmp)
    tmp.replace(path)  # never leave a half-written file that would be reused


def _verdict_roi(rng: random.Random) -> float:
    """Most keywords at about 3.00 (below the 3.33 break-even of the default margin), a few far below,
    a few above: the account sits on one side of the line, but not every subject does."""
    roll = rng.random()
    if roll < 0.85:
        return min(3.30, max(2.70, rng.gauss(3.00, 0.10)))
    if roll < 0.93:
        return rng.uniform(0.8, 2.6)  # loss-makers, some below half of break-even
    return rng.uniform(3.40, 5.50)     # above break-even: never to be cut for CTR alone


def keyword_rows(rng: random.Random, rows: int):
    """`rows` keyword rows on the report day: 200 plans × 5 units × rows/1,000 keywords, every number
    as the 直通车 web download writes it (thousands separators, "%" rates, two-decimal money)."""
    day = REPORT_DAY.isoformat()
    per_group, extra = divmod(rows, CAMPAIGNS * AD_GROUPS_PER_CAMPAIGN)
    yield KEYWORD_HEADER
    group_no = 0
    for campaign_no in range(1, CAMPAIGNS + 1):
        category = CATEGORIES[campaign_no % len(CATEGORIES)]
        campaign = f"{category}-{STYLES[campaign_no % len(STYLES)]}-计划{campaign_no:03d}"
        seen: set[str] = set()
        for unit_no in range(1, AD_GROUPS_PER_CAMPAIGN + 1):
            group = f"{category}单元{unit_no:02d}"
            count = per_group + (1 if group_no < extra else 0)
            group_no += 1
            for _ in range(count):
                while True:
                    words = rng.sample(MODIFIERS, rng.choice([1, 2, 2, 3, 3]))
                    keyword = "".join(words) + category
                    if keyword not in seen:
                        seen.add(keyword)
                        break
                bid = round(rng.uniform(1.2, 4.0), 2)
                impressions = max(50, int(rng.lognormvariate(8.3, 0.7)))  # median ~4,000 a day
                ctr = min(0.15, rng.lognormvariate(-3.65, 0.55))          # median ~2.6%
                if rng.random() < 0.03 and impressions >= 1000:
                    ctr = 0.0                                             # the keywords ads.zero_click is for
                clicks = min(impressions, int(impressions * ctr + rng.random()))
                cost = round(clicks * bid * rng.uniform(0.6, 0.95), 2)
                gmv = round(cost * _verdict_roi(rng), 2)
                price = rng.choice([159, 199, 239, 299])
                orders = max(1, round(gmv / price)) if gmv else 0
                yield [day, campaign, group, keyword, f"{bid:.2f}", _count(impressions), _count(clicks),
                       _rate(clicks, impressions) if impressions else "0.00%", _money(cost),
                       _money(cost / clicks) if clicks else "0.00", _money(gmv), _count(orders),
                       f"{gmv / cost:.2f}" if cost else "0.00"]


def item_rows(rng: random.Random, items: list[Item], shop_visitors: int):
    """The Sycm 商品_全部 download for the report day: four description rows, then every item."""
    day = REPORT_DAY.isoformat()
    yield ["生意参谋-商品效果"]
    yield [f"统计日期：{day}~{day}"]
    yield ["终端：所有终端"]
    yield ["说明：以上数据仅作为参考，具体以实际交易数据为准"]
    yield ITEM_HEADER
    for item in items:
        visitors = int(shop_visitors * item.weight * 3 * rng.uniform(0.6, 1.4))
        pageviews = int(visitors * rng.uniform(1.3, 2.2))
        conversion = min(0.2, rng.lognormvariate(-3.9, 0.6))
        buyers = min(visitors, int(visitors * conversion + rng.random()))
        order_buyers = min(visitors, buyers + int(buyers * rng.uniform(0.0, 0.25)))
        presale = rng.random() < 0.003 and order_buyers > 0
        if presale:  # presale items: orders, but 0 payment conversion (document 002)
            buyers = 0
        units = buyers + int(buyers * rng.uniform(0.0, 0.3))
        gmv = units * item.price
        order_units = max(units, order_buyers)
        favorites = int(visitors * rng.uniform(0.02, 0.08))
        add_to_cart = int(visitors * rng.uniform(0.04, 0.12))
        search_visitors = int(visitors * rng.uniform(0.3, 0.6))
        search_buyers = min(search_visitors, int(buyers * rng.uniform(0.3, 0.6)))
        stay = f"{rng.uniform(8, 45):.2f}" if visitors else "-"
        bounce = f"{rng.uniform(0.35, 0.85) * 100:.2f}%" if visitors else "-"
        yield [day, item.item_id, item.name, "-", "普通", f"ZM-{item.item_id[-5:]}", "当前在线",
               f"{item.price:.2f}", _count(visitors), _count(pageviews), stay, bounce, _count(favorites),
               _count(add_to_cart * 1.2), _count(add_to_cart), _count(order_buyers), _count(order_units),
               _money(order_units * item.price), _rate(order_buyers, visitors), _count(buyers), _count(units),
               _money(gmv), _rate(buyers, visitors), _count(buyers * 0.8), _count(buyers - int(buyers * 0.8)),
               _money(gmv / visitors) if visitors else "-", _money(gmv * rng.uniform(0.0, 0.08)),
               _count(search_visitors), _count(search_buyers), _rate(search_buyers, search_visitors)]


def review_rows(rng: random.Random, items: list[Item]):
    """10,000 reviews over the last seven days, spread over items the way their sales are."""
    yield REVIEW_HEADER
    top = items[:2000]
    weights = [item.weight for item in top]
    start = datetime.combine(REPORT_DAY - timedelta(days=REVIEW_DAYS - 1), datetime.min.time())
    stamps = sorted((start + timedelta(seconds=rng.randrange(REVIEW_DAYS * 86400)) for _ in range(REVIEWS)),
                    reverse=True)
    chosen = rng.choices(top, weights=weights, k=REVIEWS)
    for number, (stamp, item) in enumerate(zip(stamps, chosen)):
        roll = rng.random()
        if roll < 0.04:
            level, rating, content = "差评", float(rng.choice([1, 2])), rng.choice(BAD_WORDS)
        elif roll < 0.07:
            level, rating, content = "中评", 3.0, rng.choice(BAD_WORDS)
        else:
            level, rating = "好评", float(rng.choice([4, 5, 5, 5]))
            content = rng.choice(PLACEHOLDERS) if rng.random() < 0.25 else rng.choice(GOOD_WORDS)
        append = rng.choice(GOOD_WORDS) if rng.random() < 0.05 else ""
        yield [stamp.strftime("%Y-%m-%d %H:%M:%S"), item.item_id, item.name, level, rating, content, append,
               str(3456789012345600000 + number * 13 + rng.randrange(13)),
               f"{rng.choice('abcdefghijklmnopqrstuvwxyz')}**{rng.randrange(10)}"]


def shop_rows(rng: random.Random, report_visitors: int):
    """The Sycm 店铺整体 download: three description rows (one blank), then 14 days."""
    first = REPORT_DAY - timedelta(days=SHOP_DAYS - 1)
    yield ["生意参谋-店铺整体"]
    yield [f"统计日期：{first.isoformat()}~{REPORT_DAY.isoformat()}"]
    yield [""]
    yield SHOP_HEADER
    for offset in range(SHOP_DAYS):
        day = first + timedelta(days=offset)
        visitors = report_visitors if day == REPORT_DAY else int(report_visitors * rng.uniform(0.85, 1.15))
        depth = rng.uniform(2.6, 3.8)
        buyers = int(visitors * rng.uniform(0.018, 0.026))
        aov = rng.uniform(180, 240)
        order_buyers = int(buyers * rng.uniform(1.05, 1.2))
        returning = int(visitors * rng.uniform(0.15, 0.22))
        yield [day.isoformat(), _count(visitors), _count(visitors * depth), f"{rng.uniform(55, 68):.2f}%",
               round(depth, 2), f"{rng.uniform(35, 55):.2f}", _count(buyers), _money(buyers * aov),
               _rate(buyers, visitors), f"{aov:.2f}", _count(returning), _count(visitors - returning),
               _count(order_buyers), _money(order_buyers * aov * 1.1), _rate(order_buyers, visitors),
               f"{rng.uniform(1.9, 2.3):.2f}%"]


CONFIG = """# The benchmark account's settings (generated by benchmarks/generate.py). No gross margin on
# purpose: issue 10's account runs on the default (30% → break-even ROI 3.33) the user never set.
shop:
  name: bench-{size}
rules:
  sales:
    daily_target:
      monthly_target: {target}
"""


@dataclass
class Account:
    size: str
    keyword_rows: int
    folder: Path
    files: list[Path]
    config: Path


def size_name(rows: int) -> str:
    return f"{rows // 1000}k" if rows % 1000 == 0 else str(rows)


def parse_size(text: str) -> int:
    text = text.strip().lower().replace(",", "").replace("_", "")
    return int(float(text[:-1]) * 1000) if text.endswith("k") else int(text)


def shop_visitors(rows: int) -> int:
    """The shop grows with its ad account, so ad-attributed GMV stays about half the shop's GMV (a
    bigger share would be a data warning: ad GMV above the shop's GMV means two shops' exports)."""
    return max(1_000_000, rows * 450)


def _fresh(stamp: Path, files: list[Path], manifest: dict) -> bool:
    try:
        return all(path.is_file() for path in files) and json.loads(stamp.read_text(encoding="utf-8")) == manifest
    except (OSError, ValueError):
        return False


def account(root: Path, rows: int, *, force: bool = False, log=print) -> Account:
    """The account with `rows` keyword rows under `root/<size>/` (made once, reused while unchanged)."""
    size = size_name(rows)
    folder = root / size
    files = [
        folder / f"直通车_关键词报表_{REPORT_DAY:%Y%m%d}-{REPORT_DAY:%Y%m%d}.xlsx",
        folder / f"【生意参谋平台】商品_全部_{REPORT_DAY}_{REPORT_DAY}.xlsx",
        folder / f"评价管理_{REPORT_DAY}.xlsx",
        folder / f"【生意参谋平台】店铺整体_{REPORT_DAY - timedelta(days=SHOP_DAYS - 1)}_{REPORT_DAY}.xlsx",
    ]
    config = root / f"{size}-shopdoc.yaml"
    visitors = shop_visitors(rows)
    manifest = {"version": GENERATOR_VERSION, "seed": SEED, "keyword_rows": rows, "campaigns": CAMPAIGNS,
                "ad_groups": CAMPAIGNS * AD_GROUPS_PER_CAMPAIGN, "items": ITEMS, "reviews": REVIEWS,
                "shop_days": SHOP_DAYS, "shop_visitors": visitors}
    stamp = root / f"{size}-manifest.json"
    if not force and config.is_file() and _fresh(stamp, files, manifest):
        return Account(size=size, keyword_rows=rows, folder=folder, files=files, config=config)

    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.iterdir():  # a file left by an older generator would be read too
        if stale.is_file() and stale not in files:
            stale.unlink()
    items = _items(random.Random(SEED))
    log(f"generating {size}: {files[0].name} ({rows:,} keyword rows, one day) …")
    _write(files[0], keyword_rows(random.Random(SEED + 1 + rows), rows))
    log(f"generating {size}: {files[1].name} ({ITEMS:,} items) …")
    _write(files[1], item_rows(random.Random(SEED + 2), items, visitors))
    log(f"generating {size}: {files[2].name} ({REVIEWS:,} reviews) …")
    _write(files[2], review_rows(random.Random(SEED + 3), items))
    log(f"generating {size}: {files[3].name} ({SHOP_DAYS} days) …")
    _write(files[3], shop_rows(random.Random(SEED + 4), visitors))
    # about 4.6 yuan of GMV per visitor; the target sits ~8% above the pace, so sales.daily_target speaks
    target = round(visitors * 4.6 * 30 * 1.08, -6)
    config.write_text(CONFIG.format(size=size, target=int(target)), encoding="utf-8")
    stamp.write_text(json.dumps(manifest), encoding="utf-8")
    return Account(size=size, keyword_rows=rows, folder=folder, files=files, config=config)


def large_account(root: Path, *, force: bool = False, log=print) -> Account:
    """The 100,000-row account of SPEC §8."""
    return account(root, 100_000, force=force, log=log)


if __name__ == "__main__":
    import argparse
    import sys

    parser = argparse.ArgumentParser(description="Generate the benchmark accounts.")
    parser.add_argument("sizes", nargs="*", default=["10k", "30k", "100k"], help="keyword rows: 10k 30k 100k 300k …")
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parent / ".generated")
    parser.add_argument("--regenerate", action="store_true")
    args = parser.parse_args()
    for text in args.sizes:
        made = account(args.root, parse_size(text), force=args.regenerate,
                       log=lambda line: print(line, file=sys.stderr))
        print(made.folder)
