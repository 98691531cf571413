"""Thirty malformed or hostile watchlists: (stem, content, expected "line:column", words in the error)."""

from __future__ import annotations

HEAD = 'name: x\nchannel: "#a"\nimposing: ["CN"]\n'


def _laughs(levels: int, width: int) -> str:
    """The classic alias bomb: each level repeats the previous one `width` times."""
    lines = ["a0: &a0 [" + ", ".join(["lol"] * width) + "]"]
    for level in range(1, levels):
        lines.append(f"a{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * width) + "]")
    return HEAD + "\n".join(lines) + "\n"


def _mapping_bomb() -> str:
    """An alias bomb made of mappings: every level holds the previous one twice."""
    lines = ["x-m0: &m0 {k0: 1, k1: 2, k2: 3, k3: 4}"]
    for level in range(1, 24):
        lines.append(f"x-m{level}: &m{level} {{a: *m{level - 1}, b: *m{level - 1}}}")
    return HEAD + "\n".join(lines) + "\n"


def _merge_key_bomb() -> str:
    """Merge keys of merge keys: every level merges the previous mapping twice."""
    lines = ["x-m0: &m0 {k0: 1, k1: 2}"]
    for level in range(1, 40):
        lines.append(f"x-m{level}: &m{level} {{<<: [*m{level - 1}, *m{level - 1}]}}")
    return HEAD + "\n".join(lines) + "\n"


CASES: list[tuple[str, str, str, str]] = [
    # merge keys
    (
        "merge-into-unknown",
        'name: x\nchannel: "#a"\nx-d: &d {chanel: "#b"}\n<<: *d\n',
        "3:10",
        "unknown field 'chanel'",
    ),
    (
        "merge-scalar",
        'x-d: &d plain\nname: x\nchannel: "#a"\n<<: *d\n',
        "1:6",
        "merge key (<<) takes a mapping",
    ),
    (
        "merge-list-of-scalars",
        'name: x\nchannel: "#a"\n<<: [1, 2]\n',
        "3:6",
        "merge key (<<) takes a mapping",
    ),
    (
        "merge-self",
        'name: x\nchannel: "#a"\nquiet_hours: &q {start: "22:00", <<: *q}\n',
        "3:14",
        "recursive alias",
    ),
    (
        "merge-bad-value",
        'x-d: &d {imposing: [Atlantis]}\nname: x\nchannel: "#a"\n<<: *d\n',
        "1:21",
        "unknown country",
    ),
    ("merge-as-value", 'name: <<\nchannel: "#a"\nimposing: ["CN"]\n', "1:7", "merge key"),
    ("merge-undefined-alias", 'name: x\nchannel: "#a"\n<<: *nowhere\n', "3:5", "undefined alias"),
    (
        "merge-duplicate-explicit",
        HEAD + 'x-d: &d {channel: "#b"}\n<<: *d\nname: y\n',
        "6:1",
        "duplicate key 'name'",
    ),
    # recursive aliases
    ("recursive-list", HEAD + "loop: &l [*l]\n", "4:7", "recursive alias"),
    ("recursive-map", HEAD + "x-loop: &l {again: *l}\n", "4:9", "recursive alias"),
    ("recursive-indirect", HEAD + "x-a: &a [&b [*a]]\n", "4:6", "recursive alias"),
    ("recursive-in-field", 'name: x\nchannel: "#a"\nimposing: &i ["CN", *i]\n', "3:11", "recursive alias"),
    # expansion limits
    ("billion-laughs", _laughs(9, 9), "4:", "alias bomb"),
    ("laughs-wide", _laughs(4, 60), "4:", "alias bomb"),
    ("mapping-bomb", _mapping_bomb(), "4:", "alias bomb"),
    ("merge-key-bomb", _merge_key_bomb(), "", "alias bomb"),
    ("deep-flow-nesting", "name: " + "[" * 50_000 + "]" * 50_000 + "\n", "1:39", "nesting deeper"),
    (
        "deep-block-nesting",
        HEAD + "x-deep:\n" + "".join("  " * i + f"k{i}:\n" for i in range(1, 60)),
        "",
        "nesting deeper",
    ),
    (
        "alias-deepens",
        HEAD
        + "x-a: &a [[[[[[[[[[1]]]]]]]]]]\nx-b: &b [[[[[[[[[[*a]]]]]]]]]]\nx-c: [[[[[[[[[[[[[*b]]]]]]]]]]]]]\n",
        "",
        "nesting deeper",
    ),
    # scalars YAML cannot build
    ("bad-timestamp", HEAD + "description: 2026-13-45\n", "4:14", "month must be in 1..12"),
    (
        "python-tag",
        HEAD + "description: !!python/object/apply:os.system [echo hi]\n",
        "4:14",
        "unsupported YAML tag",
    ),
    ("bad-binary", HEAD + "description: !!binary '***'\n", "4:14", "binary"),
    ("bad-int-tag", HEAD + "min_confidence: !!int abc\n", "4:17", "invalid value"),
    ("unknown-tag", HEAD + "description: !secret xyz\n", "4:14", "invalid value"),
    ("complex-key", HEAD + "? [a, b]\n: 1\n", "4:3", "keys must be plain text"),
    # stream-level problems
    ("two-documents", HEAD + "---\nname: y\n", "4:1", "invalid YAML"),
    ("tab-indent", 'name: x\nchannel: "#a"\nimposing:\n\t- "CN"\n', "4:1", "invalid YAML"),
    ("nul-byte", HEAD + "description: a\x00b\n", "4:15", "character #x0000 not allowed"),
    ("unclosed-flow", HEAD + "targets: [US, JP\n", "5:1", "invalid YAML"),
    ("bom-then-list", "\ufeff- " + HEAD.replace("\n", "\n  ", 2), "1:1", "expected a mapping"),
]
