"""Interface wording shared by every command and report, in Chinese and English.

Rule wording lives on each rule (`messages=` and its docstring); this is only the frame around it.
"""

from __future__ import annotations

OWNER_NAMES = {
    "zh": {"operations": "运营", "promotion": "推广", "design": "美工", "service": "客服", "content": "内容"},
    "en": {"operations": "Operations", "promotion": "Promotion", "design": "Design", "service": "Customer service",
           "content": "Content"},
}

SEVERITY_NAMES = {
    "zh": {"critical": "严重", "warning": "警告", "info": "提示"},
    "en": {"critical": "critical", "warning": "warning", "info": "info"},
}

# The document's morning routine that no export covers (003, 运营的一天): printed after the findings.
CHECKLIST = {
    "zh": [
        "看 3-5 家风格相近的同行（两家卖得比我们好、两家和我们差不多）最近上了什么新品，把握上新时间节点",
        "流量前 5 的款各复制全标题到淘宝搜一遍，看有没有同款、盗图；盗图直接投诉",
        "看之前报名的活动进展如何；没有可报的活动就自己策划一个（比如上新前三天折扣）",
    ],
    "en": [
        "Look at 3–5 peer shops of a similar style (two selling better than us, two about the same) for new arrivals, to time your own launches",
        "Search the full title of each top-5 item by traffic for copies and stolen images; report stolen images",
        "Check how the campaigns you registered for are going; if there are none, plan one yourself (e.g. a launch discount for the first three days)",
    ],
}


def owner_name(owner: str, lang: str) -> str:
    return OWNER_NAMES.get(lang, OWNER_NAMES["en"]).get(owner, owner)


def severity_name(severity: str, lang: str) -> str:
    return SEVERITY_NAMES.get(lang, SEVERITY_NAMES["en"]).get(severity, severity)
