"""The report's frame wording in Chinese and English (headings, labels, evidence names).

Owner and severity names come from `shopdoc.i18n`; finding titles and actions arrive already worded
by their rule. Chinese reads as an operator writes a morning list; English as a native speaker would.
"""

from __future__ import annotations

WORDS: dict[str, dict[str, str]] = {
    "zh": {
        "title": "店铺体检",
        "generated": "生成于",
        "todo": "今日待办 {n:,} 项",
        "at_stake": "每天涉及约 {money}（重叠的只算一次）",
        "assumed": "假设",
        "no_findings": "今天没有发现需要处理的问题。",
        "group": "负责人：{owner}（{n} 项）",
        "first": "今天先做（{n} 项）",
        "part": "还有",
        "first_short": "今天先做",
        "provisional": "（暂定）",
        "action": "怎么做",
        "evidence": "数据",
        "rule": "规则",
        "money": "涉及约 {money}/天",
        "new": "今天新出现",
        "open_days": "已持续 {days} 天",
        "skipped": "没有判断的规则（{n} 条）",
        "held": "数据不足、暂不判断",
        "held_item": "{rule} {n} 个",
        "checklist": "例行检查（导出数据看不到，需要自己看）",
        "warnings": "数据提醒（共 {n} 条，这些值没有参与判断）",
        "warnings_file": "{path}：{n} 条，例如 {example}",
        "warnings_more": "运行 shopdoc inspect <文件> 查看全部。",
        "unread": "没能读取的文件（{n} 个）",
        "unread_hint": "运行 shopdoc inspect <文件> 查看原因。",
        "notes": "说明",
        "sep": "：",
        "list_sep": "，",
        "none": "无",
        "folded": "……另有 {n} 条 {rule} 同类待办{money}",
        "folded_here": "……同类还有 {n} 条{money}",
        "folded_money": "（合计约 {money}/天）",
        "folded_where": "，完整清单见 --format json",
        "folded_where_ads": "，完整清单见 --format json，出价改动可用 --bid-sheet 导出",
    },
    "en": {
        "title": "Shop check-up",
        "generated": "generated",
        "todo": "{n:,} to-dos today",
        "at_stake": "about {money} a day at stake (overlaps counted once)",
        "assumed": "Assumed",
        "no_findings": "Nothing needs attention today.",
        "group": "Owner: {owner} ({n})",
        "first": "Do these first ({n})",
        "part": "Also",
        "first_short": "Do these first",
        "provisional": "(provisional) ",
        "action": "Fix",
        "evidence": "Numbers",
        "rule": "Rule",
        "money": "about {money} a day at stake",
        "new": "new today",
        "open_days": "open {days} days",
        "skipped": "Rules not checked ({n})",
        "held": "Not judged yet (too little data)",
        "held_item": "{n} for {rule}",
        "checklist": "Daily routine (no export covers these; check them yourself)",
        "warnings": "Data warnings ({n}; these values were left out of the checks)",
        "warnings_file": "{path}: {n}, e.g. {example}",
        "warnings_more": "Run shopdoc inspect <file> to see them all.",
        "unread": "Files that could not be read ({n})",
        "unread_hint": "Run shopdoc inspect <file> to see why.",
        "notes": "Notes",
        "sep": ": ",
        "list_sep": ", ",
        "none": "none",
        "folded": "…and {n} more like this from {rule}{money}",
        "folded_here": "…and {n} more like this{money}",
        "folded_money": " (about {money} a day in all)",
        "folded_where": "; the full list is in --format json",
        "folded_where_ads": "; the full list is in --format json, and --bid-sheet exports the bid changes",
    },
}

# The day's headline numbers, in the order an operator reads them off 生意参谋.
HEADLINE: list[tuple[str, str, str, str]] = [
    # metric key, unit, zh, en
    ("visitors", "count", "访客数", "Visitors"),
    ("bounce_rate", "percent", "跳失率", "Bounce rate"),
    ("pages_per_visitor", "number", "访问深度", "Pages/visitor"),
    ("conversion_rate", "percent", "支付转化率", "Conversion"),
    ("shop_aov", "money", "客单价", "AOV"),
    ("gmv", "money", "支付金额", "Sales"),
]

# The evidence keys a reader needs beside a finding, as an operator names them. Keys not listed here
# (names, files, rows, flags the title already says) stay in the JSON evidence but are not printed.
EVIDENCE_LABELS: dict[str, tuple[str, str]] = {
    "value": ("当前", "actual"),
    "threshold": ("门槛", "threshold"),
    "aim": ("目标", "target"),
    "visitors": ("访客数", "visitors"),
    "pageviews": ("浏览量", "pageviews"),
    "returning_share": ("老访客占比", "returning visitors"),
    "shop_aov": ("全店客单价", "shop AOV"),
    "hero_aov": ("主推款客单价", "hero AOV"),
    "hero_item_id": ("主推款", "hero item"),
    "aov": ("客单价", "AOV"),
    "gmv": ("成交额", "sales"),
    "target": ("目标", "target"),
    "buyers": ("买家数", "buyers"),
    "orders": ("订单数", "orders"),
    "units": ("件数", "units"),
    "price": ("价格", "price"),
    "conversion_rate": ("转化率", "conversion"),
    "order_conversion_rate": ("下单转化率", "order conversion"),
    "peer_conversion_rate": ("同行平均转化率", "peer conversion"),
    "impressions": ("展现量", "impressions"),
    "clicks": ("点击量", "clicks"),
    "ctr": ("点击率", "CTR"),
    "account_ctr": ("账户点击率", "account CTR"),
    "cost": ("花费", "spend"),
    "cpc": ("平均点击花费", "CPC"),
    "roi": ("投产比", "ROI"),
    "breakeven_roi": ("保本投产比", "break-even ROI"),
    "current_bid": ("当前出价", "current bid"),
    "suggested_bid": ("建议出价", "suggested bid"),
    "change": ("变化", "change"),
    "driver": ("主因", "driven by"),
    "previous": ("上期", "previous"),
    "item_id": ("商品ID", "item"),
    "order_id": ("订单号", "order"),
    "rating": ("评分", "rating"),
    "break_even": ("保本投产比", "break-even ROI"),
    "loss": ("亏损", "loss"),
    "monthly_target": ("月目标", "monthly target"),
    "completion": ("完成", "achieved"),
    "shortfall": ("差额", "shortfall"),
    "target_gap": ("离日目标还差", "short of the day's target"),
    "compare_date": ("对比日", "compared with"),
    "compare_gmv": ("对比日成交额", "sales then"),
    "compare_visitors": ("对比日访客数", "visitors then"),
    "compare_conversion_rate": ("对比日转化率", "conversion then"),
    "compare_aov": ("对比日客单价", "AOV then"),
    "visitors_delta": ("访客增减", "change in visitors"),
    "baseline_conversion_rate": ("前几天平均转化率", "recent average conversion"),
    "shop_conversion_rate": ("全店转化率", "shop conversion"),
    "others_conversion_rate": ("其他来源平均转化率", "other sources' conversion"),
    "follow_up": ("追评", "follow-up"),
    "main_child": ("主要来自", "mostly from"),
    "changed_since": ("从这天起变了", "changed on"),
    "target_roi": ("目标投产比", "target ROI"),
    "visitor_value": ("访客价值", "visitor value"),
    "average_visitor_value": ("商品平均访客价值", "average visitor value"),
    "share": ("占比", "share"),
    "rank": ("流量排名", "traffic rank"),
    "refund_rate": ("退款率", "refund rate"),
    "net_roi": ("扣退款后投产比", "ROI net of refunds"),
    "refund": ("退款金额", "refunds"),
    "shop_refund_rate": ("全店退款率", "shop refund rate"),
    "test_rate": ("测款加购率", "test cart-add rate"),
    "account_rate": ("账户其他计划", "account's other campaigns"),
}

# A rule whose value and line are not a metric against a limit names them itself: a day's sales
# against the day's target is 目标, not 门槛.
RULE_EVIDENCE_LABELS: dict[str, dict[str, tuple[str, str]]] = {
    "sales.daily_target": {"value": ("成交额", "sales"), "threshold": ("日目标", "day's target")},
}

# Evidence values that are words, not numbers (`direction`, `driver`).
EVIDENCE_VALUES: dict[str, tuple[str, str]] = {
    "raise": ("加价", "raise"),
    "lower": ("降价", "lower"),
    "visitors": ("访客数", "visitors"),
    "conversion_rate": ("转化率", "conversion"),
    "aov": ("客单价", "AOV"),
}

SUBJECT_KINDS: dict[str, tuple[str, str]] = {
    "shop": ("全店", "shop"),
    "item": ("商品", "item"),
    "campaign": ("计划", "campaign"),
    "keyword": ("关键词", "keyword"),
    "source": ("来源", "source"),
    "review": ("评价", "review"),
}


def words(lang: str) -> dict[str, str]:
    return WORDS.get(lang, WORDS["en"])
