"""Read YAML keeping where every value came from, so validation errors can say file:line:column.

PyYAML's composer gives nodes with marks; we construct plain Python values ourselves and keep a map
from each value's path (("targets", 2), ...) to its node. Duplicate keys, which PyYAML silently merges,
are reported as errors.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

Path_ = tuple[str | int, ...]
YAML_11_BOOLS = {"y", "yes", "n", "no", "on", "off"}  # plain scalars YAML 1.1 reads as booleans


@dataclass
class Positioned:
    data: Any
    nodes: dict[Path_, Node] = field(default_factory=dict)
    key_nodes: dict[Path_, Node] = field(default_factory=dict)  # the key node of each mapping entry
    problems: list[tuple[Node, str]] = field(default_factory=list)

    def node_for(self, path: Path_, *, key: bool = False) -> Node | None:
        """The node at `path`, or the nearest ancestor that exists (for missing fields)."""
        if key and path in self.key_nodes:
            return self.key_nodes[path]
        for end in range(len(path), -1, -1):
            if path[:end] in self.nodes:
                return self.nodes[path[:end]]
        return None


class YamlSyntaxError(ValueError):
    def __init__(self, line: int, column: int, message: str) -> None:
        super().__init__(message)
        self.line, self.column, self.message = line, column, message


MAX_VALUES = 20_000  # values after alias expansion; a watchlist has a few hundred at most
MAX_DEPTH = 32  # nesting of mappings and lists
MERGE_TAG = "tag:yaml.org,2002:merge"
COLLECTION_TAGS = {"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}  # no !!python/..., !!set, !!omap


def load_positioned(text: str) -> Positioned | None:
    """Parse one YAML document; None for an empty file. Raises YamlSyntaxError with a position.

    Aliases and merge keys (`<<: *defaults`) are expanded by us, within MAX_VALUES and MAX_DEPTH, so a
    recursive alias or an alias bomb ("billion laughs") is rejected at once instead of exhausting memory.
    """
    _check_flow_depth(text)
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.reader.ReaderError as exc:  # a control character; its message spans lines
        line, column = _line_col(text, exc.position)
        raise YamlSyntaxError(
            line, column, f"invalid YAML: character #x{exc.character:04x} not allowed"
        ) from exc
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise YamlSyntaxError(line, column, f"invalid YAML: {exc.problem or exc.context}") from exc
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(1, 1, f"invalid YAML: {' '.join(str(exc).split())}") from exc
    except RecursionError as exc:  # PyYAML's composer recurses once per nesting level
        raise YamlSyntaxError(1, 1, f"nesting deeper than {MAX_DEPTH} levels") from exc
    if root is None:
        return None
    result = Positioned(data=None)
    result.data = _Builder(result).build(root, ())
    return result


def _check_flow_depth(text: str) -> None:
    """Reject deep [ { nesting before PyYAML sees it: its scanner is quadratic in flow depth."""
    depth, quote, line, line_start = 0, "", 1, 0
    previous = "\n"
    for index, char in enumerate(text):
        if char == "\n":
            line, line_start = line + 1, index + 1
        if quote:
            if char == quote and previous != "\\":
                quote = ""
        elif char in "\"'" and previous in " \t\n[{,:":
            quote = char
        elif char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                raise YamlSyntaxError(line, index - line_start + 1, f"nesting deeper than {MAX_DEPTH} levels")
        elif char in "]}":
            depth = max(0, depth - 1)
        previous = char


def _line_col(text: str, position: int) -> tuple[int, int]:
    before = text[:position]
    return before.count("\n") + 1, position - (before.rfind("\n") + 1) + 1


class _Builder:
    """Plain values from a node graph, expanding aliases and merge keys within the limits."""

    def __init__(self, out: Positioned) -> None:
        self.out = out
        self.count = 0
        self.active: set[int] = set()  # ids of the nodes being built: seeing one again is a cycle
        self.constructor = yaml.SafeLoader("")  # resolves scalar tags the way safe_load does

    def build(self, node: Node, path: Path_) -> Any:
        self.count += 1
        if self.count > MAX_VALUES:
            raise _error(node, f"aliases expand to more than {MAX_VALUES} values (alias bomb?)")
        if len(path) > MAX_DEPTH:
            raise _error(node, f"nesting deeper than {MAX_DEPTH} levels")
        if id(node) in self.active:
            raise _error(node, "recursive alias: this anchor contains an alias to itself")
        self.out.nodes[path] = node
        if isinstance(node, ScalarNode):
            return self.scalar(node)
        if node.tag not in COLLECTION_TAGS:
            self.out.problems.append((node, f"unsupported YAML tag {node.tag!r}"))
            return None
        self.active.add(id(node))
        try:
            if isinstance(node, MappingNode):
                return self.mapping(node, path)
            if isinstance(node, SequenceNode):
                return [self.build(item, (*path, index)) for index, item in enumerate(node.value)]
            return None
        finally:
            self.active.discard(id(node))

    def mapping(self, node: MappingNode, path: Path_) -> dict[str, Any]:
        mapping: dict[str, Any] = {}
        for key_node, value_node, merged in self.entries(node):
            key = self.scalar(key_node) if isinstance(key_node, ScalarNode) else None
            if not isinstance(key, str):
                self.out.problems.append((key_node, "keys must be plain text"))
                continue
            if key in mapping:
                if not merged:  # merged keys yield to explicit ones and to earlier merges
                    self.out.problems.append((key_node, f"duplicate key {key!r}"))
                continue
            self.out.key_nodes[(*path, key)] = key_node
            mapping[key] = self.build(value_node, (*path, key))
        return mapping

    def entries(self, node: MappingNode) -> list[tuple[Node, Node, bool]]:
        """Explicit entries first, then those of `<<` merges (YAML merge-key semantics)."""
        explicit: list[tuple[Node, Node, bool]] = []
        merged: list[tuple[Node, Node, bool]] = []
        for key_node, value_node in node.value:
            if key_node.tag != MERGE_TAG:
                explicit.append((key_node, value_node, False))
                continue
            sources = value_node.value if isinstance(value_node, SequenceNode) else [value_node]
            for source in sources:
                if not isinstance(source, MappingNode):
                    raise _error(source, "a merge key (<<) takes a mapping or a list of mappings")
                if id(source) in self.active or source is node:
                    raise _error(source, "recursive alias: a merge key refers to its own mapping")
                self.active.add(id(source))
                try:
                    inherited = self.entries(source)
                finally:
                    self.active.discard(id(source))
                merged.extend((k, v, True) for k, v, _ in inherited)
                self.count += len(inherited)  # merges of merges grow like aliases do
                if self.count > MAX_VALUES:
                    raise _error(source, f"aliases expand to more than {MAX_VALUES} values (alias bomb?)")
        return explicit + merged

    def scalar(self, node: ScalarNode) -> Any:
        if node.tag == MERGE_TAG:
            self.out.problems.append((node, "'<<' is YAML's merge key; quote it to use it as text"))
            return None
        try:
            value = self.constructor.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, TypeError, OverflowError) as exc:
            reason = getattr(exc, "problem", None) or str(exc)
            self.out.problems.append((node, f"invalid value {node.value[:40]!r}: {reason}"))
            return None
        if isinstance(value, bytes):
            self.out.problems.append((node, "binary (!!binary) values are not supported"))
            return None
        return value


def _error(node: Node, message: str) -> YamlSyntaxError:
    mark = node.start_mark
    return YamlSyntaxError(mark.line + 1, mark.column + 1, message)


def scalar_hint(node: Node | None, field: str = "") -> str | None:
    """Explain the two classic YAML traps when the raw scalar shows one (DESIGN.md §7)."""
    if not isinstance(node, ScalarNode) or node.style is not None:
        return None
    raw = node.value
    if node.tag.endswith(":bool") and raw.lower() in YAML_11_BOOLS:
        return (
            f"unquoted {raw} is read by YAML as the boolean {raw.lower() in ('y', 'yes', 'on')}; "
            f'quote it: "{raw}"' + (" (Norway)" if raw.lower() == "no" else "")
        )
    if field == "commodities" and (node.tag.endswith(":float") or node.tag.endswith(":int")):
        return f'the number {raw} looks like an HS code; quote it so digits are kept: "{raw}"'
    return None
