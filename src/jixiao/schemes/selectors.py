"""Reads for the scheme pages, always scoped to the user's organisation."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db.models import Max, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jixiao.engine import Kind, Node, Problem, SchemeError, load_scheme_text, presets
from jixiao.engine import Scheme as EngineScheme
from jixiao.organisation.access import Access
from jixiao.schemes.models import Scheme, SchemeVersion
from jixiao.years.models import YearScheme

KIND_LABELS = {
    Kind.WEIGHTED: gettext_lazy("加权"),
    Kind.SUM: gettext_lazy("求和"),
    Kind.SPLIT: gettext_lazy("拆分"),
    Kind.COUPLED: gettext_lazy("挂钩"),
    Kind.SCORE: gettext_lazy("评分"),
    Kind.DEDUCTIONS: gettext_lazy("扣分"),
    Kind.COUNTED: gettext_lazy("计次扣分"),
    Kind.BONUSES: gettext_lazy("加分"),
}
VETO_EFFECT_LABELS = {
    "award_ineligible": gettext_lazy("取消评先评优资格（总分与等次不变）"),
    "grade": gettext_lazy("等次定为"),
    "zero": gettext_lazy("总分记为 0"),
}
HUNDRED = Decimal(100)


@dataclass
class YearUse:
    year: object  # AssessmentYear
    subject_kind: str
    version_number: int


@dataclass
class SchemeRow:
    scheme: Scheme
    latest_number: int | None
    uses: list[YearUse] = field(default_factory=list)


@dataclass(frozen=True)
class PresetInfo:
    name: str
    title: str
    source: str


def schemes_for(access: Access) -> QuerySet[Scheme]:
    return Scheme.objects.filter(org=access.org)


def scheme_get(access: Access, scheme_id: int) -> Scheme:
    """The scheme if it belongs to the user's organisation, else 404 (no leak)."""
    return get_object_or_404(schemes_for(access), pk=scheme_id)


def scheme_list(access: Access) -> list[SchemeRow]:
    """Every scheme of the organisation with its latest version and the years using it.

    Two queries however many schemes and years there are.
    """
    schemes = list(schemes_for(access).annotate(latest_number=Max("versions__number")))
    rows = {s.pk: SchemeRow(scheme=s, latest_number=s.latest_number) for s in schemes}
    uses = (
        YearScheme.objects.filter(scheme_version__scheme__org=access.org)
        .select_related("year", "scheme_version")
        .order_by("-year__year", "subject_kind")
    )
    for use in uses:
        row = rows.get(use.scheme_version.scheme_id)
        if row is not None:
            row.uses.append(
                YearUse(use.year, use.get_subject_kind_display(), use.scheme_version.number)
            )
    return list(rows.values())


def preset_list() -> list[PresetInfo]:
    """The shipped presets with their scheme name and the document each implements."""
    result = []
    for name in presets.names():
        scheme = presets.load(name)
        result.append(PresetInfo(name=name, title=scheme.name, source=scheme.source))
    return result


def scheme_version_get(scheme: Scheme, number: int | None = None) -> SchemeVersion:
    """A version by number, or the latest; 404 when there is none."""
    versions = scheme.versions.all()
    if number is None:
        version = versions.order_by("-number").first()
        if version is None:
            raise Http404(_("该方案没有版本"))
        return version
    return get_object_or_404(versions, number=number)


@dataclass
class VersionRow:
    version: SchemeVersion
    uses: list[YearUse]


def scheme_version_history(scheme: Scheme) -> list[VersionRow]:
    """Versions newest first, each with the years that pinned it (two queries)."""
    versions = list(scheme.versions.select_related("created_by").order_by("-number"))
    uses: dict[int, list[YearUse]] = {v.pk: [] for v in versions}
    pins = (
        YearScheme.objects.filter(scheme_version__scheme=scheme)
        .select_related("year", "scheme_version")
        .order_by("-year__year", "subject_kind")
    )
    for pin in pins:
        uses[pin.scheme_version_id].append(
            YearUse(pin.year, pin.get_subject_kind_display(), pin.scheme_version.number)
        )
    return [VersionRow(version=v, uses=uses[v.pk]) for v in versions]


def version_choices(access: Access) -> list[tuple[Scheme, list[SchemeVersion]]]:
    """Every version of every scheme of the organisation, for picking a year's schemes."""
    versions = (
        SchemeVersion.objects.filter(scheme__org=access.org)
        .select_related("scheme")
        .order_by("scheme__code", "-number")
    )
    grouped: dict[int, tuple[Scheme, list[SchemeVersion]]] = {}
    for version in versions:
        grouped.setdefault(version.scheme_id, (version.scheme, []))[1].append(version)
    return list(grouped.values())


# -- the indicator tree -------------------------------------------------------------


@dataclass
class TreeRow:
    node: Node
    depth: int
    kind_label: str
    caps: list[str]
    generated: bool  # a part generated by a split node: its weight lives in `parts`


def _plain(value: Decimal | None) -> str:
    if value is None:
        return ""
    text = format(value.normalize(), "f")
    return text


def node_caps(node: Node) -> list[str]:
    """The limits of a node in words a scorer reads."""
    caps = []
    if node.kind is Kind.SCORE and (node.min != 0 or node.max != HUNDRED):
        caps.append(_("分值 %(min)s–%(max)s") % {"min": _plain(node.min), "max": _plain(node.max)})
    if node.base is not None:
        caps.append(_("基础分 %(points)s") % {"points": _plain(node.base)})
    if node.per is not None:
        caps.append(_("每次 %(points)s 分") % {"points": _plain(node.per)})
    if node.item_cap is not None:
        caps.append(_("单项最多 %(points)s 分") % {"points": _plain(node.item_cap)})
    if node.cap is not None:
        caps.append(_("最多 %(points)s 分") % {"points": _plain(node.cap)})
    if node.kind is Kind.COUPLED and node.share is not None:
        caps.append(_("本人占 %(percent)s%%") % {"percent": _plain(node.share * 100)})
    return caps


def scheme_tree(parsed: EngineScheme) -> list[TreeRow]:
    rows = []
    for node, depth in parsed.walk():
        parent = parsed.nodes.get(node.parent) if node.parent else None
        generated = parent is not None and parent.kind is Kind.SPLIT
        rows.append(
            TreeRow(
                node=node,
                depth=depth,
                kind_label=KIND_LABELS.get(node.kind, str(node.kind)),
                caps=node_caps(node),
                generated=generated,
            )
        )
    return rows


# -- the weight editor ----------------------------------------------------------------


@dataclass
class WeightChild:
    node: Node
    value: str  # as typed (or as in the file)
    error: str = ""
    editable: bool = True


@dataclass
class WeightGroup:
    """A weighted parent and its weighted children: the unit whose weights sum to 100."""

    parent: Node
    depth: int
    children: list[WeightChild]
    total: Decimal | None = None  # of the required (non-optional) children
    optional_total: Decimal = Decimal(0)

    @property
    def ok(self) -> bool:
        return self.total == HUNDRED

    @property
    def total_text(self) -> str:
        return _plain(self.total) if self.total is not None else "?"

    @property
    def optional_text(self) -> str:
        return _plain(self.optional_total)


@dataclass
class WeightPreview:
    groups: list[WeightGroup]
    weights: dict[str, Decimal]  # the editable weights, as parsed
    problems: list[Problem]  # the engine's verdict on the rewritten text
    text: str | None  # the rewritten text, None when an input is not a number

    @property
    def ok(self) -> bool:
        return self.text is not None and not self.problems and all(g.ok for g in self.groups)

    @property
    def bad_groups(self) -> list[WeightGroup]:
        return [g for g in self.groups if not g.ok]


def weight_field(node_id: str) -> str:
    return f"w:{node_id}"


def weight_preview(version: SchemeVersion, data=None) -> WeightPreview:
    """Sum each weighted parent's children as typed, and ask the engine about the result.

    ``data`` is the submitted form (``w:<node id>`` → number); without it the
    weights of the version are shown. Nothing is saved.
    """
    from jixiao.schemes.services import weights_rewrite_text

    parsed = version.parsed()
    groups: list[WeightGroup] = []
    weights: dict[str, Decimal] = {}
    all_numbers = True
    for node, depth in parsed.walk():
        if node.kind not in (Kind.WEIGHTED, Kind.SPLIT):
            continue
        children = []
        total = Decimal(0)
        optional_total = Decimal(0)
        for child_id in node.children:
            child = parsed.nodes[child_id]
            if child.weight is None:
                continue  # an adjustment: its points are added or taken, no weight
            editable = node.kind is not Kind.SPLIT
            raw = _plain(child.weight)
            if editable and data is not None:
                raw = str(data.get(weight_field(child.id), raw)).strip()
            entry = WeightChild(node=child, value=raw, editable=editable)
            try:
                value = Decimal(raw)
                if not value.is_finite() or value < 0:
                    raise InvalidOperation
            except InvalidOperation:
                entry.error = _("请输入不小于 0 的数字")
                all_numbers = False
                value = None
            if value is not None:
                if editable:
                    weights[child.id] = value
                if child.optional:
                    optional_total += value
                else:
                    total += value
            children.append(entry)
        if not children:
            continue
        has_error = any(c.error for c in children)
        groups.append(
            WeightGroup(
                parent=node,
                depth=depth,
                children=children,
                total=None if has_error else total,
                optional_total=optional_total,
            )
        )
    text = None
    problems: list[Problem] = []
    if all_numbers:
        text = weights_rewrite_text(version.source_text, parsed, weights)
        try:
            load_scheme_text(text, source=version.scheme.code)
        except SchemeError as exc:
            problems = exc.problems
    return WeightPreview(groups=groups, weights=weights, problems=problems, text=text)
