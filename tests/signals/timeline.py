"""The fixture timeline: which pages each site lists on each day, replayed one step at a time.

Real sequences (dates as published): the POM resin (共聚聚甲醛) anti-dumping case — application received
2024-04-22, initiation 2024-05-19 (MOFCOM 2024 No. 19), preliminary ruling 2025-01-16 with provisional
deposits from 2025-01-24 (2025 No. 4), final ruling 2025-05-18 with duties from 2025-05-19 (2025 No. 21) —
and the BIS rule of 2024-12-02 followed by MOFCOM announcement 2024 No. 46 on 2024-12-03, with a USTR
Section 301 modification of 2024-09-18 as an older, weaker candidate cause. Listing pages are written
for each step from these tables (a site lists what it has published so far); detail pages are fixtures.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from html import escape
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "fixtures"
TRB = "https://trb.mofcom.gov.cn"
MOFCOM = "https://www.mofcom.gov.cn"
ORIGIN = "原产于美国、欧盟、日本和台湾地区的进口共聚聚甲醛"


@dataclass(frozen=True)
class Listed:
    day: str
    path: str  # site path of the detail page
    title: str


TRB_PAGES = [
    Listed(
        "2024-03-28",
        "/myjjdc/art/2024/art_2f3e4d5c6b7a48091a2b3c4d5e6f7081.html",
        "贸易救济调查局举办2024年贸易救济业务培训班",
    ),
    Listed(
        "2024-04-22",
        "/myjjdc/art/2024/art_0c1d2e3f4a5b46c7d8e9f0a1b2c3d4e5.html",
        f"商务部收到对{ORIGIN}的反倾销调查申请",
    ),
    Listed(
        "2024-05-19",
        "/myjjdc/art/2024/art_5a6b7c8d9e0f41a2b3c4d5e6f7a8b9c0.html",
        f"商务部公告2024年第19号 关于对{ORIGIN}进行反倾销立案调查的公告",
    ),
    Listed(
        "2025-01-16",
        "/myjjdc/art/2025/art_b1c2d3e4f5a647b8c9d0e1f2a3b4c5d6.html",
        f"商务部公告2025年第4号 关于{ORIGIN}反倾销调查初步裁定的公告",
    ),
    Listed(
        "2025-05-18",
        "/myjjdc/art/2025/art_e7f8a9b0c1d24e3f4a5b6c7d8e9f0a1b.html",
        f"商务部公告2025年第21号 关于{ORIGIN}反倾销调查最终裁定的公告",
    ),
]
MOFCOM_POLICY = [
    Listed(
        "2024-12-03",
        "/zwgk/zcfb/art/2024/art_46d1e2f3a4b5468c9d0e1f2a3b4c5d6e.html",
        "商务部公告2024年第46号 关于加强相关两用物项对美国出口管制的公告",
    ),
]
MOFCOM_ANNUAL_2024 = [
    Listed(
        "2024-11-20",
        "/zcfb/blgg/gg/2024nswbgg/art/2024/art_77a8b9c0d1e24f3a4b5c6d7e8f9a0b1c.html",
        "商务部公告2024年第44号 关于发布《零售企业服务质量规范》等2项行业标准的公告",
    ),
]
# (day, slugs crawled that day)
STEPS = [
    ("2024-04-22", ["cn_mofcom_trb"]),
    ("2024-05-19", ["cn_mofcom_trb"]),
    ("2024-09-18", ["us_federal_register"]),
    ("2024-12-02", ["us_federal_register"]),
    ("2024-12-03", ["cn_mofcom"]),
    ("2025-01-16", ["cn_mofcom_trb"]),
    ("2025-05-18", ["cn_mofcom_trb"]),
]
URL = {
    "application": TRB + TRB_PAGES[1].path,
    "initiation": TRB + TRB_PAGES[2].path,
    "preliminary": TRB + TRB_PAGES[3].path,
    "final": TRB + TRB_PAGES[4].path,
    "no46": MOFCOM + MOFCOM_POLICY[0].path,
    "bis": "https://www.federalregister.gov/documents/2024/12/02/2024-28270/foreign-produced-direct-product-rule-"
    "additions-and-refinements-to-controls-for-advanced-computing-and",
    "ustr": "https://www.federalregister.gov/documents/2024/09/18/2024-21217/notice-of-modification-chinas-acts-"
    "policies-and-practices-related-to-technology-transfer-intellectual",
}


def _cms_listing(rows: list[Listed], heading: str) -> str:
    items = "\n".join(
        f'<li><span class="time">{r.day}</span><a href="{r.path}" target="_blank" title="{escape(r.title)}">'
        f"{escape(r.title)}</a></li>"
        for r in sorted(rows, key=lambda r: r.day, reverse=True)
    )
    return (
        f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{heading}</title></head>'
        f'<body><div class="list"><ul class="txtList_01">\n{items}\n</ul></div></body></html>\n'
    )


def prepare_site(root: Path) -> None:
    """Copy the detail pages (fixtures) into the served root."""
    shutil.copytree(FIXTURES, root, dirs_exist_ok=True)


def publish_until(root: Path, day: str) -> None:
    """Write every listing as the sites showed it at the end of `day`."""

    def upto(rows: list[Listed]) -> list[Listed]:
        return [r for r in rows if r.day <= day]

    trb = root / "cn_mofcom_trb/trb.mofcom.gov.cn/myjjdc/index.html"
    trb.write_text(_cms_listing(upto(TRB_PAGES), "贸易救济调查"), encoding="utf-8")
    policy = root / "cn_mofcom/www.mofcom.gov.cn/zwgk/zcfb/index.html"
    policy.write_text(_cms_listing(upto(MOFCOM_POLICY), "政策发布"), encoding="utf-8")
    annual = root / "cn_mofcom/www.mofcom.gov.cn/zcfb/blgg/gg/2024/index.html"
    annual.parent.mkdir(parents=True, exist_ok=True)
    annual.write_text(_cms_listing(upto(MOFCOM_ANNUAL_2024), "2024年商务部公告"), encoding="utf-8")
    entries = json.loads((FIXTURES / "us_federal_register/entries.json").read_text(encoding="utf-8"))
    shown = sorted(
        (e for e in entries if e["publication_date"] <= day),
        key=lambda e: e["publication_date"],
        reverse=True,
    )
    api = root / "us_federal_register/www.federalregister.gov/api/v1/documents.json"
    api.parent.mkdir(parents=True, exist_ok=True)
    api.write_text(json.dumps({"count": len(shown), "results": shown}, ensure_ascii=False), encoding="utf-8")
