"""Load a scheme file (TOML) into a validated :class:`Scheme`.

The file format is documented in ``docs/scheme-format.md``. The loader collects
every problem it can find in one pass, each with its line, so an editor can
show them all beside the text; ``str(error)`` is the first one.
"""

from __future__ import annotations

import decimal
import itertools
import re
import tomllib
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from .errors import Problem, SchemeError
from .model import (
    ADJUSTMENT_KINDS,
    INNER_KINDS,
    ROOT_ID,
    EligibilityRule,
    Fact,
    GradeBand,
    Kind,
    Node,
    Scheme,
    VetoEffect,
    VetoPolicy,
)
from .numbers import CONTEXT, HUNDRED, ZERO, plain, to_decimal

ID_PATTERN = re.compile(r"^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$")
OPERATORS = (">", ">=", "<", "<=")
MAX_OPTIONAL = 8  # optional siblings under one node; bounds try every subset of them

# Default parts of a split node: 水利局's 完成情况 90 / 进步 5 / 创新 5.
DEFAULT_SPLIT = {"completion": Decimal(90), "progress": Decimal(5), "innovation": Decimal(5)}
PART_NAMES = {
    "completion": "完成情况",
    "progress": "绩效进步",
    "innovation": "绩效创新",
    "head": "部门负责人考评",
    "self": "本人自评",
    "peer": "民主测评",
}

NODE_KEYS = {
    "id",
    "name",
    "kind",
    "weight",
    "optional",
    "min",
    "max",
    "base",
    "cap",
    "item_cap",
    "per",
    "fact",
    "share",
    "own",
    "unit",
    "parts",
    "part_names",
    "rule",
}
ROOT_KEYS = {"kind", "name", "cap", "share", "own", "unit", "rule"}
TOP_KEYS = {"scheme", "root", "node", "facts", "grade", "veto", "eligibility", "award"}


def load_scheme_file(path: str | Path) -> Scheme:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SchemeError([Problem(f"cannot read the file: {exc.strerror}")], str(path)) from None
    except UnicodeDecodeError:
        raise SchemeError([Problem("the file is not UTF-8 text")], str(path)) from None
    return load_scheme_text(text, source=str(path))


def load_scheme_text(text: str, source: str = "<string>") -> Scheme:
    try:
        data = tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        line = int(match.group(1)) if match else None
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        raise SchemeError([Problem(f"not valid TOML: {message}", line=line)], source) from None
    builder = _Builder(text, source)
    return builder.build(data)


class _Builder:
    def __init__(self, text: str, source: str) -> None:
        self.lines = text.splitlines()
        self.source = source
        self.problems: list[Problem] = []

    # -- locating -----------------------------------------------------------------

    def line_of(self, pattern: str, start: int = 0) -> int | None:
        regex = re.compile(pattern)
        for number, line in enumerate(self.lines[start:], start=start + 1):
            if regex.search(line):
                return number
        return None

    def entry_line(self, table: str, index: int) -> int | None:
        """The line of the index-th ``[[table]]`` header: entries are numbered in order."""
        regex = re.compile(rf"^\s*\[\[\s*{re.escape(table)}\s*\]\]")
        headers = [n for n, line in enumerate(self.lines, start=1) if regex.match(line)]
        return headers[index] if index < len(headers) else None

    def key_line(self, header_line: int | None, key: str) -> int | None:
        """The line of ``key = …`` inside the table starting at header_line, else the header."""
        if header_line is None:
            return None
        regex = re.compile(rf"^\s*{re.escape(key)}\s*=")
        for number in range(header_line, len(self.lines)):
            line = self.lines[number]
            if line.lstrip().startswith("["):
                break
            if regex.match(line):
                return number + 1
        return header_line

    def table_line(self, header: str) -> int | None:
        return self.line_of(rf"^\s*\[+\s*{re.escape(header)}\s*\]+")

    def problem(self, message: str, *, node: str | None = None, line: int | None = None) -> None:
        self.problems.append(Problem(message, node=node, line=line))

    # -- typed getters --------------------------------------------------------------

    def number(self, table: dict, key: str, *, node: str | None, line: int | None):
        if key not in table:
            return None
        try:
            return to_decimal(table[key])
        except TypeError:
            self.problem(f"{key} must be a number, not {table[key]!r}", node=node, line=line)
            return None

    def text(self, table: dict, key: str, *, node: str | None, line: int | None, required=False):
        value = table.get(key)
        if value is None:
            if required:
                self.problem(f"{key} is required", node=node, line=line)
            return ""
        if not isinstance(value, str) or (required and not value.strip()):
            self.problem(f"{key} must be a non-empty string", node=node, line=line)
            return ""
        return value.strip()

    def unknown_keys(self, table: dict, allowed: set[str], *, what: str, node=None, line=None):
        for key in table:
            if key not in allowed:
                known = ", ".join(sorted(allowed))
                self.problem(
                    f"unknown key {key!r} in {what} (known: {known})", node=node, line=line
                )

    # -- building -------------------------------------------------------------------

    def build(self, data: dict[str, Any]) -> Scheme:
        self.unknown_keys(data, TOP_KEYS, what="the file")
        head = data.get("scheme")
        if not isinstance(head, dict):
            self.problem("the file needs a [scheme] table with id, name and version", line=1)
            head = {}
        line = self.table_line("scheme")
        self.unknown_keys(
            head,
            {"id", "name", "version", "source", "description", "disclose_people"},
            what="[scheme]",
            line=line,
        )
        scheme_id = self.text(head, "id", node=None, line=line, required=True)
        name = self.text(head, "name", node=None, line=line, required=True)
        version = head.get("version")
        if isinstance(version, int | Decimal):
            version = str(version)
        if not isinstance(version, str) or not version.strip():
            self.problem("version is required (a string such as '2024.1')", line=line)
            version = ""
        disclose_people = head.get("disclose_people", False)
        if not isinstance(disclose_people, bool):
            self.problem("disclose_people must be true or false", line=line)
            disclose_people = False

        facts = self.build_facts(data.get("facts", {}))
        nodes = self.build_nodes(data, facts)
        grades = self.build_grades(data.get("grade", []), nodes)
        vetoes = self.build_vetoes(data.get("veto", {}), grades)
        eligibility = self.build_eligibility(data.get("eligibility", []), facts)
        award_min_grade = self.build_award(data.get("award", {}), grades)
        if self.problems:
            raise SchemeError(self.problems, self.source)
        return Scheme(
            id=scheme_id,
            name=name,
            version=version.strip(),
            nodes=nodes,
            facts=facts,
            grades=grades,
            vetoes=vetoes,
            eligibility=eligibility,
            award_min_grade=award_min_grade,
            source=str(head.get("source", "")),
            description=str(head.get("description", "")),
            disclose_people=disclose_people,
        )

    def build_facts(self, raw: Any) -> dict[str, Fact]:
        facts: dict[str, Fact] = {}
        if not isinstance(raw, dict):
            self.problem("[facts] must be a table of tables", line=self.table_line("facts"))
            return facts
        for fact_id, table in raw.items():
            line = self.table_line(f"facts.{fact_id}")
            if not ID_PATTERN.match(fact_id) or "." in fact_id:
                self.problem(f"fact id {fact_id!r} must be letters, digits, _ or -", line=line)
                continue
            if not isinstance(table, dict):
                self.problem(f"fact {fact_id} must be a table", line=line)
                continue
            self.unknown_keys(table, {"name", "min", "max", "integer"}, what=f"fact {fact_id}")
            low = self.number(table, "min", node=None, line=line)
            high = self.number(table, "max", node=None, line=line)
            if low is not None and high is not None and low > high:
                self.problem(f"fact {fact_id}: min {low} is above max {high}", line=line)
            facts[fact_id] = Fact(
                id=fact_id,
                name=self.text(table, "name", node=None, line=line, required=True),
                min=low,
                max=high,
                integer=bool(table.get("integer", False)),
                line=line,
            )
        return facts

    def build_nodes(self, data: dict[str, Any], facts: dict[str, Fact]) -> dict[str, Node]:
        root_table = data.get("root", {})
        root_line = self.table_line("root")
        if not isinstance(root_table, dict):
            self.problem("[root] must be a table", line=root_line)
            root_table = {}
        self.unknown_keys(root_table, ROOT_KEYS, what="[root]", line=root_line)
        raw_nodes = data.get("node", [])
        if not isinstance(raw_nodes, list) or not raw_nodes:
            self.problem("the scheme has no [[node]] entries", line=1)
            return {}

        declared: dict[str, tuple[dict, int | None]] = {}
        for index, table in enumerate(raw_nodes):
            if not isinstance(table, dict):
                self.problem(f"node entry {index + 1} must be a table")
                continue
            node_id = table.get("id")
            line = self.key_line(self.entry_line("node", index), "id")
            if not isinstance(node_id, str) or not ID_PATTERN.match(node_id):
                self.problem(
                    f"node entry {index + 1}: id {node_id!r} must be dotted segments of"
                    " letters, digits, _ or - (such as business.1.completion)",
                    line=line,
                )
                continue
            if node_id == ROOT_ID:
                self.problem(f"id {ROOT_ID!r} is reserved for the root", node=node_id, line=line)
                continue
            if node_id in declared:
                first = declared[node_id][1]
                self.problem(f"duplicate id (first declared on line {first})", node=node_id)
                continue
            if node_id in facts:
                self.problem("id is also declared as a fact", node=node_id, line=line)
            declared[node_id] = (table, line)

        # Expand split nodes into their generated parts before linking the tree.
        expanded: dict[str, tuple[dict, int | None]] = {}
        for node_id, (table, line) in declared.items():
            expanded[node_id] = (table, line)
            if table.get("kind") == Kind.SPLIT:
                for part_id, part in self.split_parts(node_id, table, line, declared):
                    expanded[part_id] = (part, line)

        children: dict[str, list[str]] = {ROOT_ID: []}
        for node_id in expanded:
            children.setdefault(node_id, [])
        for node_id, (_table, line) in expanded.items():
            parent = node_id.rpartition(".")[0] or ROOT_ID
            if parent not in children:
                self.problem(f"parent {parent} is not declared", node=node_id, line=line)
                continue
            children[parent].append(node_id)

        nodes: dict[str, Node] = {}
        root_kind = self.kind_of(root_table, bool(children[ROOT_ID]), ROOT_ID, root_line)
        root_name = root_table.get("name") or data.get("scheme", {}).get("name") or "总分"
        nodes[ROOT_ID] = self.make_node(
            ROOT_ID, root_table, root_line, root_kind, None, children[ROOT_ID], facts, root_name
        )
        for node_id, (table, line) in expanded.items():
            parent = node_id.rpartition(".")[0] or ROOT_ID
            kind = self.kind_of(table, bool(children[node_id]), node_id, line)
            nodes[node_id] = self.make_node(
                node_id, table, line, kind, parent, children[node_id], facts, None
            )
        if self.problems:
            return nodes
        self.check_structure(nodes)
        if self.problems:
            return nodes
        return self.with_bounds(nodes)

    def split_parts(self, node_id, table, line, declared):
        parts = table.get("parts", DEFAULT_SPLIT)
        names = table.get("part_names", {})
        if not isinstance(parts, dict) or not parts:
            self.problem("parts must be a table of part = weight", node=node_id, line=line)
            return
        if not isinstance(names, dict):
            self.problem("part_names must be a table of part = name", node=node_id, line=line)
            names = {}
        for part, weight in parts.items():
            part_id = f"{node_id}.{part}"
            if part_id in declared:
                self.problem(
                    f"{part_id} is generated by the split; declare it only through parts",
                    node=node_id,
                    line=line,
                )
                continue
            name = names.get(part) or PART_NAMES.get(part) or part
            yield part_id, {"id": part_id, "name": name, "kind": "score", "weight": weight}

    def kind_of(self, table: dict, has_children: bool, node_id: str, line: int | None) -> Kind:
        raw = table.get("kind")
        if raw is None:
            return Kind.WEIGHTED if has_children else Kind.SCORE
        try:
            return Kind(raw)
        except ValueError:
            known = ", ".join(k.value for k in Kind)
            self.problem(f"unknown kind {raw!r} (known: {known})", node=node_id, line=line)
            return Kind.WEIGHTED if has_children else Kind.SCORE

    def make_node(self, node_id, table, line, kind, parent, children, facts, name) -> Node:
        if parent is not None:
            self.unknown_keys(table, NODE_KEYS, what=f"node {node_id}", node=node_id, line=line)
            name = self.text(table, "name", node=node_id, line=line, required=True)
        values = {
            key: self.number(table, key, node=node_id, line=line)
            for key in ("weight", "min", "max", "base", "cap", "item_cap", "per", "share")
        }
        for key in ("weight", "cap", "item_cap", "per", "base"):
            value = values[key]
            if value is not None and value < 0:
                self.problem(
                    f"{key} must not be negative ({plain(value)})", node=node_id, line=line
                )
        fact = table.get("fact")
        if fact is not None and fact not in facts:
            self.problem(f"fact {fact!r} is not declared under [facts]", node=node_id, line=line)
        return Node(
            id=node_id,
            name=str(name),
            kind=kind,
            parent=parent,
            children=tuple(children),
            weight=values["weight"],
            optional=bool(table.get("optional", False)),
            min=values["min"] if values["min"] is not None else ZERO,
            max=values["max"] if values["max"] is not None else HUNDRED,
            base=values["base"],
            cap=values["cap"],
            item_cap=values["item_cap"],
            per=values["per"],
            fact=fact,
            share=values["share"],
            own=table.get("own"),
            unit=table.get("unit"),
            rule=str(table.get("rule", "")),
            line=line,
        )

    def check_structure(self, nodes: dict[str, Node]) -> None:
        for node in nodes.values():
            where = {"node": node.id, "line": node.line}
            if node.kind in INNER_KINDS and not node.children:
                self.problem(f"a {node.kind} node needs children", **where)
            if node.kind not in INNER_KINDS and node.children:
                first = node.children[0]
                self.problem(f"a {node.kind} node cannot have children (found {first})", **where)
            if node.id == ROOT_ID and node.kind not in INNER_KINDS - {Kind.SPLIT}:
                self.problem("the root must be weighted, sum or coupled", **where)
            if node.optional and node.parent is None:
                self.problem("the root cannot be optional", **where)
            self.check_leaf(node, where)
            parent = nodes.get(node.parent) if node.parent else None
            if parent is not None:
                self.check_place(node, parent, where)
            if node.kind in (Kind.WEIGHTED, Kind.SPLIT):
                self.check_weights(node, nodes, where)
            if node.kind is Kind.COUPLED:
                self.check_coupled(node, nodes, where)
            if node.cap is not None and node.kind in INNER_KINDS and node.cap <= 0:
                self.problem("cap of an inner node must be positive", **where)

    def check_leaf(self, node: Node, where: dict) -> None:
        if node.kind is Kind.SCORE and node.min >= node.max:
            self.problem(f"min {plain(node.min)} must be below max {plain(node.max)}", **where)
        if node.kind is Kind.SCORE and (node.min < 0 or node.max <= 0):
            # Full marks are what a parent divides by: they must be positive.
            self.problem("a score's scale must lie within 0..max, with max above 0", **where)
        if node.base is not None and node.base <= 0:
            self.problem("base must be positive (it is the full marks)", **where)
        if node.kind is Kind.COUNTED and node.per is None:
            self.problem("a counted node needs per (points per occurrence)", **where)
        if node.kind is Kind.COUNTED and node.per is not None and node.per == 0:
            self.problem("per must be positive", **where)
        if node.kind is Kind.BONUSES:
            if node.base is not None:
                self.problem("a bonuses node adds points; it takes no base", **where)
            if node.cap is None:
                self.problem("a bonuses node needs cap (the most it may add)", **where)
        if node.base is not None and node.kind not in (Kind.DEDUCTIONS, Kind.COUNTED):
            self.problem(f"base applies to deductions and counted nodes, not {node.kind}", **where)
        if node.fact is not None and node.kind is not Kind.COUNTED:
            self.problem("fact applies to counted nodes only", **where)
        if node.item_cap is not None and node.kind is not Kind.BONUSES:
            self.problem("item_cap applies to bonuses nodes only", **where)

    def check_place(self, node: Node, parent: Node, where: dict) -> None:
        adjustment = node.is_adjustment
        if parent.kind in (Kind.WEIGHTED, Kind.SPLIT):
            if adjustment and node.weight is not None:
                self.problem(
                    f"a {node.kind} node without base adds or removes points and takes no"
                    " weight; give it a base to score it on a scale",
                    **where,
                )
            if not adjustment and node.weight is None:
                self.problem(f"weight is required under weighted node {parent.id}", **where)
        elif node.weight is not None:
            self.problem(f"children of a {parent.kind} node carry no weight", **where)
        if node.optional and adjustment:
            self.problem("deductions and bonuses are never optional: give an empty list", **where)

    def check_weights(self, node: Node, nodes: dict[str, Node], where: dict) -> None:
        weighted = [nodes[c] for c in node.children if nodes[c].weight is not None]
        required = [c for c in weighted if not c.optional]
        total = sum((c.weight for c in required), ZERO)
        if total != HUNDRED:
            detail = ", ".join(f"{c.id} {plain(c.weight)}" for c in required)
            self.problem(
                f"weights of the children sum to {plain(total)}, not 100 ({detail})", **where
            )
        if sum(1 for c in weighted if c.optional) > MAX_OPTIONAL:
            self.problem(f"at most {MAX_OPTIONAL} optional children per node", **where)
        optional = sum((c.weight for c in weighted if c.optional), ZERO)
        if optional >= HUNDRED:
            self.problem(
                f"weights of optional children sum to {plain(optional)}; must be < 100", **where
            )

    def check_coupled(self, node: Node, nodes: dict[str, Node], where: dict) -> None:
        if node.share is None or not (ZERO < node.share <= 1):
            self.problem("a coupled node needs share, a fraction above 0 and at most 1", **where)
        parts = [c for c in node.children if not nodes[c].is_adjustment]
        for key in ("own", "unit"):
            ref = getattr(node, key)
            if ref not in node.children:
                self.problem(f"{key} must name a child of the node (children: {parts})", **where)
        if set(parts) != {node.own, node.unit}:
            self.problem("a coupled node has exactly two scored children: own and unit", **where)

    # -- bounds ---------------------------------------------------------------------

    def with_bounds(self, nodes: dict[str, Node]) -> dict[str, Node]:
        """Compute full marks and the reachable range of every node, bottom-up."""
        done: dict[str, Node] = {}

        def visit(node_id: str) -> Node:
            node = nodes[node_id]
            kids = [visit(c) for c in node.children]
            full, low, high = _bounds(node, kids)
            done[node_id] = replace(node, full=full, low=low, high=high)
            return done[node_id]

        with decimal.localcontext(CONTEXT):
            visit(ROOT_ID)
        # keep file order
        return {node_id: done[node_id] for node_id in nodes}

    # -- grades, vetoes, eligibility ------------------------------------------------

    def build_grades(self, raw: Any, nodes: dict[str, Node]) -> tuple[GradeBand, ...]:
        if not isinstance(raw, list) or not raw:
            self.problem("the scheme needs [[grade]] bands (name and inclusive min)", line=1)
            return ()
        bands: list[tuple[GradeBand, Decimal | None]] = []
        names: set[str] = set()
        for index, table in enumerate(raw):
            name = table.get("name") if isinstance(table, dict) else None
            line = self.key_line(self.entry_line("grade", index), "name")
            if not isinstance(table, dict) or not isinstance(name, str) or not name.strip():
                self.problem(f"grade band {index + 1} needs a name", line=line)
                continue
            self.unknown_keys(table, {"name", "min", "below"}, what=f"grade {name}", line=line)
            if name in names:
                self.problem(f"grade {name} is declared twice", line=line)
            names.add(name)
            low = self.number(table, "min", node=None, line=line)
            below = self.number(table, "below", node=None, line=line)
            bands.append((GradeBand(name=name, min=low, line=line), below))
        open_bands = [band for band, _ in bands if band.min is None]
        if len(open_bands) > 1:
            self.problem(
                "only the lowest grade band may omit min, found "
                + ", ".join(b.name for b in open_bands),
                line=open_bands[1].line,
            )
        ordered = sorted(bands, key=lambda item: (item[0].min is None, -(item[0].min or 0)))
        for (upper, _), (lower, lower_below) in itertools.pairwise(ordered):
            if upper.min is not None and upper.min == lower.min:
                self.problem(
                    f"grade bands {upper.name} and {lower.name} overlap: both start at"
                    f" {plain(upper.min)}",
                    line=lower.line,
                )
            if lower_below is not None and upper.min is not None and lower_below != upper.min:
                relation = "a gap" if lower_below < upper.min else "an overlap"
                self.problem(
                    f"grade band {lower.name} ends below {plain(lower_below)} but {upper.name}"
                    f" starts at {plain(upper.min)}: {relation}",
                    line=lower.line,
                )
        if ordered:
            top_band, top_below = ordered[0]
            if top_below is not None:
                self.problem(
                    f"the highest grade band {top_band.name} cannot have below", line=top_band.line
                )
            lowest = ordered[-1][0]
            floor = nodes[ROOT_ID].low if ROOT_ID in nodes else ZERO
            if lowest.min is not None and (floor is None or lowest.min > floor):
                self.problem(
                    f"totals below {plain(lowest.min)} have no grade: let the lowest band"
                    f" {lowest.name} omit min or start at {plain(floor or ZERO)}",
                    line=lowest.line,
                )
        return tuple(band for band, _ in ordered)

    def build_vetoes(self, raw: Any, grades: tuple[GradeBand, ...]) -> VetoPolicy:
        line = self.table_line("veto")
        if not isinstance(raw, dict):
            self.problem("[veto] must be a table", line=line)
            return VetoPolicy()
        self.unknown_keys(raw, {"categories", "effect", "grade"}, what="[veto]", line=line)
        categories = raw.get("categories", [])
        if not isinstance(categories, list) or not all(
            isinstance(c, str) and c.strip() for c in categories
        ):
            self.problem("veto categories must be a list of names", line=line)
            categories = []
        if len(set(categories)) != len(categories):
            self.problem("a veto category is listed twice", line=line)
        try:
            effect = VetoEffect(raw.get("effect", VetoEffect.AWARD))
        except ValueError:
            known = ", ".join(e.value for e in VetoEffect)
            self.problem(f"unknown veto effect {raw.get('effect')!r} (known: {known})", line=line)
            effect = VetoEffect.AWARD
        grade = raw.get("grade")
        if effect is VetoEffect.GRADE and grade not in {g.name for g in grades}:
            self.problem(
                f"veto effect 'grade' needs grade = one of the bands, not {grade!r}", line=line
            )
        return VetoPolicy(categories=tuple(categories), effect=effect, grade=grade)

    def build_eligibility(self, raw: Any, facts: dict[str, Fact]) -> tuple[EligibilityRule, ...]:
        rules = []
        if not isinstance(raw, list):
            self.problem("eligibility rules must be [[eligibility]] tables")
            return ()
        for index, table in enumerate(raw):
            fact = table.get("fact") if isinstance(table, dict) else None
            line = self.key_line(self.entry_line("eligibility", index), "fact")
            if not isinstance(table, dict):
                self.problem(f"eligibility rule {index + 1} must be a table")
                continue
            self.unknown_keys(
                table, {"fact", "op", "value", "reason"}, what="eligibility", line=line
            )
            if fact not in facts:
                self.problem(
                    f"eligibility rule {index + 1}: fact {fact!r} is not declared", line=line
                )
            op = table.get("op")
            if op not in OPERATORS:
                self.problem(
                    f"eligibility op must be one of {', '.join(OPERATORS)}, not {op!r}", line=line
                )
            value = self.number(table, "value", node=None, line=line)
            if value is None:
                self.problem("eligibility rule needs a numeric value", line=line)
            reason = table.get("reason") or f"{fact} {op} {value}"
            if not self.problems:
                rules.append(
                    EligibilityRule(fact=fact, op=op, value=value, reason=reason, line=line)
                )
        return tuple(rules)

    def build_award(self, raw: Any, grades: tuple[GradeBand, ...]) -> str | None:
        if not isinstance(raw, dict):
            self.problem("[award] must be a table", line=self.table_line("award"))
            return None
        self.unknown_keys(raw, {"min_grade"}, what="[award]", line=self.table_line("award"))
        grade = raw.get("min_grade")
        if grade is not None and grade not in {g.name for g in grades}:
            self.problem(
                f"award min_grade {grade!r} is not a grade band", line=self.table_line("award")
            )
        return grade


def _bounds(node: Node, kids: list[Node]) -> tuple[Decimal, Decimal | None, Decimal | None]:
    """Full marks, lowest and highest score of a node given its children's bounds."""
    if node.kind is Kind.SCORE:
        return node.max, node.min, node.max
    if node.kind in ADJUSTMENT_KINDS:
        return _adjustment_bounds(node)
    parts = [k for k in kids if not k.is_adjustment]
    adjustments = [k for k in kids if k.is_adjustment]
    adj_low = _sum_or_none(k.low for k in adjustments)
    adj_high = _sum_or_none(k.high for k in adjustments)
    if node.kind is Kind.SUM:
        full = sum((k.full for k in parts), ZERO)
        low = _sum_or_none(ZERO if k.optional else k.low for k in parts)
        high = _sum_or_none(k.high for k in parts)
    elif node.kind is Kind.COUPLED:
        full = HUNDRED
        own = next(k for k in parts if k.id == node.own)
        unit = next(k for k in parts if k.id == node.unit)
        share = node.share
        low = _sum_or_none(
            [_times(_norm(own.low, own.full), share), _times(_norm(unit.low, unit.full), 1 - share)]
        )
        high = _sum_or_none(
            [
                _times(_norm(own.high, own.full), share),
                _times(_norm(unit.high, unit.full), 1 - share),
            ]
        )
    else:  # weighted / split: optional parts carve their weight out of the rest
        full = HUNDRED
        required = [k for k in parts if not k.optional]
        optional = [k for k in parts if k.optional]
        low, high = _weighted_bounds(required, optional)
    low = None if low is None or adj_low is None else max(ZERO, low + adj_low)
    low = ZERO if low is None else low  # inner nodes are floored at 0
    high = None if high is None or adj_high is None else high + adj_high
    if node.cap is not None:
        high = node.cap if high is None else min(high, node.cap)
        low = min(low, node.cap)
    return full, low, high


def _weighted_bounds(required: list[Node], optional: list[Node]):
    """Extremes of a weighted node over every subset of present optional parts.

    Present optional parts take their weight and scale the required ones by
    (100 − Σ present weights) / 100, exactly as evaluation does. The loader caps
    optional siblings at MAX_OPTIONAL, so the 2^k subsets stay few.
    """
    lows, highs = [], []
    for mask in range(1 << len(optional)):
        present = [k for i, k in enumerate(optional) if mask >> i & 1]
        factor = (HUNDRED - sum((k.weight for k in present), ZERO)) / HUNDRED
        low = _sum_or_none(
            [_times(_weighted(k.low, k), factor) for k in required]
            + [_weighted(k.low, k) for k in present]
        )
        high = _sum_or_none(
            [_times(_weighted(k.high, k), factor) for k in required]
            + [_weighted(k.high, k) for k in present]
        )
        lows.append(low)
        highs.append(high)
    low = None if None in lows else min(lows)
    high = None if None in highs else max(highs)
    return low, high


def _adjustment_bounds(node: Node) -> tuple[Decimal, Decimal | None, Decimal | None]:
    cap = node.cap
    if node.kind is Kind.BONUSES:
        return ZERO, ZERO, cap
    if node.base is not None:  # scored on a scale: base minus capped points, floored at 0
        low = ZERO if cap is None else max(ZERO, node.base - cap)
        return node.base, low, node.base
    return ZERO, (None if cap is None else -cap), ZERO


def _norm(value: Decimal | None, full: Decimal) -> Decimal | None:
    if value is None:
        return None
    return value * HUNDRED / full if full else ZERO


def _weighted(value: Decimal | None, node: Node) -> Decimal | None:
    """A child's contribution to a weighted parent: value / full x weight."""
    return None if value is None else value * node.weight / node.full


def _times(value: Decimal | None, factor: Decimal) -> Decimal | None:
    return None if value is None else value * factor


def _sum_or_none(values) -> Decimal | None:
    total = ZERO
    for value in values:
        if value is None:
            return None
        total += value
    return total
