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


def load_positioned(text: str) -> Positioned | None:
    """Parse one YAML document; None for an empty file. Raises YamlSyntaxError with a position."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise YamlSyntaxError(line, column, f"invalid YAML: {exc.problem or exc.context}") from exc
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(1, 1, f"invalid YAML: {exc}") from exc
    if root is None:
        return None
    result = Positioned(data=None)
    result.data = _build(root, (), result)
    return result


def _build(node: Node, path: Path_, out: Positioned) -> Any:
    out.nodes[path] = node
    if isinstance(node, MappingNode):
        mapping: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = _scalar(key_node) if isinstance(key_node, ScalarNode) else None
            if not isinstance(key, str):
                out.problems.append((key_node, "keys must be plain text"))
                continue
            if key in mapping:
                out.problems.append((key_node, f"duplicate key {key!r}"))
                continue
            out.key_nodes[(*path, key)] = key_node
            mapping[key] = _build(value_node, (*path, key), out)
        return mapping
    if isinstance(node, SequenceNode):
        return [_build(item, (*path, index), out) for index, item in enumerate(node.value)]
    if isinstance(node, ScalarNode):
        return _scalar(node)
    return None


def _scalar(node: ScalarNode) -> Any:
    constructor = yaml.SafeLoader("")  # a throwaway constructor resolving tags the way safe_load does
    try:
        return constructor.construct_object(node, deep=True)
    finally:
        constructor.dispose()


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
