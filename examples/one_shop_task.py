"""One shop of an agency's config as a task of a scheduler you already run (Airflow, Prefect, a
cron line per host): the library API takes the shop's config and returns its report — no global
state, nothing printed. Run: python examples/one_shop_task.py agency.yaml tmall"""

import sys

from shopdoc.config import load_config
from shopdoc.portfolio import shop_line
from shopdoc.report import render_json
from shopdoc.shops import diagnose_shop


def shop_task(config_path: str, shop: str) -> dict:
    config = load_config(config_path).shop(shop)  # the shop's settings over the shared ones
    report = diagnose_shop(config)  # reads its data_dir (folder, {date} folders or a glob)
    with open(f"{shop}.json", "w", encoding="utf-8") as out:
        out.write(render_json(report))
    return shop_line(report, config).to_dict()  # the shop's line for a portfolio built elsewhere


if __name__ == "__main__":
    print(shop_task(sys.argv[1], sys.argv[2]))
