"""Notice numbers and page helpers shared by the Chinese spiders (pure functions, no network)."""

from __future__ import annotations

import pytest

from crawlers.mixins_cn import js_redirect, notice_number


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
