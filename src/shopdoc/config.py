"""Configuration: built-in defaults, a user's YAML merged over them, validated with key paths.

The defaults have one source: the parameter declarations below (global settings) and on each rule
(thresholds). `shopdoc init` renders them as a commented starter file; the repository's
`config/shopdoc.yaml` is that rendering, and a test keeps it from drifting.
"""

from __future__ import annotations

import copy
import fnmatch
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from shopdoc.errors import ConfigError
from shopdoc.kinds import NAMES as KINDS
from shopdoc.model import OWNERS, SEVERITIES
from shopdoc.params import ParamGroup, boolean, count, days_list, fraction, shown, text, text_list

CONFIG_NAME = "shopdoc.yaml"
LANGS = ("zh", "en")

# Global settings, grouped as they appear in the YAML file.
GROUPS: list[ParamGroup] = [
    ParamGroup(
        "shop",
        [
            text("name", "my-shop", "店铺名，用于报告标题和历史记录（多店铺时各用各的名字）",
                 "Shop name, used in report titles and to key the history (one per shop)"),
            text("hero_item", None, "主推款商品ID；不填则取访客数最多的商品",
                 "Hero item id; empty means the item with the most visitors", optional=True),
            fraction("gross_margin", 0.30, "毛利率，用来算推广保本投产比（保本 ROI = 1 / 毛利率；默认 30% → 3.33）",
                     "Gross margin, used for the ads break-even ROI (break-even = 1 / margin; the default 30% gives 3.33)"),
            text("currency", "CNY", "金额的货币：CNY（元）、USD、$、€ 等，只影响报告里金额的写法",
                 "Currency of the money in the exports: CNY, USD, $, € ...; only changes how amounts are written"),
            text("data_dir", None, "不带路径运行 diagnose 时读取的导出文件夹",
                 "Folder of exports read when diagnose is run without a path", optional=True),
            text("lang", None, "报告语言 zh 或 en；不填则跟随系统语言",
                 "Report language, zh or en; empty follows the system locale", optional=True),
            days_list("promotions", [], "店铺自己的活动日，例如 [\"2026-11-18..2026-11-20 店庆\"]；平台大促（618、双11 等）已内置",
                      "The shop's own campaign days, e.g. [\"2026-11-18..2026-11-20 anniversary sale\"]; the platforms' "
                      "big days (618, Singles' Day, Black Friday…) are built in"),
        ],
        "店铺", "Shop",
    ),
    ParamGroup(
        "history",
        [
            boolean("enabled", True, "保存每日指标，用于环比、同比和“今天新出现的问题”",
                    "Keep daily metrics for day-over-day, week-over-week and 'new today'"),
            text("path", None, "历史数据库文件；不填则放在用户数据目录",
                 "History database file; empty means the user data directory", optional=True),
            count("outcome_days", 7, "做了的待办过多少天看效果（每条规则可以用 rules.<规则>.outcome_days 单独设）",
                  "Days after a to-do was done before its outcome is judged (per rule: rules.<rule>.outcome_days)"),
            count("ignore_after_days", 7, "待办列出这么多天还没做，`shopdoc todo` 算作没理会",
                  "A to-do listed this many days and not done counts as ignored in `shopdoc todo`"),
            fraction("min_change", 0.10, "看效果时，指标变化不到这个幅度算“没变化”",
                     "When judging an outcome, a change in the metric smaller than this is 'no change'"),
        ],
        "历史记录", "History",
    ),
    ParamGroup(
        "checklist",
        [
            boolean("enabled", True, "在待办后面打印导出数据覆盖不到的每日例行检查",
                    "Print the daily routine that no export covers after the findings"),
            text_list("items", [], "自定义检查项；留空用内置的（关注3-5家同行上新、搜前5款同款、看报名活动）",
                      "Your own checklist; empty uses the built-in one (peers' new arrivals, copies of "
                      "the top-5 items, registered campaigns)"),
        ],
        "例行检查", "Checklist",
    ),
    ParamGroup(
        "report",
        [
            text("url", None, "网页版报告（--format html）发布的网址，发钉钉、飞书、Slack、企业微信时附上链接；"
                 "可写 {shop} 和 {date}，例如 https://example.com/shop/{date}.html",
                 "Where you publish the HTML report (--format html); --send adds a link to it for DingTalk, Feishu, "
                 "Slack and WeCom. {shop} and {date} are filled in, e.g. https://example.com/shop/{date}.html",
                 optional=True),
        ],
        "网页版报告", "HTML report",
    ),
]

# Free-form sections, validated by their own shape below.
FREEFORM = ("inputs", "send", "snooze", "rules", "owners", "shops")

# `owners:` keys: the team names operators write (推广…) or the owner ids of the rules (promotion…).
OWNER_ALIASES = {"运营": "operations", "推广": "promotion", "美工": "design", "客服": "service", "内容": "content"}
# What a `shops:` entry may set: the `shop` settings written flat, a GMV target, where its report is
# sent, and whole sections over the shared ones. The history stays shared: one file holds every shop.
SHOP_FLAT = ("hero_item", "gross_margin", "currency", "data_dir", "lang", "promotions")
SHOP_SECTIONS = ("shop", "rules", "inputs", "checklist", "report", "send", "snooze", "owners")
SHOP_KEYS = (*SHOP_FLAT, "monthly_target", "send_to", *SHOP_SECTIONS)
TARGET_KEY = "rules.sales.daily_target.monthly_target"


def _locale_lang() -> str:
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value and value not in ("C", "POSIX") and not value.startswith("C."):
            return "zh" if value.lower().startswith("zh") else "en"
    # No usable locale (cron, containers): the documents and most users are Chinese.
    return "zh"


class Settings(dict):
    """The merged settings; `user_set` names the ones the user gave (`shop.gross_margin`), so a
    report can say which numbers rest on a default. Compares equal to a plain dict of the same values."""

    user_set: frozenset = frozenset()


@dataclass
class Config:
    data: dict[str, Any]
    source: str | None = None
    overrides: dict[str, Any] = field(default_factory=dict)

    def get(self, group: str, name: str) -> Any:
        return self.data[group][name]

    def is_set(self, group: str, name: str) -> bool:
        """Whether the user set this value (config file or command line), not just its default."""
        return f"{group}.{name}" in getattr(self.data, "user_set", ())

    @property
    def shops(self) -> list[str]:
        """The names under `shops:`, in the config's order (empty: a one-shop config)."""
        return list(self.data.get("shops") or {})

    def shop(self, name: str) -> "Config":
        """One shop of `shops:` as a config of its own: its settings over the shared ones."""
        shops = self.data.get("shops") or {}
        if name not in shops:
            from shopdoc.errors import UsageError

            known = list(shops)
            hint = _suggest(name, known, "shops") if known else " — the config has no shops: section"
            raise UsageError(f"--shop {name}: no such shop in {self.source or 'the config'}{hint}")
        return Config(shops[name], source=self.source)

    @property
    def shop_name(self) -> str:
        return self.data["shop"]["name"]

    @property
    def lang(self) -> str:
        return self.data["shop"]["lang"] or _locale_lang()

    def rule_settings(self, rule_id: str) -> dict[str, Any]:
        return self.data["rules"][rule_id]

    def rule_enabled(self, rule_id: str) -> bool:
        return bool(self.data["rules"][rule_id]["enabled"])

    def extra_aliases(self) -> dict[str, dict[str, list[str]]]:
        return self.data["inputs"].get("aliases", {})

    def pinned_kind(self, path: str) -> str | None:
        """A kind pinned by a glob in `inputs.kinds`, matched against the file name and the path."""
        name = os.path.basename(path)
        for pattern, kind in self.data["inputs"].get("kinds", {}).items():
            if fnmatch.fnmatch(name, pattern) or fnmatch.fnmatch(path, pattern):
                return kind
        return None


def defaults() -> dict[str, Any]:
    """The built-in configuration: every global setting and every rule with its document defaults."""
    from shopdoc.rules import load_rules

    data: dict[str, Any] = {
        group.name: {param.name: copy.deepcopy(param.default) for param in group.params}
        for group in GROUPS
    }
    data["inputs"] = {"kinds": {}, "aliases": {}, "limits": {}, "max_age_days": 2}
    data["send"] = {"targets": {}}
    data["snooze"] = []
    data["owners"] = {}  # owner id → chat targets its to-dos go to (`owners:`)
    data["send_to"] = []  # a shop's own chat targets (`shops.NAME.send_to`)
    data["shops"] = {}  # shop name → its merged settings (`shops:`), each like this whole mapping
    data["rules"] = {rule.id: rule.defaults() for rule in load_rules()}
    return data


def find_config(explicit: str | None) -> Path | None:
    """--config PATH, else ./shopdoc.yaml, else the user config dir, else None (built-in defaults)."""
    if explicit:
        path = Path(explicit).expanduser()
        if not path.is_file():
            raise ConfigError("", f"config file not found: {explicit} — check the --config path",)
        return path
    local = Path.cwd() / CONFIG_NAME
    if local.is_file():
        return local
    user = user_config_dir() / CONFIG_NAME
    return user if user.is_file() else None


def user_config_dir() -> Path:
    """The platform's config folder: $XDG_CONFIG_HOME/shopdoc (~/.config/shopdoc) on Linux,
    ~/Library/Application Support/shopdoc on macOS, %APPDATA%\\shopdoc on Windows."""
    import platformdirs

    return Path(platformdirs.user_config_dir("shopdoc", appauthor=False, roaming=True))


def user_data_dir() -> Path:
    """The platform's data folder (the history): $XDG_DATA_HOME/shopdoc (~/.local/share/shopdoc) on
    Linux, ~/Library/Application Support/shopdoc on macOS, %LOCALAPPDATA%\\shopdoc on Windows (a
    database does not belong in a roaming profile)."""
    import platformdirs

    return Path(platformdirs.user_data_dir("shopdoc", appauthor=False))


def load_config(explicit: str | None = None) -> Config:
    path = find_config(explicit)
    if path is None:
        return Config(defaults())
    return Config(merge(read_yaml(path), source=str(path)), source=str(path))


MAX_CONFIG_BYTES = 1024 * 1024  # a config is a page or two of settings
MAX_DEPTH = 40  # levels of nesting; the deepest real setting is four
MAX_EXPANDED = 100_000  # values once every alias (*name) is expanded: a config holds a few hundred


def read_yaml(path: Path) -> dict[str, Any]:
    import yaml

    try:
        if path.stat().st_size > MAX_CONFIG_BYTES:
            raise ConfigError("", f"is over {MAX_CONFIG_BYTES // 1024:,} KiB — is it really a shopdoc config?",
                              file=str(path))
        text_ = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise ConfigError("", "is not UTF-8 text — save it as UTF-8", file=str(path)) from None
    except OSError as exc:
        raise ConfigError("", f"cannot be read: {exc.strerror}", file=str(path)) from None
    try:
        loaded = load_bounded_yaml(text_)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = getattr(exc, "problem", None) or "invalid YAML"
        raise ConfigError("", f"{where}{problem} — fix the YAML syntax", file=str(path)) from None
    except ConfigError as exc:
        raise ConfigError(exc.key, exc.reason, file=str(path)) from None
    if loaded is None:
        return {}
    if not isinstance(loaded, dict):
        raise ConfigError("", "must be a mapping of settings (key: value)", file=str(path))
    return loaded


def load_bounded_yaml(text_: str) -> Any:
    """`yaml.safe_load` with bounds: nesting depth, and the size the document has once its aliases
    are expanded (a few nested anchors can stand for billions of values). Dates stay text, so
    `until: 2026-13-01` is refused by the setting that reads it, with its key path."""
    import yaml

    class Loader(yaml.SafeLoader):
        depth = 0

        def compose_node(self, parent, index):  # type: ignore[no-untyped-def]
            self.depth += 1
            if self.depth > MAX_DEPTH:
                mark = self.peek_event().start_mark
                raise ConfigError("", f"line {mark.line + 1}: nested more than {MAX_DEPTH} levels deep")
            try:
                return super().compose_node(parent, index)
            finally:
                self.depth -= 1

    Loader.yaml_implicit_resolvers = {
        first: [(tag, regex) for tag, regex in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    loader = Loader(text_)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _check_expansion(node)
        return loader.construct_document(node)
    finally:
        loader.dispose()


def _check_expansion(root: Any) -> None:
    """Refuse a document whose aliases expand beyond MAX_EXPANDED values."""
    sizes: dict[int, int] = {}

    def size(node: Any) -> int:
        known = sizes.get(id(node))
        if known is not None:
            return known
        sizes[id(node)] = 1  # a node that holds itself (a recursive alias) counts once
        total = 1
        if isinstance(node.value, list):
            for item in node.value:
                for part in (item if isinstance(item, tuple) else (item,)):
                    total += size(part)
                    if total > MAX_EXPANDED:
                        break
        sizes[id(node)] = total
        return total

    if size(root) > MAX_EXPANDED:
        raise ConfigError("", f"its aliases (*name) expand to more than {MAX_EXPANDED:,} values — "
                              "write the settings out instead of nesting anchors")


def merge(user: dict[str, Any], source: str | None = None) -> dict[str, Any]:
    """Validate a user's config and merge it over the defaults. Raises ConfigError with a key path.

    Each entry of `shops:` is merged the same way, over the shared settings (everything but `shops:`),
    into `data["shops"][name]`; its errors name `shops.NAME.…`.
    """
    shared = {key: value for key, value in user.items() if key != "shops"}
    try:
        data = _merged(shared)
        if "shops" in user:
            data["shops"] = _merge_shops(shared, user["shops"])
    except ConfigError as exc:
        raise ConfigError(exc.key, exc.reason, file=source) from None
    return data


def _merged(user: dict[str, Any]) -> Settings:
    data = Settings(defaults())
    data.user_set = frozenset(_dotted(user))
    _merge_into(data, user)
    return data


def _merge_shops(shared: dict[str, Any], value: Any) -> dict[str, Settings]:
    """`shops:` name → settings; each shop's own values win over the shared ones, section by section."""
    shops: dict[str, Settings] = {}
    for name, entry in _check_mapping("shops", value).items():
        name = str(name)
        prefix = f"shops.{name}"
        if not name.strip() or any(char in name for char in "/\\\0") or name in (".", ".."):
            raise ConfigError(prefix, "a shop name is also a file name in -o 'reports/{shop}.json': no slashes")
        own, flat = _shop_entry(prefix, _check_mapping(prefix, entry))
        try:
            shops[name] = _merged(_deep_merge(shared, own))
        except ConfigError as exc:
            key = exc.key
            if key in flat:
                key = flat[key]
            raise ConfigError(f"{prefix}.{key}" if key else prefix, exc.reason) from None
    return shops


def _shop_entry(prefix: str, entry: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """A `shops:` entry as a config (flat keys moved to their sections), and how to name flat keys back."""
    own: dict[str, Any] = {}
    flat: dict[str, str] = {}
    shop = dict(_check_mapping(f"{prefix}.shop", entry.get("shop")))
    for key, item in entry.items():
        key = str(key)
        if key in SHOP_FLAT:
            shop[key] = item
            flat[f"shop.{key}"] = key
        elif key == "monthly_target":
            own["rules"] = _deep_merge(own.get("rules") or {}, {"sales.daily_target": {"monthly_target": item}})
            flat[TARGET_KEY] = key
        elif key in ("send_to", *SHOP_SECTIONS):
            if key != "shop":
                own[key] = _deep_merge(own.get(key) or {}, item) if key == "rules" else item
        elif key == "history":
            raise ConfigError(f"{prefix}.history", "one history file holds every shop: set history: at the top level")
        else:
            raise ConfigError(f"{prefix}.{key}", "unknown setting" + _suggest(key, list(SHOP_KEYS)))
    if "name" in shop:
        raise ConfigError(f"{prefix}.shop.name", "a shop is named by its key under shops:")
    own["shop"] = {**shop, "name": prefix.split(".", 1)[1]}
    return own, flat


def _deep_merge(base: Any, over: Any) -> Any:
    """`over` on top of `base`: mappings key by key (so a shop can change one threshold), the rest replaced."""
    if not isinstance(base, dict) or not isinstance(over, dict):
        return copy.deepcopy(over)
    out = dict(base)
    for key, value in over.items():
        out[key] = _deep_merge(base[key], value) if key in base else copy.deepcopy(value)
    return out


def _suggest(name: str, known: list[str], what: str = "keys") -> str:
    import difflib

    close = difflib.get_close_matches(name, known, n=1)
    return f" — did you mean {close[0]!r}?" if close else f" — known {what}: {', '.join(sorted(known))}"


def _merge_into(data: dict[str, Any], user: dict[str, Any]) -> None:
    groups = {group.name: group for group in GROUPS}
    # `lang` and `shop_name` are common enough at the top level to accept there too.
    user = dict(user)
    if "lang" in user:
        user.setdefault("shop", {})
        if isinstance(user["shop"], dict):
            user["shop"] = {**user["shop"], "lang": user.pop("lang")}
    for key, value in user.items():
        if key in groups:
            _merge_group(data, groups[key], value)
        elif key == "rules":
            _merge_rules(data["rules"], value)
        elif key == "inputs":
            _merge_inputs(data["inputs"], value)
        elif key == "send":
            _merge_send(data["send"], value)
        elif key == "snooze":
            data["snooze"] = _check_snooze(value)
        elif key == "owners":
            data["owners"] = _check_owners(value)
        elif key == "send_to":
            data["send_to"] = _check_target_list("send_to", value)
        else:
            raise ConfigError(str(key), "unknown setting" + _suggest(str(key), [*groups, *FREEFORM]))


def _check_mapping(key: str, value: Any) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ConfigError(key, f"must be a mapping (key: value), got {shown(value)}")
    return value


def _merge_group(data: dict[str, Any], group: ParamGroup, value: Any) -> None:
    params = {param.name: param for param in group.params}
    for name, item in _check_mapping(group.name, value).items():
        key = f"{group.name}.{name}"
        if name not in params:
            raise ConfigError(key, "unknown setting" + _suggest(str(name), list(params)))
        # `hero_item: 5531` unquoted is a number in YAML; an item id is text.
        if group.name == "shop" and name == "hero_item" and isinstance(item, int) and not isinstance(item, bool):
            item = str(item)
        reason = params[name].validate(item)
        if reason:
            raise ConfigError(key, reason)
        if group.name == "shop" and name == "lang" and item is not None and item not in LANGS:
            raise ConfigError(key, f"must be one of zh, en, got {shown(item)}")
        if group.name == "report" and name == "url" and item is not None and not str(item).startswith(("http://", "https://")):
            raise ConfigError(key, f"must be an http(s) address where the HTML report is published, got {shown(item)}")
        data[group.name][name] = item


def _flatten_rules(value: Any) -> dict[str, Any]:
    """Accept `rules: {page: {bounce_rate: {...}}}` and `rules: {page.bounce_rate: {...}}` alike."""
    from shopdoc.rules import load_rules

    known = {rule.id for rule in load_rules()}
    flat: dict[str, Any] = {}
    for key, item in _check_mapping("rules", value).items():
        key = str(key)
        if key in known:
            flat[key] = item
            continue
        family = _check_mapping(f"rules.{key}", item)
        family_ids = [rid for rid in known if rid.startswith(key + ".")]
        if not family_ids:
            raise ConfigError(f"rules.{key}", "unknown rule" + _suggest(key, sorted(known), "rules"))
        for name, settings in family.items():
            rule_id = f"{key}.{name}"
            if rule_id not in known:
                raise ConfigError(f"rules.{rule_id}", "unknown rule" + _suggest(rule_id, sorted(known), "rules"))
            flat[rule_id] = settings
    return flat


def _merge_rules(rules: dict[str, Any], value: Any) -> None:
    from shopdoc.rules import get_rule

    for rule_id, settings in _flatten_rules(value).items():
        rule = get_rule(rule_id)
        assert rule is not None
        prefix = f"rules.{rule_id}"
        if isinstance(settings, bool):  # `page.bounce_rate: false` switches a rule off
            rules[rule_id]["enabled"] = settings
            continue
        params = {param.name: param for param in rule.params}
        for name, item in _check_mapping(prefix, settings).items():
            key = f"{prefix}.{name}"
            if name == "enabled":
                if not isinstance(item, bool):
                    raise ConfigError(key, f"must be true or false, got {shown(item)}")
            elif name == "severity":
                if item not in SEVERITIES:
                    raise ConfigError(key, f"must be one of {', '.join(SEVERITIES)}, got {shown(item)}")
            elif name == "owner":
                if item not in OWNERS:
                    raise ConfigError(key, f"must be one of {', '.join(OWNERS)}, got {shown(item)}")
            elif name == "remind_days":
                if isinstance(item, bool) or not isinstance(item, int) or item < 1:
                    raise ConfigError(key, f"must be a whole number of days, 1 or more, got {shown(item)}")
            elif name == "outcome_days":  # how long after it was done the rule's advice is judged
                if not isinstance(item, int) or isinstance(item, bool) or not 1 <= item <= 90:
                    raise ConfigError(key, f"must be a whole number of days from 1 to 90, got {shown(item)}")
            elif name in params:
                reason = params[name].validate(item)
                if reason:
                    raise ConfigError(key, reason)
            else:
                known = ["enabled", "severity", "owner", "remind_days", "outcome_days", *params]
                raise ConfigError(key, "unknown setting" + _suggest(str(name), known))
            rules[rule_id][name] = item


def _merge_inputs(inputs: dict[str, Any], value: Any) -> None:
    for name, item in _check_mapping("inputs", value).items():
        key = f"inputs.{name}"
        if name == "kinds":
            for pattern, kind in _check_mapping(key, item).items():
                if kind not in KINDS:
                    raise ConfigError(f"{key}.{pattern}", f"must be one of {', '.join(KINDS)}, got {shown(kind)}")
                inputs["kinds"][str(pattern)] = kind
        elif name == "aliases":
            for kind, fields in _check_mapping(key, item).items():
                if kind not in KINDS:
                    raise ConfigError(f"{key}.{kind}", f"unknown kind; must be one of {', '.join(KINDS)}")
                known = _known_fields(kind)
                for field_name, aliases in _check_mapping(f"{key}.{kind}", fields).items():
                    if known and field_name not in known:
                        raise ConfigError(f"{key}.{kind}.{field_name}", f"unknown field of {kind}"
                                          + _suggest(str(field_name), sorted(known), "fields"))
                    if isinstance(aliases, str):
                        aliases = [aliases]
                    if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
                        raise ConfigError(f"{key}.{kind}.{field_name}", "must be a list of column headers")
                    inputs["aliases"].setdefault(kind, {})[str(field_name)] = aliases
        elif name == "limits":
            inputs["limits"] = _check_limits(key, item)
        elif name == "max_age_days":
            if not isinstance(item, int) or isinstance(item, bool) or not 0 <= item <= 3650:
                raise ConfigError(key, f"must be a whole number of days (0 or more), got {shown(item)}")
            inputs["max_age_days"] = item
        else:
            raise ConfigError(key, "unknown setting" + _suggest(str(name), ["kinds", "aliases", "limits", "max_age_days"]))


def _known_fields(kind: str) -> set[str]:
    from shopdoc.io.fields import builtin_fields

    return set(builtin_fields().get(kind, {}))


def _check_limits(key: str, value: Any) -> dict[str, int]:
    """`inputs.limits`: whole numbers above 0 for the budgets of `shopdoc.io.limits`."""
    from shopdoc.io.limits import NAMES

    out = {}
    for name, item in _check_mapping(key, value).items():
        if name not in NAMES:
            raise ConfigError(f"{key}.{name}", "unknown setting" + _suggest(str(name), list(NAMES)))
        if not isinstance(item, int) or isinstance(item, bool) or not 0 < item <= 10**12:
            raise ConfigError(f"{key}.{name}", f"must be a whole number above 0, got {shown(item)}")
        out[str(name)] = item
    return out


def _merge_send(send: dict[str, Any], value: Any) -> None:
    for name, item in _check_mapping("send", value).items():
        if name != "targets":
            raise ConfigError(f"send.{name}", "unknown setting" + _suggest(str(name), ["targets"]))
        from shopdoc.chat.targets import check_target

        for target, settings in _check_mapping("send.targets", item).items():
            send["targets"][str(target)] = check_target(str(target), settings)


def _check_target_list(key: str, value: Any) -> list[str]:
    """One chat target or a list of them (`dingtalk`, or a name under `send.targets`)."""
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value or not all(isinstance(item, str) and item.strip() for item in value):
        raise ConfigError(key, f"must be a chat target or a list of them (dingtalk, wecom, feishu, slack or a "
                               f"name under send.targets), got {shown(value)}")
    return [item.strip() for item in value]


def _check_owners(value: Any) -> dict[str, list[str]]:
    """`owners:` team → chat targets; teams by their Chinese name (推广) or owner id (promotion)."""
    out: dict[str, list[str]] = {}
    for team, targets in _check_mapping("owners", value).items():
        owner = OWNER_ALIASES.get(str(team), str(team))
        if owner not in OWNERS:
            raise ConfigError(f"owners.{team}", "unknown team — one of " + ", ".join(
                f"{zh} ({en})" for zh, en in OWNER_ALIASES.items()))
        out[owner] = _check_target_list(f"owners.{team}", targets)
    return out


def _check_snooze(value: Any) -> list[dict[str, Any]]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise ConfigError("snooze", "must be a list of {rule, subject, until}")
    out = []
    for index, item in enumerate(value):
        key = f"snooze[{index}]"
        item = _check_mapping(key, item)
        for required in ("rule", "until"):
            if required not in item:
                raise ConfigError(f"{key}.{required}", "is missing")
        out.append({"rule": _check_snooze_rule(f"{key}.rule", str(item["rule"])),
                    "subject": str(item.get("subject", "*")),
                    "until": _check_day(f"{key}.until", item["until"])})
    return out


def _check_snooze_rule(key: str, rule_id: str) -> str:
    from shopdoc.rules import get_rule, load_rules

    if get_rule(rule_id) is None:
        raise ConfigError(key, f"unknown rule {rule_id!r}" + _suggest(rule_id, [r.id for r in load_rules()], "rules"))
    return rule_id


def _check_day(key: str, value: Any) -> str:
    """A YYYY-MM-DD day (YAML may already have made it a date)."""
    import datetime

    try:
        return datetime.date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise ConfigError(key, f"must be a day as YYYY-MM-DD, got {shown(value)}") from None


def override(config: Config, dotted: str, value: Any) -> None:
    """Apply one validated override (`shop.name`) from the command line."""
    group, name = dotted.split(".", 1)
    _merge_into(config.data, {group: {name: value}})
    if not isinstance(config.data, Settings):
        config.data = Settings(config.data)
    config.data.user_set = frozenset({*config.data.user_set, dotted})


def _dotted(user: Any) -> set[str]:
    """`shop.gross_margin`-style names of the settings a user's config gives (two levels deep)."""
    if not isinstance(user, dict):
        return set()
    return {f"{group}.{name}" for group, values in user.items() if isinstance(values, dict) for name in values}
