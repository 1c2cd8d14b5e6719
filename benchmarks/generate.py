"""A large account, generated: the exports an agency's big Taobao shop downloads on one morning.

Shapes follow the real exports (`../shared/FORMATS.md`, `sample_data/`):

- `直通车_关键词报表_….xlsx`: 100,000 keyword rows (10,000 keywords × 10 days), 13 columns, header on
  row 1, counts and money as numbers, 点击率 as a "3.21%" string as the web download has it;
- `【生意参谋平台】商品_全部_….xlsx`: 20,000 items on the report day, four description rows above the
  header (生意参谋-商品效果, 统计日期：…, 终端：…, 说明：…), every value a Sycm string ("2,106", "54.94%", "-");
- `评价管理_….xlsx`: 10,000 reviews over the last seven days, ids and order numbers as text;
- `【生意参谋平台】店铺整体_….xlsx`: 14 days of the shop overview, description rows above the header.

Everything is seeded, so two machines generate the same files, and written with openpyxl's write-only
mode (a 100,000-row sheet in seconds, not minutes). The numbers hang together the way real ones do:
clicks never exceed impressions, buyers never exceed visitors, the shop's visitors are the items'.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

GENERATOR_VERSION = 3
SEED = 20261122
REPORT_DAY = date(2026, 11, 22)

KEYWORD_DAYS = 10
CAMPAIGNS = 50
AD_GROUPS_PER_CAMPAIGN = 8
KEYWORDS_PER_GROUP = 25  # 50 × 8 × 25 = 10,000 keywords; × 10 days = 100,000 rows
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


@dataclass
class Account:
    folder: Path
    files: list[Path]
    config: Path


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


def keyword_rows(rng: random.Random):
    """100,000 rows: every keyword on each of the last 10 days, the way the 直通车 download lists them."""
    keywords = []
    for campaign_no in range(1, CAMPAIGNS + 1):
        category = CATEGORIES[campaign_no % len(CATEGORIES)]
        campaign = f"{category}-{rng.choice(STYLES)}-计划{campaign_no:02d}"
        seen: set[str] = set()
        for group_no in range(1, AD_GROUPS_PER_CAMPAIGN + 1):
            group = f"{category}单元{group_no:02d}"
            for _ in range(KEYWORDS_PER_GROUP):
                while True:
                    words = rng.sample(MODIFIERS, rng.choice([1, 2, 2, 3]))
                    keyword = "".join(words) + category
                    if keyword not in seen:
                        seen.add(keyword)
                        break
                reach = rng.lognormvariate(6.0, 1.6)        # daily impressions around 400, long tail
                ctr = min(0.15, rng.lognormvariate(-3.7, 0.6))  # ~2.5% median
                if rng.random() < 0.04:
                    ctr = 0.0                                 # the keywords ads.zero_click is for
                keywords.append((campaign, group, keyword, round(rng.uniform(0.4, 3.5), 2), reach, ctr,
                                 rng.uniform(0.5, 1.0), rng.lognormvariate(-3.5, 0.6), rng.choice([159, 199, 239, 299])))
    yield KEYWORD_HEADER
    for day_offset in range(KEYWORD_DAYS - 1, -1, -1):
        day = (REPORT_DAY - timedelta(days=day_offset)).isoformat()
        for campaign, group, keyword, bid, reach, ctr, cpc_share, conversion, price in keywords:
            impressions = int(reach * rng.uniform(0.7, 1.3))
            clicks = min(impressions, int(impressions * ctr * rng.uniform(0.7, 1.3) + rng.random()))
            cost = round(clicks * bid * cpc_share * rng.uniform(0.85, 1.0), 2)
            orders = sum(1 for _ in range(clicks) if rng.random() < conversion) if clicks < 200 \
                else int(clicks * conversion)
            gmv = round(orders * price * rng.uniform(0.9, 1.1), 2)
            yield [day, campaign, group, keyword, bid, impressions, clicks, _rate(clicks, impressions),
                   cost, round(cost / clicks, 2) if clicks else 0, gmv, orders,
                   round(gmv / cost, 2) if cost else 0]


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


CONFIG = """# The large benchmark account's settings (generated by benchmarks/generate.py).
shop:
  name: bench-large
  gross_margin: 0.30
rules:
  sales:
    daily_target:
      monthly_target: 24000000
"""


def _manifest() -> dict:
    return {"version": GENERATOR_VERSION, "seed": SEED, "keyword_rows": CAMPAIGNS * AD_GROUPS_PER_CAMPAIGN
            * KEYWORDS_PER_GROUP * KEYWORD_DAYS, "items": ITEMS, "reviews": REVIEWS, "shop_days": SHOP_DAYS}


def large_account(root: Path, *, force: bool = False, log=print) -> Account:
    """The generated account under `root` (made once, reused while the generator has not changed)."""
    folder = root / "large"
    first_keyword_day = (REPORT_DAY - timedelta(days=KEYWORD_DAYS - 1)).strftime("%Y%m%d")
    files = [
        folder / f"直通车_关键词报表_{first_keyword_day}-{REPORT_DAY:%Y%m%d}.xlsx",
        folder / f"【生意参谋平台】商品_全部_{REPORT_DAY}_{REPORT_DAY}.xlsx",
        folder / f"评价管理_{REPORT_DAY}.xlsx",
        folder / f"【生意参谋平台】店铺整体_{REPORT_DAY - timedelta(days=SHOP_DAYS - 1)}_{REPORT_DAY}.xlsx",
    ]
    config = root / "large-shopdoc.yaml"
    stamp = root / "large-manifest.json"
    fresh = not force and stamp.is_file() and all(path.is_file() for path in files) and config.is_file()
    if fresh and json.loads(stamp.read_text(encoding="utf-8")) == _manifest():
        return Account(folder=folder, files=files, config=config)

    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.iterdir():  # a file left by an older generator would be read too
        if stale.is_file() and stale not in files:
            stale.unlink()
    rng = random.Random(SEED)
    items = _items(rng)
    shop_visitors = 180_000
    log(f"generating {files[0].name} (100,000 keyword rows) …")
    _write(files[0], keyword_rows(random.Random(SEED + 1)))
    log(f"generating {files[1].name} ({ITEMS:,} items) …")
    _write(files[1], item_rows(random.Random(SEED + 2), items, shop_visitors))
    log(f"generating {files[2].name} ({REVIEWS:,} reviews) …")
    _write(files[2], review_rows(random.Random(SEED + 3), items))
    log(f"generating {files[3].name} ({SHOP_DAYS} days) …")
    _write(files[3], shop_rows(random.Random(SEED + 4), shop_visitors))
    config.write_text(CONFIG, encoding="utf-8")
    stamp.write_text(json.dumps(_manifest()), encoding="utf-8")
    return Account(folder=folder, files=files, config=config)
