"""Notice numbers and page helpers shared by the Chinese spiders (pure functions, no network)."""

from __future__ import annotations

import pytest
from parsel import Selector

from crawlers.mixins_cn import js_redirect, notice_number, page_url, script_date


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("商务部 海关总署公告2023年第23号 关于对镓、锗相关物项实施出口管制的公告", "商务部公告2023年第23号"),
        ("商务部、海关总署公告2024年第33号", "商务部公告2024年第33号"),
        ("商务部公告 2024 年第 46 号", "商务部公告2024年第46号"),
        ("不可靠实体清单工作机制公告〔2025〕6号", "不可靠实体清单工作机制公告〔2025〕6号"),
        ("不可靠实体清单工作机制公告[2025]6号", "不可靠实体清单工作机制公告〔2025〕6号"),
        ("不可靠实体清单规定（商务部令2020年第4号）", "商务部令2020年第4号"),
        ("海关总署公告2023年第103号（关于全面暂停进口日本水产品的公告）", "海关总署公告2023年第103号"),
        ("外交部令（第9号）", "外交部令第9号"),
        ("外交部关于对美国军工企业采取反制措施的决定", None),
    ],
)
def test_notice_number_forms(title: str, expected: str | None) -> None:
    assert notice_number(title) == expected


def test_a_citation_deep_in_the_body_is_not_the_notice_id() -> None:
    body = "调查机关裁定如下。" * 20 + "根据商务部公告2024年第33号的规定……"
    assert notice_number("关于调整出口许可证管理货物目录的通知", body) is None
    assert (
        notice_number("某公告", "不可靠实体清单工作机制公告〔2025〕6号\n正文")
        == "不可靠实体清单工作机制公告〔2025〕6号"
    )


def test_js_redirect_only_on_script_shells() -> None:
    shell = '<html><script>window.location.href="/News/art/2024/art_1.html";</script></html>'
    assert js_redirect(shell) == "/News/art/2024/art_1.html"
    article = '<html><p>window.location = "/x" appears in an article about scripts</p></html>'
    assert js_redirect(article) is None


def test_link_out_template_is_a_redirect_even_in_a_full_page() -> None:
    """MOFCOM's CMS link-out record: a whole page template, the target in `var _cofing1={href:"…",type:…}`."""
    page = (
        "<html><head><title>x</title></head><body>" + "<div>导航</div>" * 400 + "<p>相关链接</p>"
        '<script>function _j(c){if(c.href){location.replace(c.href)}}var _cofing1={href:"https://trb.mofcom.gov.cn/'
        'myjjdc/art/2025/art_9fa4ea413043469c8794445b2a5ac31f.html",type:"1"};_j(_cofing1);</script></body></html>'
    )
    assert len(page) > 4000
    assert (
        js_redirect(page)
        == "https://trb.mofcom.gov.cn/myjjdc/art/2025/art_9fa4ea413043469c8794445b2a5ac31f.html"
    )
    assert js_redirect('<html><script>}var _cofing1={href:"",type:"0"};</script><p>正文</p></html>') is None


def test_list_date_written_by_parse_to_data() -> None:
    row = Selector(
        text='<li><a href="/x">t</a><span><script>parseToData(1768995462538,1)</script></span></li>'
    )
    assert script_date(row.css("li")[0]) == "2026-01-21T19:37:42+08:00"
    assert script_date(Selector(text="<li><span>2025-01-02</span></li>").css("li")[0]) is None


def test_column_page_urls() -> None:
    assert (
        page_url("https://trb.mofcom.gov.cn/myjjdc/index.html", 2)
        == "https://trb.mofcom.gov.cn/myjjdc/index_2.html"
    )
    assert (
        page_url("https://trb.mofcom.gov.cn/myjjdc/index_2.html", 3)
        == "https://trb.mofcom.gov.cn/myjjdc/index_3.html"
    )
    assert (
        page_url("https://www.mofcom.gov.cn/zwgk/zcfb/", 2)
        == "https://www.mofcom.gov.cn/zwgk/zcfb/index_2.html"
    )
