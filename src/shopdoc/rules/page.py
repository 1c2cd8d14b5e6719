"""Page health: bounce rate, visit depth, and whether the hero item carries the rest of the shop.

Source: `003_01bac92a2fb6a989.txt` (an operator's day), 店铺页面检查.
"""

from __future__ import annotations

from shopdoc.metrics import hero_item
from shopdoc.params import count, fraction, positive
from shopdoc.rules import rule
from shopdoc.rules._helpers import data_currency

ORDER = 10

_RETURNING = fraction(
    "returning_share", 0.50,
    "老访客占访客数的比例达到这个值，就按老访客店铺的更严标准要求",
    "Returning visitors' share of visitors from which the stricter returning-visitor line applies",
)
_MIN_VISITORS = count(
    "min_visitors", 100, "访客数少于这个值不判断（样本太小）", "Below this many visitors the rule stays silent",
)


def _returning_heavy(ctx, metrics) -> bool:
    share = metrics.get("returning_share")
    return share is not None and share >= ctx.param("returning_share")


def _judge_line(ctx, value: float, metrics: dict, fails) -> None:
    """The page rules' shared judgement: the pass line, the aim, and the stricter returning-visitor line.

    `fails(value, line)` says whether `value` is on the wrong side of `line` (bounce: at or above it;
    visit depth: at or below it). Shops with many returning visitors are held to `returning_critical`
    instead of the aim: what passes for a shop of new visitors is a page problem for them.
    """
    visitors = metrics.get("visitors")
    if visitors is not None and visitors < ctx.param("min_visitors"):
        ctx.skip(ctx.t(f"访客数 {visitors} 太少，至少要 {ctx.param('min_visitors')}",
                       f"only {visitors} visitors, needs {ctx.param('min_visitors')}"))
        return
    evidence = {"value": value, "visitors": visitors}
    critical = ctx.param("critical")
    if fails(value, critical):
        if _returning_heavy(ctx, metrics):
            evidence["returning_share"] = metrics["returning_share"]
        ctx.finding("critical", "shop", {**evidence, "threshold": critical})
    elif _returning_heavy(ctx, metrics):
        line = ctx.param("returning_critical")
        if fails(value, line):
            ctx.finding("returning", "shop",
                        {**evidence, "threshold": line, "returning_share": metrics["returning_share"]})
    elif fails(value, ctx.param("aim")):
        # its own key: "passes, not yet at the aim" and "fails" are two problems, each with its own first_seen
        ctx.finding("aim", "shop", {**evidence, "threshold": ctx.param("aim")}, facet="aim", severity="info",
                    aim=ctx.param("aim"))


@rule(
    "page.bounce_rate",
    owner="design",
    severity="critical",
    needs={"shop_daily": ["bounce_rate"]},
    remind_days=7,  # 003: "这三个数据，一般每隔一周观察一次，也就是每周去调整一次页面"
    params=[
        fraction("critical", 0.70, "跳失率达到或超过这个值：页面不及格", "At or above this bounce rate the pages fail"),
        fraction("aim", 0.60, "及格后的目标：跳失率低于这个值就不用再调", "The aim once passing: below this, leave the pages alone"),
        fraction("returning_critical", 0.50, "老访客多的店铺，跳失率达到这个值就算不及格",
                 "Returning-visitor-heavy shops fail at or above this bounce rate"),
        _RETURNING,
        _MIN_VISITORS,
    ],
    messages={
        "critical": {
            "zh": ("全店跳失率 {value:.1%}，超过 {threshold:.0%} 的及格线",
                   "先调页面，别加推广：这时候加大推广只会亏钱。检查首页和主推款详情页的首屏、关联推荐和页面链接，改完一周后再看跳失率。"),
            "en": ("Shop bounce rate is {value:.1%}, above the {threshold:.0%} limit",
                   "Fix the pages before buying more traffic; until then more ads only lose money. Rework the "
                   "first screen of the home page and the hero item's page, related items and links, then check again in a week."),
        },
        "critical.broke": {
            "zh": ("全店跳失率 {value:.1%}，{changed_since:day} 起突然变差（平常 {usual:pct} 左右），超过 {threshold:.0%} 的及格线",
                   "这是 {changed_since:day} 才出现的变化，不是老问题：先查 {changed_since:day} 前后页面改过什么（首页、主推款详情页首屏、主图、"
                   "关联推荐、活动入口、页面链接），对上了就改回来，第二天再看跳失率；改好之前别加推广。"),
            "en": ("Shop bounce rate is {value:.1%}, worse since {changed_since:day} (usually about {usual:pct}), above the {threshold:.0%} limit",
                   "This changed on {changed_since:day}; it is not an old problem. Check what changed on the pages around then (home "
                   "page, the hero item's first screen, main images, related items, offer banners, links), undo it if it "
                   "matches and look again the next day; no more traffic until it is fixed."),
        },
        "returning": {
            "zh": ("老访客占 {returning_share:.0%}，跳失率却有 {value:.1%}，高于老访客店铺应有的 {threshold:.0%}",
                   "老访客多的店铺跳失率一般在 50% 以下，现在偏高说明页面留不住人：检查首页活动、上新入口和关联推荐。"),
            "en": ("Returning visitors are {returning_share:.0%} of traffic, yet bounce rate is {value:.1%}, above the {threshold:.0%} such shops reach",
                   "Shops with many returning visitors usually bounce under 50%; this page is not holding them. "
                   "Check the home page's offers, the new-arrivals entry and related items."),
        },
        "aim": {
            "zh": ("跳失率 {value:.1%}，及格了，但还没到 {aim:.0%} 以下的目标",
                   "每周调一次页面（首屏、关联推荐、活动入口），争取把跳失率做到 {aim:.0%} 以下。"),
            "en": ("Bounce rate {value:.1%} passes, but is not yet under the {aim:.0%} target",
                   "Adjust the pages once a week (first screen, related items, offer banners) until bounce rate is under {aim:.0%}."),
        },
    },
)
def bounce_rate(ctx) -> None:
    """Shop bounce rate against the document's pass line (70%) and aim (60%).

    [zh]
    检查：全店跳失率。达到或超过 70% 为严重（页面不及格）；60%–70% 及格但给出提示；低于 60% 健康。老访客占比高的店铺按 50% 要求。
    原因：《运营的一天》(003)：“跳失率：一般来讲跳失率要在70%以下，如果你跳失率高于这个数字，就有点难做了……上面两个数据，如果达不到，你首先要做的不是加大推广，而是调整页面。”“一般老访客多的店铺，跳失率会在50%以下。”“这三个数据，一般每隔一周观察一次，也就是每周去调整一次页面。”（所以老问题每 7 天完整提醒一次；昨天刚变差的当天就说。）
    怎么做：先调页面再加推广。检查首页和主推款详情页首屏、关联推荐、页面链接；每周调整一次，做到跳失率小于 60% 就基本不用再调。
    [en]
    Checks: the shop's bounce rate. At or above 70% is critical (the pages fail); 60–70% passes with a note; under 60% is healthy. Shops with a high share of returning visitors are held to 50%.
    Why: "An operator's day" (003): "Bounce rate should generally be under 70%; above that, things get hard... If these two numbers are not met, the first thing to do is not more promotion but fixing the pages." "Shops with many returning visitors usually bounce under 50%." "Look at these three numbers about once a week, that is, adjust the pages once a week." (So an open page problem is said in full every 7 days; one that broke overnight is said that day.)
    Fix: fix the pages before buying traffic: the home page and the hero item's first screen, related items, links. Adjust weekly; under 60% the pages need no more work.
    """
    metrics = ctx.shop_day()
    value = metrics.get("bounce_rate")
    if value is None:
        ctx.skip(ctx.t("报告日没有跳失率", "no bounce rate on the report day"))
        return
    _judge_line(ctx, value, metrics, fails=lambda value, line: value >= line)


@rule(
    "page.visit_depth",
    owner="design",
    severity="critical",
    needs={"shop_daily": ["visitors"]},
    remind_days=7,
    params=[
        positive("critical", 2.5, "人均浏览量（访问深度）不超过这个值：页面不及格",
                 "At or below this many pages per visitor the pages fail"),
        positive("aim", 3.5, "及格后的目标：访问深度高于这个值就不用再调", "The aim once passing: above this, leave the pages alone"),
        positive("returning_critical", 4.0, "老访客多的店铺，访问深度不超过这个值就算不及格",
                 "Returning-visitor-heavy shops fail at or below this many pages per visitor"),
        _RETURNING,
        _MIN_VISITORS,
    ],
    messages={
        "critical": {
            "zh": ("访问深度 {value:.2f}，没到 {threshold} 的及格线",
                   "先调页面，别加推广：在详情页加关联推荐和搭配套餐，首页理清分类入口，让进店的人多看几个宝贝。"),
            "en": ("Pages per visitor is only {value:.2f}, not above the {threshold} minimum",
                   "Fix the pages before buying more traffic: add related items and bundles to item pages and clear "
                   "category links on the home page so visitors look at more than one item."),
        },
        "critical.broke": {
            "zh": ("访问深度 {value:.2f}，{changed_since:day} 起突然变差（平常 {usual:num} 左右），没到 {threshold} 的及格线",
                   "这是 {changed_since:day} 才出现的变化，不是老问题：先查 {changed_since:day} 前后页面改过什么（关联推荐、搭配套餐、分类入口、"
                   "页面链接是否失效），对上了就改回来，第二天再看；改好之前别加推广。"),
            "en": ("Pages per visitor is {value:.2f}, worse since {changed_since:day} (usually about {usual:num}), not above the {threshold} minimum",
                   "This changed on {changed_since:day}; it is not an old problem. Check what changed on the pages around then "
                   "(related items, bundles, category links, broken links), undo it if it matches and look again the next "
                   "day; no more traffic until it is fixed."),
        },
        "returning": {
            "zh": ("老访客占 {returning_share:.0%}，访问深度只有 {value:.2f}，低于老访客店铺应有的 {threshold}",
                   "老访客多的店铺访问深度一般在 4.0 以上：检查上新入口、分类导航和关联推荐是否好用。"),
            "en": ("Returning visitors are {returning_share:.0%} of traffic, yet pages per visitor is only {value:.2f}, below the {threshold} such shops reach",
                   "Shops with many returning visitors usually view over 4 pages; check the new-arrivals entry, category navigation and related items."),
        },
        "aim": {
            "zh": ("访问深度 {value:.2f}，及格了，但还没到 {aim} 以上的目标",
                   "每周调一次页面：加关联推荐、搭配套餐和分类入口，争取访问深度做到 {aim} 以上。"),
            "en": ("Pages per visitor {value:.2f} passes, but is not yet above the {aim} target",
                   "Adjust the pages weekly (related items, bundles, category links) until visitors view more than {aim} pages."),
        },
    },
)
def visit_depth(ctx) -> None:
    """Pages per visitor (访问深度) against the document's pass line (2.5) and aim (3.5).

    [zh]
    检查：人均浏览量（访问深度）。不超过 2.5 为严重；2.5–3.5 及格但给出提示；高于 3.5 健康。老访客占比高的店铺按 4.0 要求。导出没有人均浏览量时用浏览量 ÷ 访客数。
    原因：《运营的一天》(003)：“访问深度：至少要在2.5以上……尽量做到如下数据：跳失率小于60%，访问深度大于3.5，如果数据能做到这样了，基本上就不用再调了。”“一般老访客多的店铺……访问深度会在4.0以上。”“这三个数据，一般每隔一周观察一次，也就是每周去调整一次页面。”（所以老问题每 7 天完整提醒一次；昨天刚变差的当天就说。）
    怎么做：先调页面再加推广：详情页加关联推荐和搭配套餐，首页理清分类和活动入口。
    [en]
    Checks: pages per visitor. At or below 2.5 is critical; 2.5–3.5 passes with a note; above 3.5 is healthy. Shops with many returning visitors are held to 4.0. Without the column, pageviews ÷ visitors is used.
    Why: "An operator's day" (003): "Visit depth should be at least 2.5... aim for a bounce rate under 60% and a visit depth over 3.5; once there, the pages need no more work." "Shops with many returning visitors... view over 4.0 pages." "Look at these three numbers about once a week, that is, adjust the pages once a week." (So an open page problem is said in full every 7 days; one that broke overnight is said that day.)
    Fix: fix the pages before buying traffic: related items and bundles on item pages, clear category and offer links on the home page.
    """
    metrics = ctx.shop_day()
    value = metrics.get("pages_per_visitor")
    if value is None:
        ctx.skip(ctx.t("缺少人均浏览量（或浏览量）", "skipped, needs shop_daily.pages_per_visitor (or pageviews)"))
        return
    _judge_line(ctx, value, metrics, fails=lambda value, line: value <= line)


@rule(
    "page.aov_ratio",
    owner="design",
    severity="warning",
    needs={"item_daily": ["item_id"]},
    remind_days=7,
    params=[
        positive("min_ratio", 1.3, "全店客单价至少是主推款客单价的这个倍数", "Shop AOV must be at least this multiple of the hero item's AOV"),
        count("min_buyers", 10, "主推款支付买家数少于这个值不判断", "Below this many hero-item buyers the rule stays silent"),
    ],
    messages={
        "low": {
            "zh": ("全店客单价 {shop_aov:.0f} 元只有主推款（{hero}）客单价 {hero_aov:.0f} 元的 {value:.2f} 倍，不到 {threshold} 倍",
                   "主推款没有带动全店：在主推款详情页加关联销售和搭配套餐，首页和详情页互相链接，让买主推款的人顺手多买一件。"),
            "en": ("Shop AOV {shop_aov:money} is only {value:.2f}x the AOV of the hero item ({hero}), {hero_aov:money}; it should be at least {threshold}x",
                   "The hero item does not carry the rest of the shop: add related sales and bundles to its page and link "
                   "the pages to each other so its buyers add a second item."),
        },
    },
)
def aov_ratio(ctx) -> None:
    """Shop AOV against the hero item's AOV: the hero should pull the rest of the shop along.

    [zh]
    检查：全店客单价 ÷ 主推款客单价，至少 1.3 倍。主推款取配置的商品ID，没配置就取访客数最多的商品；商品客单价没有就用支付金额 ÷ 支付买家数。
    原因：《运营的一天》(003)：“全店客单价至少应该是主打款客单价的1.3倍以上，当然越高越好，如果没达到这个数据，说明你页面就需要调整了……全店客单价接近主打款客单价的1.5倍，这样全店动销就会比较高，主打款带动了全店动销。”“这三个数据，一般每隔一周观察一次，也就是每周去调整一次页面。”（所以老问题每 7 天完整提醒一次；昨天刚变差的当天就说。）
    怎么做：在主推款页面做关联销售、搭配套餐和页面互链，带动其他宝贝。
    金额：达到 1.3 倍时按今天的买家数能多出的成交额。
    [en]
    Checks: shop AOV ÷ hero item AOV, at least 1.3. The hero is the configured item id, else the item with most visitors; an item's AOV is its payment amount ÷ buyers when the export has no AOV column.
    Why: "An operator's day" (003): "Shop AOV should be at least 1.3 times the hero item's AOV, the higher the better; if not, the pages need adjusting... at close to 1.5 times, the hero item drives sales across the whole shop." "Look at these three numbers about once a week, that is, adjust the pages once a week." (So an open page problem is said in full every 7 days; one that broke overnight is said that day.)
    Fix: related sales, bundles and page links on the hero item's page so it pulls other items along.
    Money: the extra GMV today's buyers would bring at 1.3x.
    """
    metrics = ctx.shop_day()
    shop_aov = metrics.get("aov")
    if shop_aov is None:
        ctx.skip(ctx.t("缺少全店客单价（或支付金额和支付买家数）", "skipped, needs shop_daily.aov (or gmv and buyers)"))
        return
    hero = hero_item(ctx.dataset, ctx.date, ctx.config.get("shop", "hero_item"))
    if hero is None:
        ctx.skip(ctx.t("商品导出里没有访客数，定不了主推款", "no item visitors to pick the hero item"))
        return
    if hero.get("missing"):
        ctx.skip(ctx.t(f"配置的主推款 {hero['item_id']} 不在报告日的商品导出里",
                       f"configured hero item {hero['item_id']} is not in the item export for the report day"))
        return
    if hero["aov"] is None:
        ctx.skip(ctx.t("主推款缺少客单价（或支付金额和支付买家数）", "hero item has no AOV (or gmv and buyers)"))
        return
    ctx.metrics.update({"hero_item_id": hero["item_id"], "hero_aov": round(hero["aov"], 2)})
    buyers = hero.get("buyers")
    if buyers is not None and buyers < ctx.param("min_buyers"):
        ctx.skip(ctx.t(f"主推款只有 {buyers:.0f} 个买家，至少要 {ctx.param('min_buyers')}",
                       f"hero item has only {buyers:.0f} buyers, needs {ctx.param('min_buyers')}"))
        return
    ratio = shop_aov / hero["aov"]
    ctx.metrics["aov_ratio"] = round(ratio, 3)
    threshold = ctx.param("min_ratio")
    if ratio < threshold:
        shop_buyers = metrics.get("buyers") or 0
        money = shop_buyers * (threshold * hero["aov"] - shop_aov) if shop_buyers else None
        name = hero.get("item_name") or hero["item_id"]
        ctx.finding(
            "low", "shop",
            {"value": ratio, "threshold": threshold, "shop_aov": shop_aov, "hero_aov": hero["aov"],
             "hero_item_id": hero["item_id"]},
            money=money, currency=data_currency(ctx, "shop_daily", "item_daily"), hero=name,
        )
