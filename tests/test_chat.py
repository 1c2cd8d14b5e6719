"""Chat markdown flavours, escaping of export text, splitting, and `send.targets` validation.

Delivery over HTTP is in test_chat_send.py. Reports are built from the model dataclasses with the
wording the rules produce, so the tests read like a real morning list.
"""

from __future__ import annotations

import json
import re

import pytest

from shopdoc.chat import check_targets, render_flavor
from shopdoc.chat import escape
from shopdoc.chat.layout import Item, digest
from shopdoc.chat.platforms import PLATFORMS, encode, slack_length
from shopdoc.config import merge
from shopdoc.errors import ConfigError, UsageError
from shopdoc.model import Finding, InputFile, Report, Skip

HOSTILE_REVIEW = (
    '质量太差了 <at user_id="all">所有人</at> <at id=all></at> <!channel> <!here> <!everyone> '
    "@all @所有人 快看 [领红包](http://evil.example.com/x?a=1) <http://evil.example.com|官方客服> "
    "加微信 www.fake-shop.cn <b>粗</b> **抢** `code` # 标题 > 引用"
)

# Findings as the rules word them (zh), by severity; money and order as the engine sets them.
_TEMPLATES = {
    "critical": [
        ("page.bounce_rate", "design", "shop", "全店跳失率 {n}.2%，超过 70% 的及格线",
         "先调页面，别加推广：这时候加大推广只会亏钱。检查首页和主推款详情页的首屏、关联推荐和页面链接，改完一周后再看跳失率。"),
        ("reviews.negative_top_items", "service", "review:{n}", "主推款「加绒卫衣{n}」新差评：尺码偏小，洗一次就起球（订单 2026112{n}）",
         "今天内联系买家，问清原因，给出换货或补偿方案，并在评价下方做解释。"),
    ],
    "warning": [
        ("ads.roi_breakeven", "promotion", "campaign:日常推广{n}", "直通车计划「日常推广{n}」投产比 1.{n}，低于保本 3.33",
         "把这个计划的出价降 10%，或暂停转化差的关键词，三天后再看投产比。"),
        ("page.aov_ratio", "design", "shop", "全店客单价只有主推款的 1.1{n} 倍，低于 1.3",
         "主推款没有带动店里其它宝贝：做关联销售和搭配套餐，详情页加店内链接。"),
    ],
    "info": [
        ("pricing.price_tail", "operations", "item:55{n}", "宝贝 55{n} 的价格 12{n}.00 元，尾数不是 9、8 或 5",
         "把价格尾数改成 9、8 或 5（比如 129 元），更符合买家的心理价位。"),
        ("ads.zero_click", "promotion", "keyword:日常推广/毛衣{n}", "关键词「毛衣{n}」展现 3{n}00 次，一次点击都没有",
         "暂停或删除这个词，把预算留给有点击的词。"),
    ],
}


def finding(severity: str, n: int, *, title: str | None = None, action: str | None = None) -> Finding:
    rule, owner, subject, title_t, action_t = _TEMPLATES[severity][n % len(_TEMPLATES[severity])]
    return Finding(rule=rule, severity=severity, owner=owner, subject=subject.format(n=n),
                   title=title or title_t.format(n=n), action=action or action_t.format(n=n))


def make_report(critical: int = 2, warning: int = 2, info: int = 2, *, lang: str = "zh",
                extra: list[Finding] | None = None, **fields) -> Report:
    findings = [finding("critical", n) for n in range(critical)]
    findings += [finding("warning", n) for n in range(warning)]
    findings += [finding("info", n) for n in range(info)]
    findings += extra or []
    findings.sort(key=Finding.sort_key)
    fields.setdefault("checklist", ["看 3-5 家风格相近的同行最近上了什么新品", "流量前 5 的款各复制全标题到淘宝搜一遍"])
    return Report(shop="demo-shop", date="2026-11-22", generated_at="2026-11-23T07:00:03+08:00", lang=lang,
                  findings=findings, **fields)


def hostile_report(lang: str = "zh") -> Report:
    review = Finding(
        rule="reviews.negative_top_items", severity="critical", owner="service", subject="review:20261122001",
        title=f"主推款「加绒卫衣 <!here>」新差评：{HOSTILE_REVIEW}",
        action=f"联系买家（{HOSTILE_REVIEW}）",
        evidence={"content": HOSTILE_REVIEW},
    )
    return make_report(1, 1, 0, lang=lang, extra=[review])


# -- escaping ---------------------------------------------------------------------------------------
def test_clean_folds_line_breaks_and_drops_invisible_characters():
    # A line break followed by '#' would start a heading; U+202E would reverse what the reader sees.
    assert escape.clean("好评\n# 标题\r\n> 引用\t末尾\u202e反转\u200b ") == "好评 # 标题 > 引用 末尾反转"


def test_defang_makes_links_inert_but_leaves_numbers_alone():
    assert escape.defang("http://evil.example.com/x") == "http[:]//evil[.]example[.]com/x"
    assert escape.defang("加微信 www.fake-shop.cn 领券") == "加微信 www[.]fake-shop[.]cn 领券"
    text = "跳失率 71.2%，出价 0.35 元，ID 1.07E+11，e.g. 访问深度 3.5"
    assert escape.defang(text) == text


@pytest.mark.parametrize("render", [escape.markdown, escape.slack, escape.plain])
def test_no_escaper_lets_a_mention_or_link_through(render):
    out = render(HOSTILE_REVIEW)
    for bad in ('<at user_id="all">', "<at id=all>", "<!channel>", "<!here>", "<!everyone>",
                "@all", "@所有人", "http://", "www.fake", "<http"):
        assert bad not in out
    assert "所有人" in out and "质量太差了" in out  # the buyer's words are still there to read


def test_markdown_escaper_leaves_no_markup_character():
    out = escape.markdown(HOSTILE_REVIEW)
    assert not set("<>*_`#|[]&\\") & set(out.replace("[:]", "").replace("[.]", ""))


def test_slack_escaper_uses_slacks_own_entities():
    assert escape.slack("A&B <tag> *bold*") == "A&amp;B &lt;tag&gt; ＊bold＊"


# -- flavours -----------------------------------------------------------------------------------------
def test_dingtalk_flavour_groups_by_owner_most_urgent_first():
    text = render_flavor(make_report(), "dingtalk")
    assert text.startswith("### demo-shop 今日待办 · 2026-11-22\n")
    assert "🔴 严重 **2** · 🟠 警告 **2** · 🔵 提示 **2**" in text
    headings = re.findall(r"^#### (.+)$", text, flags=re.M)
    # the criticals first (each naming who acts), then the owners in the hand-off order, then the checklist
    assert headings == ["今天先做", "运营", "推广", "美工", "今日例行检查（导出数据覆盖不到）"]
    assert "- 🔴 **〔美工〕全店跳失率 0.2%，超过 70% 的及格线**  \n  先调页面" in text
    assert "|" not in text  # no tables: DingTalk does not draw them


def test_wecom_flavour_uses_font_colours_and_no_lists():
    text = render_flavor(make_report(), "wecom")
    assert '<font color="warning">【严重】</font>**〔美工〕全店跳失率 0.2%，超过 70% 的及格线**' in text
    assert '<font color="comment">【提示】</font>' in text
    assert "【警告】**直通车计划" in text
    assert not re.search(r"^- ", text, flags=re.M)
    tags = set(re.findall(r"<[^>]+>", text))
    assert tags <= {'<font color="warning">', '<font color="comment">', '<font color="info">', "</font>"}


def test_feishu_and_slack_flavours():
    feishu = render_flavor(make_report(), "feishu")
    assert feishu.startswith("**demo-shop 今日待办 · 2026-11-22**")
    assert "- 🟠 **直通车计划「日常推广0」投产比 1.0，低于保本 3.33**" in feishu
    slack = render_flavor(make_report(lang="en", extra=[]), "slack")
    assert slack.startswith("*demo-shop to-do list · 2026-11-22*")
    assert "🔴 critical *2*" in slack


def test_all_clear_report_says_so():
    text = render_flavor(make_report(0, 0, 0, lang="en"), "dingtalk")
    assert "Nothing needs fixing today." in text
    assert "critical **0**" in text


def test_failed_inputs_and_skipped_rules_are_mentioned():
    report = make_report(1, 0, 0, inputs=[InputFile("exports/直通车_关键词.xlsx", status="error",
                                                     error="not a zip file (broken download?)")],
                         skipped=[Skip("ads.ctr_bid", "no ad_report export"), Skip("ads.ctr_bid", "x"),
                                  Skip("data.presale", "no item export")])
    text = render_flavor(report, "wecom")
    assert "**没读进来的文件**\n> exports/直通车＿关键词.xlsx：not a zip file (broken download?)" in text
    assert "2 条规则没有判断（缺少导出或数据）：ads.ctr_bid、data.presale" in text


def test_new_findings_are_marked():
    report = make_report(1, 0, 0)
    report.findings[0].first_seen = "2026-11-22"
    assert "🔴 🆕 **〔美工〕全店跳失率" in render_flavor(report, "dingtalk")
    report.findings[0].first_seen = "2026-11-20"
    assert "🆕" not in render_flavor(report, "dingtalk")


@pytest.mark.parametrize("flavor", ["dingtalk", "wecom", "feishu", "slack"])
def test_hostile_review_is_escaped_in_every_flavour(flavor):
    text = render_flavor(hostile_report(), flavor)
    for bad in ('<at user_id="all">', "<at id=all>", "<!channel>", "<!here>", "<!everyone>",
                "@all", "@所有人", "](http", "http://", "<http", "<b>"):
        assert bad not in text, bad
    assert "质量太差了" in text


def test_generic_flavour_is_the_report_packages_markdown():
    text = render_flavor(make_report(), "generic")
    assert text.startswith("# ")
    assert "全店跳失率 0.2%" in text


def test_unknown_flavour_is_a_usage_error():
    with pytest.raises(UsageError, match="--flavor"):
        render_flavor(make_report(), "teams")


# -- splitting ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["dingtalk", "wecom", "feishu", "slack"])
def test_one_page_report_has_no_page_mark(name):
    messages = PLATFORMS[name].messages(digest(make_report()))
    assert len(messages) == 1
    assert "1/1" not in json.dumps(messages[0], ensure_ascii=False)


def test_a_finding_too_big_for_any_message_is_cut_at_a_character():
    long_review = "尺码偏小😡洗一次就起球 " * 900  # ~20,000 characters, 4-byte emoji inside
    report = make_report(1, 0, 0, extra=[finding("critical", 7, title="主推款新差评：" + long_review)])
    wecom = PLATFORMS["wecom"]
    messages = wecom.messages(digest(report))
    for message in messages:
        content = message["markdown"]["content"]
        assert len(content.encode("utf-8")) <= 4096
        content.encode("utf-8").decode("utf-8")  # whole characters only
    cut = next(m for m in messages if "主推款新差评" in m["markdown"]["content"])["markdown"]["content"]
    assert "…**" in cut  # the ellipsis sits inside the bold, the bold is closed


@pytest.mark.parametrize("name", ["dingtalk", "wecom", "feishu", "slack"])
def test_three_hundred_findings_split_within_limits_criticals_first(name):
    # One rule per finding, so none is folded into a count: this is about splitting.
    report = make_report(300, 0, 0)
    for index, f in enumerate(report.findings):
        f.rule = f"{f.rule}.{index}"
    platform = PLATFORMS[name]
    messages = platform.messages(digest(report))
    assert len(messages) > 1
    texts = [json.dumps(message, ensure_ascii=False) for message in messages]
    for index, (message, text) in enumerate(zip(messages, texts), 1):
        assert platform.fits(message)
        mark = f"（{index}/{len(messages)}）"
        assert mark in text
    for n in range(12):
        assert finding("critical", n).title in texts[0]
    # every finding in exactly one message, and the messages follow the report's order
    pages = []
    for f in report.findings:
        holding = [index for index, text in enumerate(texts) if f.title in text]
        assert len(holding) == 1, f.title
        pages.append(holding[0])
    assert pages == sorted(pages)


def test_slack_limits_are_counted_in_utf16_units():
    assert slack_length("跳失率") == 3
    assert slack_length("😡") == 2


def test_feishu_post_uses_the_report_language():
    zh = PLATFORMS["feishu"].messages(digest(make_report()))[0]
    en = PLATFORMS["feishu"].messages(digest(make_report(lang="en")))[0]
    assert list(zh["content"]["post"]) == ["zh_cn"]
    assert list(en["content"]["post"]) == ["en_us"]
    assert en["content"]["post"]["en_us"]["title"] == "demo-shop to-do list · 2026-11-22"


def test_every_message_is_measured_as_sent():
    message = PLATFORMS["dingtalk"].messages(digest(make_report()))[0]
    body = encode(message)
    assert json.loads(body) == message
    assert "全店跳失率".encode() in body  # UTF-8, not \\u escapes: the 20,000-byte limit counts these


def test_item_shortening_keeps_both_fields_bounded():
    item = Item("critical", "service", "标" * 50, "做" * 80).shortened(10)
    assert item.title == "标" * 9 + "…" and item.action == "做" * 9 + "…"


# -- targets ---------------------------------------------------------------------------------------------
def test_configured_target_is_validated_with_key_paths():
    ok = merge({"send": {"targets": {"ops": {"platform": "dingtalk", "webhook_env": "OPS_HOOK",
                                             "secret_env": "OPS_SECRET"}}}})
    assert ok["send"]["targets"]["ops"]["platform"] == "dingtalk"
    cases = [
        ({"platform": "dingtalk", "webhook_env": "X", "secret_evn": "Y"},
         "send.targets.ops.secret_evn: unknown setting — did you mean 'secret_env'?"),
        ({"platform": "teams", "webhook_env": "X"},
         "send.targets.ops.platform: must be one of dingtalk, wecom, feishu, slack, got 'teams'"),
        ({"webhook_env": "X"}, "send.targets.ops.platform: is missing"),
        ({"platform": "wecom"}, "send.targets.ops: needs webhook_env"),
        ({"platform": "wecom", "webhook_env": "X", "webhook": "https://qyapi.weixin.qq.com/x"},
         "send.targets.ops: set webhook_env or webhook, not both"),
        ({"platform": "wecom", "webhook_env": "X", "secret_env": "Y"},
         "send.targets.ops.secret_env: wecom robots are not signed; remove it"),
        ({"platform": "slack", "webhook_env": "hooks.slack.com"},
         "send.targets.ops.webhook_env: must be an environment variable name"),
        ("https://oapi.dingtalk.com/robot/send", "send.targets.ops: must be a mapping"),
    ]
    for settings, message in cases:
        with pytest.raises(ConfigError) as caught:
            merge({"send": {"targets": {"ops": settings}}})
        assert caught.value.line().startswith(message), caught.value.line()


def test_an_invalid_literal_webhook_is_refused_without_quoting_it():
    with pytest.raises(ConfigError) as caught:
        merge({"send": {"targets": {"ops": {"platform": "dingtalk",
                                            "webhook": "oapi.dingtalk.com/robot/send?access_token=8f3c0a77e1"}}}})
    assert caught.value.line() == "send.targets.ops.webhook: is not an http(s) webhook URL"
    assert "8f3c0a77e1" not in caught.value.line()


def test_unknown_send_target_suggests_the_close_one():
    with pytest.raises(UsageError) as caught:
        check_targets(["wecon"], None, env={})
    assert "unknown target 'wecon' — did you mean 'wecom'?" in caught.value.line()
    config = {"send": {"targets": {"shop-ops": {"platform": "feishu", "webhook_env": "OPS"}}}}
    with pytest.raises(UsageError, match="did you mean 'shop-ops'"):
        check_targets(["shop-op"], config, env={})
    check_targets(["shop-ops", "slack"], config, env={})


def test_slack_limits_on_blocks_and_sections():
    slack = PLATFORMS["slack"]
    section = {"type": "section", "text": {"type": "mrkdwn", "text": "跳失率偏高"}}
    header = {"type": "header", "text": {"type": "plain_text", "text": "demo-shop"}}
    assert slack.fits({"text": "x", "blocks": [header] + [section] * 49})
    assert not slack.fits({"text": "x", "blocks": [header] + [section] * 50})
    long_section = {"type": "section", "text": {"type": "mrkdwn", "text": "跳" * 2999 + "😡"}}  # 3,001 UTF-16 units
    assert not slack.fits({"text": "x", "blocks": [header, long_section]})
    assert not slack.fits({"text": "x", "blocks": [{"type": "header", "text": {"type": "plain_text", "text": "店" * 151}}]})


def test_file_names_stay_readable_and_english_counts_agree():
    report = make_report(1, 0, 0, lang="en", skipped=[Skip("ads.ctr_bid", "no ad_report export")],
                         inputs=[InputFile("exports/keywords_2026-11-22.xlsx", status="error", error="not a zip file")])
    text = render_flavor(report, "dingtalk")
    assert "- exports/keywords＿2026-11-22.xlsx: not a zip file" in text
    assert "1 rule not checked (an export or its data is missing): ads.ctr_bid" in text


@pytest.mark.parametrize("pasted", [
    "https://oapi.dingtalk.com/robot/send?access_token=8f3c0a77e1d24b6c9a0e5f1b2c3d4e5f",
    "SEC6f1d2e3c4b5a69788796a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5",
    "q8XkP2mN7vB4cZ1aL9sD3f",
])
def test_a_credential_pasted_as_a_variable_name_is_refused_unshown(pasted):
    field = "webhook_env" if pasted.startswith("https") else "secret_env"
    settings = {"platform": "feishu", "webhook_env": "OPS_FEISHU", field: pasted}
    with pytest.raises(ConfigError) as caught:
        merge({"send": {"targets": {"ops": settings}}})
    assert caught.value.line().startswith(f"send.targets.ops.{field}: looks like the URL or secret itself")
    assert pasted not in caught.value.line()


@pytest.mark.parametrize("name", ["dingtalk", "wecom", "feishu", "slack"])
def test_many_warnings_of_one_rule_are_counted_not_listed(name):
    report = make_report(1, 60, 0)  # 30 roi_breakeven and 30 aov_ratio warnings
    text = json.dumps(PLATFORMS[name].messages(digest(report)), ensure_ascii=False)
    # warnings alternate between the two rules: roi_breakeven takes n = 0, 2, ... 58
    assert "日常推广0」" in text and "日常推广18」" in text  # its first ten are listed
    assert "日常推广20」" not in text
    assert "同类还有 20 条" in text
    assert "--bid-sheet" in text
