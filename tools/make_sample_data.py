"""Build sample_data/: one demo shop's morning exports for the report day 2026-11-22 (a Sunday).

    .venv/bin/python tools/make_sample_data.py [OUT_DIR]     (default: sample_data/)

A women's knitwear shop on Taobao/Tmall. The files are shaped like the real downloads (see
FORMATS.md; the writers live in tests/exports.py) and hold the problems a real shop has, so that
`shopdoc diagnose sample_data` has something to say under every rule:

- 店铺整体 (14 days): GMV on 11-22 about 15% under 11-21 and under last Sunday, mainly because
  visitors fell (手淘搜索 lost ~30%); bounce rate 72.4% and visit depth 2.31 that day (pages fail);
  conversion under the peer average; shop AOV only ~1.18x the hero item's (238).
- 商品 (25 items x 7 days): the hero; a presale coat (orders, no payments); a cashmere scarf worth a
  lot per visitor on little traffic; a cheap basic top taking much traffic for little (refunding about
  three times the shop's rate: it shrinks in the wash, a review says); a cardigan
  whose conversion fell sharply on 11-22; prices such as 236 and 151 that do not end in 9/8/5.
- 流量来源 (11-21, 11-22, with 汇总 subtotals): 手淘搜索 down ~30%; 淘外流量 small but converting
  far above the shop; 淘内免费 large and converting far below.
- 直通车 keywords (7 days, 4 plans): keywords to raise, to lower and re-shoot, with thousands of
  impressions and no clicks, with too little data to judge (holds), and under break-even ROI.
- 万相台 plans (zip), reviews (中差评 on top-5 items and on others), DSR (物流服务 falling, under peer).

Deterministic: a fixed seed, and fixed times inside the zip-based files, so rebuilding changes nothing.
"""

from __future__ import annotations

import random
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import exports  # noqa: E402  (the export writers shared with the tests)

REPORT_DAY = "2026-11-22"
SEED = 20261122
HERO_ID = "652318809541"

# -- the shop's days ---------------------------------------------------------------------------------

# (day, visitors, payment conversion, AOV, bounce rate, visit depth, average stay seconds)
SHOP_DAYS = [
    ("2026-11-09", 8420, 0.0208, 276.0, 0.634, 2.96, 46.2),
    ("2026-11-10", 8310, 0.0204, 274.5, 0.641, 2.88, 44.9),
    ("2026-11-11", 8650, 0.0215, 281.2, 0.618, 3.12, 49.8),
    ("2026-11-12", 8240, 0.0201, 277.3, 0.652, 2.81, 43.1),
    ("2026-11-13", 8380, 0.0206, 275.8, 0.637, 2.92, 45.6),
    ("2026-11-14", 9050, 0.0212, 280.4, 0.622, 3.05, 48.3),
    ("2026-11-15", 9300, 0.0210, 279.0, 0.615, 3.18, 50.7),
    ("2026-11-16", 8520, 0.0205, 276.9, 0.639, 2.90, 45.0),
    ("2026-11-17", 8460, 0.0207, 278.1, 0.644, 2.86, 44.2),
    ("2026-11-18", 8610, 0.0203, 277.6, 0.648, 2.84, 43.8),
    ("2026-11-19", 8390, 0.0209, 276.2, 0.653, 2.79, 42.9),
    ("2026-11-20", 8700, 0.0206, 278.7, 0.657, 2.74, 41.7),
    ("2026-11-21", 9120, 0.0205, 279.0, 0.659, 2.71, 40.9),
    ("2026-11-22", 7950, 0.01975, 281.0, 0.724, 2.31, 31.6),
]
PEER_CONVERSION = 0.0211


def shop_records(rng: random.Random) -> list[dict]:
    records = []
    for day, visitors, conversion, aov, bounce, depth, stay in SHOP_DAYS:
        buyers = round(visitors * conversion)
        returning = round(visitors * rng.uniform(0.172, 0.188))
        order_conversion = conversion + rng.uniform(0.0022, 0.0031)
        order_buyers = round(visitors * order_conversion)
        records.append({
            "统计日期": day, "访客数": visitors, "浏览量": round(visitors * depth), "跳失率": bounce,
            "人均浏览量（访问深度）": depth, "平均停留时长": stay, "支付买家数": buyers,
            "支付金额": round(buyers * aov, 2), "支付转化率": buyers / visitors, "客单价": aov,
            "老访客数": returning, "新访客数": visitors - returning, "下单买家数": order_buyers,
            "下单金额": round(order_buyers * aov * 1.04, 2), "下单转化率": order_buyers / visitors,
            "同行平均支付转化率": PEER_CONVERSION + rng.uniform(-0.0003, 0.0003),
        })
    return records


# -- items -------------------------------------------------------------------------------------------

@dataclass
class Item:
    item_id: str
    name: str
    price: float
    visitors: int  # a usual day
    conversion: float
    aov_factor: float = 1.0  # AOV against the price (coupons below 1, several pieces above 1)
    search_share: float = 0.45  # share of its visitors from 手淘搜索 (they fell on 11-22)
    presale: bool = False
    drop_on_report_day: float | None = None  # conversion on 11-22
    refund_factor: float = 1.0  # refunds against the shop's usual 2-8% of sales


ITEMS = [
    Item(HERO_ID, "秋冬加厚高领羊毛衫女 套头慢热毛衣", 239, 2150, 0.0312, 0.9962, search_share=0.62),
    Item("652318809542", "基础款圆领打底针织衫 百搭内搭", 59, 1250, 0.020, 0.983, search_share=0.5, refund_factor=3.0),
    Item("652318809543", "复古麻花纹V领开衫外套", 328, 760, 0.034, 0.97, search_share=0.3, drop_on_report_day=0.014),
    Item("652318809544", "2026新款双面羊绒大衣 预售", 899, 640, 0.0, presale=True, search_share=0.25),
    Item("652318809545", "100%山羊绒围巾 礼盒装", 459, 150, 0.060, 0.99, search_share=0.2),
    Item("652318809546", "宽松羊毛阔腿针织裤", 236, 420, 0.024, 1.0, search_share=0.35),
    Item("652318809547", "马海毛短款毛衣开衫", 151, 380, 0.026, 1.0, search_share=0.35),
    Item("652318809548", "羊毛混纺半高领打底衫", 129, 330, 0.025, 1.05, search_share=0.35),
    Item("652318809549", "针织半身裙 中长款", 168, 290, 0.022, 1.0),
    Item("652318809550", "纯色羊毛贝雷帽", 89, 260, 0.030, 1.1),
    Item("652318809551", "羊绒手套 触屏款", 79, 240, 0.028, 1.15),
    Item("652318809552", "亲子款圣诞毛衣", 199, 230, 0.020, 1.6),
    Item("652318809553", "男士羊毛衫 圆领", 258, 210, 0.019, 1.0),
    Item("652318809554", "落肩廓形毛衣外套", 299, 190, 0.021, 1.0),
    Item("652318809555", "羊毛袜 三双装", 45, 180, 0.035, 1.3),
    Item("652318809556", "针织连衣裙 收腰显瘦", 264, 170, 0.018, 1.0),
    Item("652318809557", "羊绒披肩 大尺寸", 385, 95, 0.021, 1.0),
    Item("652318809558", "毛呢西装外套", 498, 85, 0.018, 1.0),
    Item("652318809559", "羊毛围巾 经典格纹", 128, 140, 0.024, 1.0),
    Item("652318809560", "加绒连帽卫衣", 139, 130, 0.019, 1.0),
    Item("652318809561", "高腰毛呢阔腿裤", 189, 120, 0.020, 1.0),
    Item("652318809562", "针织背心 叠穿", 99, 110, 0.022, 1.0),
    Item("652318809563", "条纹长袖针织衫", 119, 100, 0.020, 1.0),
    Item("652318809564", "羊羔毛拼接开衫", 219, 90, 0.018, 1.0),
    Item("652318809565", "毛线帽 护耳款", 59, 80, 0.025, 1.0),
]
ITEM_DAYS = exports.days(REPORT_DAY, 7)
SEARCH_LOSS = 0.30  # 手淘搜索 visitors lost on the report day


def item_records(rng: random.Random) -> list[dict]:
    records = []
    weekday = {"2026-11-21": 1.06, "2026-11-22": 1.0}
    for day in ITEM_DAYS:
        for item in ITEMS:
            factor = weekday.get(day, rng.uniform(0.94, 1.02))
            visitors = item.visitors * factor * rng.uniform(0.96, 1.04)
            if day == REPORT_DAY:
                visitors *= 1 - SEARCH_LOSS * item.search_share
            visitors = max(int(round(visitors)), 1)
            conversion = item.conversion * rng.uniform(0.93, 1.07)
            if day == REPORT_DAY and item.drop_on_report_day is not None:
                conversion = item.drop_on_report_day
            buyers = round(visitors * conversion)
            aov = item.price * item.aov_factor * (rng.uniform(0.98, 1.02) if item.item_id != HERO_ID else 1.0)
            if item.item_id == HERO_ID and day == REPORT_DAY:
                aov = 238.1
            gmv = round(buyers * aov, 2)
            order_buyers = round(visitors * rng.uniform(0.018, 0.024)) if item.presale else \
                buyers + max(1, round(buyers * rng.uniform(0.06, 0.15)))
            pageviews = round(visitors * rng.uniform(1.45, 1.9))
            records.append({
                "统计日期": day, "商品ID": item.item_id, "商品名称": item.name, "主商品ID": "-", "商品类型": "普通",
                "货号": f"ZM-{item.item_id[-4:]}", "商品状态": "当前在线", "价格": item.price,
                "商品访客数": visitors, "商品浏览量": pageviews, "平均停留时长": round(rng.uniform(12, 38), 2),
                "商品详情页跳出率": rng.uniform(0.52, 0.74), "商品收藏人数": round(visitors * rng.uniform(0.03, 0.07)),
                "商品加购件数": round(visitors * rng.uniform(0.07, 0.12)),
                "商品加购人数": round(visitors * rng.uniform(0.05, 0.09)), "下单买家数": order_buyers,
                "下单件数": round(order_buyers * 1.08), "下单金额": round(order_buyers * item.price * 1.02, 2),
                "下单转化率": order_buyers / visitors, "支付买家数": buyers, "支付件数": round(buyers * 1.06),
                "支付金额": gmv, "商品支付转化率": buyers / visitors,
                "支付新买家数": round(buyers * 0.8), "支付老买家数": buyers - round(buyers * 0.8),
                "访客平均价值": gmv / visitors,
                "成功退款金额": round(gmv * rng.uniform(0.02, 0.08) * item.refund_factor, 2) if buyers > 5 else None,
                "搜索引导访客数": round(visitors * item.search_share * (1 - SEARCH_LOSS if day == REPORT_DAY else 1)),
                "搜索引导支付买家数": round(buyers * item.search_share * 0.9),
                "搜索引导支付转化率": (round(buyers * item.search_share * 0.9)
                                   / max(1, round(visitors * item.search_share))),
            })
    return records


# -- traffic sources -----------------------------------------------------------------------------------

# (一级来源, 二级来源, visitors on 11-21, conversion on 11-21, visitors on 11-22, conversion on 11-22)
SOURCES = [
    ("淘内免费", "手淘搜索", 4300, 0.0095, 3010, 0.0090),
    ("淘内免费", "手淘推荐", 1350, 0.0052, 1380, 0.0051),
    ("淘内免费", "手淘其他店铺商品详情", 320, 0.0094, 300, 0.0067),
    ("淘内免费", "淘内免费其他", 230, 0.0130, 220, 0.0136),
    ("付费流量", "直通车", 1150, 0.0330, 1140, 0.0342),
    ("付费流量", "万相台", 620, 0.0290, 610, 0.0311),
    ("付费流量", "淘宝客", 150, 0.0400, 150, 0.0400),
    ("自主访问", "购物车", 540, 0.0950, 530, 0.0943),
    ("自主访问", "我的淘宝", 310, 0.0710, 305, 0.0689),
    ("自主访问", "直接访问", 90, 0.0333, 95, 0.0316),
    ("淘外流量", "抖音", 120, 0.0417, 128, 0.0391),
    ("淘外流量", "微信", 60, 0.0500, 62, 0.0484),
]


def source_records(rng: random.Random) -> list[dict]:
    records = []
    for day, index in (("2026-11-21", 0), ("2026-11-22", 1)):
        for level1, level2, *numbers in SOURCES:
            visitors, conversion = numbers[2 * index], numbers[2 * index + 1]
            buyers = round(visitors * conversion)
            aov = rng.uniform(262, 298)
            gmv = round(buyers * aov, 2)
            records.append({
                "统计日期": day, "流量载体": "无线端", "一级来源": level1, "二级来源": level2, "三级来源": "-",
                "访客数": visitors, "新访客": round(visitors * rng.uniform(0.7, 0.85)),
                "平均停留时长": round(rng.uniform(25, 60), 2), "加购人数": round(visitors * rng.uniform(0.05, 0.09)),
                "商品收藏人数": round(visitors * rng.uniform(0.03, 0.06)), "支付买家数": buyers,
                "支付转化率": buyers / visitors, "支付金额": gmv, "客单价": gmv / buyers if buyers else None,
                "UV价值": gmv / visitors, "下单买家数": round(buyers * 1.12),
                "下单转化率": round(buyers * 1.12) / visitors,
            })
    return records


# -- 直通车 keywords -------------------------------------------------------------------------------------

BREAK_EVEN = 1 / 0.30  # gross margin 30% (sample_data/shopdoc.yaml)

# (推广计划, 推广单元, 关键词, impressions a day, CTR, CPC, ROI, item price)
KEYWORDS = [
    ("羊毛衫-核心词", "高领羊毛衫", "羊毛衫女", 2600, 0.052, 1.32, 5.8, 239),
    ("羊毛衫-核心词", "高领羊毛衫", "高领毛衣女", 1900, 0.046, 1.18, 4.9, 239),
    ("羊毛衫-核心词", "高领羊毛衫", "羊毛衫女冬 加厚", 1200, 0.044, 1.05, 4.2, 239),
    ("羊毛衫-核心词", "高领羊毛衫", "毛衣女", 5200, 0.015, 1.46, 2.1, 239),
    ("羊毛衫-核心词", "高领羊毛衫", "针织衫女", 3100, 0.017, 1.10, 3.6, 239),
    ("羊毛衫-核心词", "高领羊毛衫", "套头毛衣", 1300, 0.030, 0.98, 3.9, 239),
    ("羊毛衫-核心词", "高领羊毛衫", "慢热毛衣", 40, 0.030, 0.90, 4.0, 239),
    ("羊毛衫-核心词", "高领羊毛衫", "羊毛衫 女 宽松", 1100, 0.032, 1.02, 4.1, 239),
    ("羊毛衫-核心词", "高领羊毛衫", "羊毛衫 中长款", 900, 0.029, 0.95, 3.7, 239),
    ("开衫-拓展词", "麻花纹开衫", "开衫外套女", 1800, 0.033, 1.25, 2.4, 328),
    ("开衫-拓展词", "麻花纹开衫", "麻花毛衣开衫", 950, 0.048, 1.12, 4.4, 328),
    ("开衫-拓展词", "麻花纹开衫", "复古开衫", 2400, 0.013, 1.38, 1.2, 328),
    ("开衫-拓展词", "麻花纹开衫", "v领开衫", 800, 0.029, 1.00, 3.8, 328),
    ("开衫-拓展词", "麻花纹开衫", "毛衣外套女秋冬", 380, 0.0, 1.20, 0.0, 328),
    ("开衫-拓展词", "麻花纹开衫", "针织开衫 韩版", 55, 0.036, 0.88, 3.0, 328),
    ("开衫-拓展词", "麻花纹开衫", "开衫女 短款", 700, 0.026, 0.96, 4.0, 328),
    ("开衫-拓展词", "麻花纹开衫", "毛衣开衫女 宽松", 650, 0.028, 0.99, 4.0, 328),
    ("围巾-精准词", "山羊绒围巾", "山羊绒围巾", 900, 0.056, 1.62, 7.5, 459),
    ("围巾-精准词", "山羊绒围巾", "羊绒围巾女 礼盒", 700, 0.041, 1.48, 6.2, 459),
    ("围巾-精准词", "山羊绒围巾", "围巾女冬", 2100, 0.016, 1.20, 3.8, 459),
    ("围巾-精准词", "山羊绒围巾", "围巾 礼物 送女友", 260, 0.0, 1.30, 0.0, 459),
    ("围巾-精准词", "山羊绒围巾", "纯羊绒围巾 正品", 45, 0.040, 1.55, 5.0, 459),
    ("围巾-精准词", "山羊绒围巾", "围巾 高级感", 600, 0.030, 1.25, 4.0, 459),
    ("围巾-精准词", "山羊绒围巾", "围巾男士", 30, 0.033, 1.10, 2.0, 459),
    ("捡漏-长尾词", "打底针织衫", "打底针织衫女", 1600, 0.028, 0.62, 1.4, 59),
    ("捡漏-长尾词", "打底针织衫", "内搭毛衣 百搭", 1200, 0.025, 0.58, 2.6, 59),
    ("捡漏-长尾词", "打底针织衫", "圆领针织衫", 1500, 0.017, 0.55, 3.6, 59),
    ("捡漏-长尾词", "打底针织衫", "打底衫女秋冬", 210, 0.0, 0.50, 0.0, 59),
    ("捡漏-长尾词", "打底针织衫", "针织打底衫 修身", 50, 0.030, 0.52, 2.0, 59),
    ("捡漏-长尾词", "打底针织衫", "纯色打底毛衣", 800, 0.031, 0.60, 3.9, 59),
]


def keyword_records(rng: random.Random) -> list[dict]:
    """Seven days of each keyword. Orders are whole, so each keyword carries its fractional
    expected orders from day to day: over the week its ROI lands on the one designed above
    (rounded up for the keywords meant to pay off, to the nearest order for the others)."""
    records = []
    expected: dict[str, float] = {}
    for day in ITEM_DAYS:
        weekend = 1.08 if day in ("2026-11-21", "2026-11-22") else 1.0
        for plan, unit, keyword, impressions, ctr, cpc, roi, price in KEYWORDS:
            shown = round(impressions * weekend * rng.uniform(0.85, 1.15))
            clicks = round(shown * ctr * rng.uniform(0.85, 1.15))
            cost = round(clicks * cpc * rng.uniform(0.92, 1.08), 2)
            before = expected.get(keyword, 0.0)
            expected[keyword] = before + cost * roi / price
            carry = 0.999 if roi >= BREAK_EVEN else 0.5
            orders = int(expected[keyword] + carry) - int(before + carry)
            gmv = round(orders * price * rng.uniform(0.97, 1.03), 2)
            records.append({
                "日期": day, "推广计划": plan, "推广单元": unit, "关键词": keyword, "出价": round(cpc * 1.3, 2),
                "展现量": shown, "点击量": clicks, "点击率": clicks / shown if shown else 0.0, "花费": cost,
                "平均点击花费": round(cost / clicks, 2) if clicks else 0.0, "平均展现排名": rng.randint(3, 28),
                "总成交金额": gmv, "总成交笔数": orders, "投入产出比": round(gmv / cost, 2) if cost else 0.0,
                "总购物车数": round(clicks * rng.uniform(0.06, 0.12)),
            })
    return records


# -- 万相台 plans --------------------------------------------------------------------------------------

WXT_PLANS = [
    {"日期": REPORT_DAY, "场景ID": "380", "场景名字": "关键词推广", "计划ID": "3301458820", "计划名字": "羊毛衫拉新-关键词",
     "花费": 860.42, "展现量": 28510, "点击量": 1021, "总成交金额": 3180.6, "总成交笔数": 13, "总购物车数": 64,
     "引导访问人数": 1380},
    {"日期": REPORT_DAY, "场景ID": "381", "场景名字": "人群推广", "计划ID": "3301458821", "计划名字": "老客召回-人群",
     "花费": 320.15, "展现量": 9803, "点击量": 470, "总成交金额": 2210.0, "总成交笔数": 9, "总购物车数": 38,
     "引导访问人数": 612},
    {"日期": REPORT_DAY, "场景ID": "382", "场景名字": "货品加速", "计划ID": "3301458822", "计划名字": "开衫测款",
     "花费": 410.8, "展现量": 21040, "点击量": 290, "总成交金额": 510.2, "总成交笔数": 2, "总购物车数": 17,
     "引导访问人数": 388},
    {"日期": REPORT_DAY, "场景ID": "383", "场景名字": "全站推广", "计划ID": "3301458823", "计划名字": "全店-全站推",
     "花费": 1250.0, "展现量": 46120, "点击量": 1383, "总成交金额": 3902.5, "总成交笔数": 16, "总购物车数": 81,
     "引导访问人数": 1702},
]


def wxt_records() -> list[dict]:
    out = []
    for plan in WXT_PLANS:
        out.append({**plan, "点击率": round(plan["点击量"] / plan["展现量"], 4),
                    "投入产出比": round(plan["总成交金额"] / plan["花费"], 2)})
    return out


# -- reviews --------------------------------------------------------------------------------------------

GOOD = ["质量很好，很暖和，版型也好看", "颜色正，没有色差，会回购", "面料舒服不扎人，推荐", "尺码标准，上身效果不错",
        "物流挺快的，包装也用心", "客服很耐心，帮忙选了尺码", "第二次买了，还是一样好", "性价比高，毛衣很软糯"]
NEGATIVES_ON_REPORT_DAY = [
    # (item id, level, stars, content, follow-up)
    (HERO_ID, "差评", 1, "穿了两次就起球严重，领口也松了，和描述的不起球完全不符", "联系客服只给了5元补偿，不满意"),
    ("652318809542", "差评", 2, "洗一次就缩水了，袖子短了一截", ""),
    ("652318809543", "中评", 3, "颜色和图片差很多，实物偏暗，扣子有点松", ""),
    ("652318809555", "中评", 3, "袜子有点薄，不算很暖", ""),
    ("652318809550", "差评", 2, "帽子有线头，做工一般", ""),
]
PLACEHOLDERS = ("此用户没有填写评价。", "评价方未及时做出评价,系统默认好评!")


def review_records(rng: random.Random) -> list[dict]:
    weights = [item.visitors * max(item.conversion, 0.01) for item in ITEMS if not item.presale]
    sellable = [item for item in ITEMS if not item.presale]
    names = {item.item_id: item.name for item in ITEMS}
    records = []
    order = 3456789012345670000

    def add(day: str, item_id: str, level: str, stars: int, content: str, follow_up: str = "") -> None:
        nonlocal order
        order += rng.randint(11, 997)
        moment = f"{day} {rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}"
        records.append({"评价时间": moment, "商品ID": item_id, "商品名称": names[item_id], "评价等级": level,
                        "评分": stars, "评价内容": content, "追评内容": follow_up, "订单号": str(order),
                        "买家昵称": f"{rng.choice('tmxyqlkz')}**{rng.randint(0, 9)}"})

    for day, count in (("2026-11-20", 18), ("2026-11-21", 20), (REPORT_DAY, 17)):
        for _ in range(count):
            item = rng.choices(sellable, weights)[0]
            roll = rng.random()
            content = rng.choice(PLACEHOLDERS) if roll < 0.3 else rng.choice(GOOD)
            add(day, item.item_id, "好评", 5 if rng.random() < 0.85 else 4, content)
    add("2026-11-21", HERO_ID, "中评", 3, "毛衣偏短，和模特图不一样")
    for item_id, level, stars, content, follow_up in NEGATIVES_ON_REPORT_DAY:
        add(REPORT_DAY, item_id, level, stars, content, follow_up)
    records.sort(key=lambda record: record["评价时间"], reverse=True)
    return records


# -- DSR -----------------------------------------------------------------------------------------------

def dsr_records(rng: random.Random) -> list[dict]:
    days = exports.days(REPORT_DAY, 14)
    logistics = [4.81, 4.81, 4.82, 4.81, 4.81, 4.80, 4.81, 4.80, 4.80, 4.79, 4.78, 4.77, 4.75, 4.74]
    records = []
    for day, value in zip(days, logistics):
        records.append({"日期": day, "描述相符": round(4.82 + rng.uniform(-0.005, 0.005), 4),
                        "服务态度": round(4.84 + rng.uniform(-0.005, 0.005), 4), "物流服务": value,
                        "同行平均描述相符": 4.79, "同行平均服务态度": 4.80, "同行平均物流服务": 4.78})
    return records


CONFIG = f"""\
# The demo shop's settings: `shopdoc diagnose sample_data --config sample_data/shopdoc.yaml`
shop:
  name: demo-shop
  hero_item: "{HERO_ID}"   # 主推款：秋冬加厚高领羊毛衫
  gross_margin: 0.30        # 毛利率 30% -> 推广保本投产比 3.33

rules:
  sales:
    daily_target:
      monthly_target: 1650000   # 月目标 165 万，11 月每天约 5.5 万
"""


def build(out: Path) -> list[Path]:
    rng = random.Random(SEED)
    out.mkdir(parents=True, exist_ok=True)
    files = [
        exports.sycm_shop(out / "【生意参谋平台】店铺整体_2026-11-09_2026-11-22.xls", shop_records(rng),
                          "2026-11-09", REPORT_DAY),
        exports.sycm_item(out / "【生意参谋平台】商品_全部_2026-11-16_2026-11-22.xls", item_records(rng),
                          "2026-11-16", REPORT_DAY),
        exports.sycm_sources(out / "【生意参谋平台】无线店铺流量来源-2026-11-21_2026-11-22.csv",
                             source_records(rng), "2026-11-21", REPORT_DAY),
        exports.ztc_keywords(out / "直通车_关键词报表_20261116-20261122.csv", keyword_records(rng)),
        exports.wxt_plans_zip(out / "万相台_计划报表_20261122_081502.zip", wxt_records()),
        exports.reviews_xlsx(out / "评价管理_2026-11-22.xlsx", review_records(rng)),
        exports.dsr_xlsx(out / "DSR_店铺评分.xlsx", dsr_records(rng)),
    ]
    config = out / "shopdoc.yaml"
    config.write_text(CONFIG, encoding="utf-8")
    return [*files, config]


def main() -> None:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "sample_data"
    total = 0
    for path in build(out):
        size = path.stat().st_size
        total += size
        print(f"{size:>8,}  {path.relative_to(out.parent) if out.parent in path.parents else path}")
    print(f"{total:>8,}  bytes in all")


if __name__ == "__main__":
    main()
