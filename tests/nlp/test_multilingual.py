"""Korean and Latin-script notices are read, not dropped: real encoder, shipped heads (texts are ours)."""

from __future__ import annotations

from nlp.tagger import Tagger, TagInput


def _tag(tagger: Tagger, title: str, text: str, **kw: str) -> tuple[list[str], str | None, list[str], str]:
    r = tagger.tag([TagInput(title, text, **kw)])[0]
    ev = r.events[0] if r.events else None
    return r.event_types, (ev.imposing if ev else None), sorted(ev.targets if ev else []), r.language


def test_korean_trade_commission_dumping_probe(tagger: Tagger) -> None:
    types, imposing, targets, lang = _tag(
        tagger,
        "무역위원회, 태국·베트남산 합성섬유 덤핑 조사 개시",
        "산업통상자원부 무역위원회는 국내 업체의 신청을 받아 태국과 베트남에서 수입되는 합성섬유에 대해 "
        "덤핑 여부와 산업 피해를 가리는 조사에 착수했다고 밝혔다.",
        source_kind="news",
    )
    assert lang == "ko"
    assert "investigation" in types
    assert imposing == "KR"
    assert "TH" in targets or "VN" in targets


def test_korean_statistics_are_no_measure(tagger: Tagger) -> None:
    types, *_ = _tag(
        tagger,
        "10월 수출 8% 증가…반도체·자동차 호조",
        "산업통상자원부에 따르면 지난달 수출액은 전년 같은 달보다 8% 늘었고 무역수지는 흑자를 기록했다.",
        source_kind="news",
    )
    assert types == ["none"]


def test_spanish_antidumping_notice_is_typed(tagger: Tagger) -> None:
    types, imposing, targets, lang = _tag(
        tagger,
        "Argentina aplica derechos antidumping a vajilla de cerámica originaria de China",
        "El Ministerio de Economía fijó derechos antidumping definitivos a las importaciones de vajilla de "
        "cerámica de origen chino, vigentes por cinco años desde su publicación.",
        source_kind="official",
        source_jurisdiction="AR",
    )
    assert lang == "es"
    assert "investigation" in types or "tariff" in types
    assert imposing == "AR"
    assert "CN" in targets


def test_turkish_tariff_notice_is_typed(tagger: Tagger) -> None:
    types, imposing, targets, lang = _tag(
        tagger,
        "Çin menşeli binek otomobillere ek gümrük vergisi",
        "Ticaret Bakanlığı, Çin'den ithal edilen benzinli binek otomobillere ek gümrük vergisi "
        "uygulanacağını duyurdu. Karar Resmi Gazete'de yayımlandı.",
        source_kind="news",
    )
    assert lang == "tr"
    assert "tariff" in types
    assert imposing == "TR"
