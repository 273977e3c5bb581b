"""Excel sheets for units and people, and what importing one of their rows means.

Rows are matched by code within the organisation (unit 编码, person 工号); every
write goes through the services, so an unchanged row writes and audits nothing
and importing the same file twice changes nothing the second time.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from functools import partial

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from jixiao.audit.services import audit_record
from jixiao.organisation.access import Access
from jixiao.organisation.models import Person, Unit, UnitKind
from jixiao.organisation.services import person_create, person_update, unit_create, unit_update
from jixiao.spreadsheets import (
    Column,
    ImportReport,
    ParsedRow,
    RowResult,
    Sheet,
    Status,
    labelled,
    read_sheet,
    run_import,
)
from jixiao.spreadsheets.columns import choice, integer, text

# Fixed Chinese labels: a file exported in any UI language must import again.
KIND_LABELS = {
    "科室": UnitKind.SECTION.value,
    "站所": UnitKind.STATION.value,
    "村": UnitKind.VILLAGE.value,
    "居委会": UnitKind.COMMITTEE.value,
}
KIND_NAMES = {value: label for label, value in KIND_LABELS.items()}


def _parent_code(unit: Unit) -> str:
    return "" if unit.parent_id == unit.org_id else unit.parent.code


UNIT_SHEET = Sheet(
    title="单位",
    columns=(
        Column(
            "编码",
            "code",
            get=lambda u: u.code,
            parse=text(50),
            required=True,
            example="jjfz",
            help="单位在本乡镇（部门）内的唯一编码。再次导入时按编码找到已有单位并更新。",
        ),
        Column(
            "名称",
            "name",
            get=lambda u: u.name,
            parse=text(100),
            required=True,
            example="经济发展办",
        ),
        Column(
            "类型",
            "kind",
            get=lambda u: KIND_NAMES.get(u.kind, u.kind),
            parse=choice(KIND_LABELS),
            required=True,
            example="科室",
            help="科室、站所、村或居委会。",
        ),
        Column(
            "上级编码",
            "parent",
            get=_parent_code,
            parse=text(50),
            example="",
            help="上级单位的编码；留空表示直属本乡镇（部门）。上级单位可以写在本表后面的行。",
        ),
        Column(
            "排序",
            "sort",
            get=lambda u: u.sort,
            parse=integer(0),
            example=10,
            help="数字小的排在前面；留空为 0。",
        ),
    ),
)

PERSON_SHEET = Sheet(
    title="人员",
    columns=(
        Column(
            "工号",
            "code",
            get=lambda p: p.code,
            parse=text(50),
            required=True,
            example="p001",
            help="人员在本乡镇（部门）内的唯一编号。再次导入时按工号找到已有人员并更新。",
        ),
        Column("姓名", "name", get=lambda p: p.name, parse=text(50), required=True, example="张伟"),
        Column("职务", "post", get=lambda p: p.post, parse=text(100), example="主任"),
        Column(
            "所在单位编码",
            "unit",
            get=lambda p: p.unit.code,
            parse=text(50),
            required=True,
            example="jjfz",
            help="人员所在单位的编码（见单位表）；直属本乡镇（部门）的人员填本乡镇（部门）的编码。",
        ),
        Column(
            "登录账号",
            "username",
            get=lambda p: p.user.get_username() if p.user_id else "",
            parse=text(150),
            example="",
            help="选填：已有登录账号的用户名，用于关联账号；留空则不改变已关联的账号。",
        ),
    ),
)


def units_for_export(access: Access) -> QuerySet[Unit]:
    return (
        access.units().exclude(pk=access.org.pk).select_related("parent").order_by("sort", "code")
    )


def people_for_export(access: Access) -> QuerySet[Person]:
    return (
        access.people().select_related("unit", "user").order_by("unit__sort", "unit__code", "code")
    )


# --- shared import helpers -----------------------------------------------------


def error_messages(exc: ValidationError, headers: dict[str, str]) -> list[str]:
    """A service's ValidationError as messages naming the column."""
    if not hasattr(exc, "error_dict"):
        return list(exc.messages)
    return [
        labelled(headers.get(field, field), message)
        for field, errors in exc.message_dict.items()
        for message in errors
    ]


def first_rows_by_code(
    rows: list[ParsedRow], results: dict[int, RowResult], *, header: str
) -> dict[str, ParsedRow]:
    """Rows without cell errors by code; parse errors and duplicate codes become row errors."""
    by_code: dict[str, ParsedRow] = {}
    for row in rows:
        code = row.get("code", "")
        if row.errors:
            results[row.number] = RowResult(row.number, code, Status.ERROR, list(row.errors))
        elif code in by_code:
            message = labelled(
                header,
                _("%(code)s 与第 %(row)s 行重复") % {"code": code, "row": by_code[code].number},
            )
            results[row.number] = RowResult(row.number, code, Status.ERROR, [message])
        else:
            by_code[code] = row
    return by_code


def apply_row(
    row: ParsedRow,
    results: dict[int, RowResult],
    headers: dict[str, str],
    write: Callable[[], Status],
) -> bool:
    """Run one row's writes in a savepoint; a ValidationError becomes the row's error."""
    code = row.get("code", "")
    try:
        with transaction.atomic():
            status = write()
    except ValidationError as exc:
        results[row.number] = RowResult(
            row.number, code, Status.ERROR, error_messages(exc, headers)
        )
        return False
    results[row.number] = RowResult(row.number, code, status)
    return True


def no_unit_message(code: str) -> str:
    return _("本单位下没有编码为 %(code)s 的单位") % {"code": code}


def audit_import(*, actor, org: Unit, what: str, action: str) -> Callable[[ImportReport], None]:
    def record(report: ImportReport) -> None:
        counts = report.counts
        audit_record(
            actor=actor,
            action=action,
            object_type="spreadsheets.import",
            org=org,
            summary=f"导入{what}：新增 {counts[Status.CREATED]}，更新 {counts[Status.UPDATED]}",
            after=counts,
        )

    return record


# --- units ---------------------------------------------------------------------

UNIT_HEADERS = {c.key: c.header for c in UNIT_SHEET.columns}


def import_units(*, actor, org: Unit, data: bytes, dry_run: bool = True) -> ImportReport:
    """Import units into ``org``; raises SheetFileError when the file cannot be read."""
    rows, warnings = read_sheet(data, UNIT_SHEET)
    return run_import(
        rows,
        lambda rows: _process_units(rows, actor=actor, org=org),
        dry_run=dry_run,
        warnings=warnings,
        on_applied=audit_import(actor=actor, org=org, what="单位", action="import.units"),
    )


def _process_units(rows: list[ParsedRow], *, actor, org: Unit) -> list[RowResult]:
    existing = {
        u.code: u for u in Unit.objects.filter(org=org).exclude(pk=org.pk).select_related("parent")
    }
    results: dict[int, RowResult] = {}
    for row in rows:
        if not row.errors and row.get("code") == org.code:
            row.errors.append(
                labelled(
                    UNIT_HEADERS["code"],
                    _("%(code)s 是%(org)s本身的编码，不能作为下属单位导入")
                    % {"code": org.code, "org": org.name},
                )
            )
    by_code = first_rows_by_code(rows, results, header=UNIT_HEADERS["code"])
    # Codes whose row failed, with its row number: their children fail too.
    failed = {r.get("code", ""): r.number for r in rows if r.errors and r.get("code")}

    def parent_of(row: ParsedRow) -> str:
        if not row.has("parent"):
            unit = existing.get(row.get("code"))
            return _parent_code(unit) if unit else ""
        code = row.get("parent")
        return "" if code == org.code else code

    # Parents first: a parent may appear later in the file (each unit has one parent,
    # so this is a breadth-first walk from the rows whose parent is not in the file).
    children: dict[str, list[str]] = {}
    queue = deque()
    for code, row in by_code.items():
        parent = parent_of(row)
        if parent in by_code:
            children.setdefault(parent, []).append(code)
        else:
            queue.append(code)
    order = []
    while queue:
        code = queue.popleft()
        order.append(code)
        queue.extend(children.get(code, []))
    for code in sorted(by_code.keys() - set(order), key=lambda c: by_code[c].number):
        row = by_code[code]
        chain, seen = [code], parent_of(row)
        while seen not in chain:
            chain.append(seen)
            seen = parent_of(by_code[seen])
        cycle = " → ".join([*chain[chain.index(seen) :], seen])
        message = labelled(
            UNIT_HEADERS["parent"], _("上下级关系形成循环（%(cycle)s）") % {"cycle": cycle}
        )
        results[row.number] = RowResult(row.number, code, Status.ERROR, [message])
        failed[code] = row.number

    for code in order:
        row = by_code[code]
        parent_code = parent_of(row)
        if parent_code in failed:
            message = labelled(
                UNIT_HEADERS["parent"],
                _("上级单位 %(code)s 所在的第 %(row)s 行有错误")
                % {"code": parent_code, "row": failed[parent_code]},
            )
            results[row.number] = RowResult(row.number, code, Status.ERROR, [message])
            failed[code] = row.number
            continue
        parent = org if parent_code == "" else existing.get(parent_code)
        if parent is None:
            message = labelled(UNIT_HEADERS["parent"], no_unit_message(parent_code))
            results[row.number] = RowResult(row.number, code, Status.ERROR, [message])
            failed[code] = row.number
            continue
        if not apply_row(
            row, results, UNIT_HEADERS, partial(_write_unit, row, parent, existing, actor)
        ):
            failed[code] = row.number
    return list(results.values())


def _write_unit(row: ParsedRow, parent: Unit, existing: dict[str, Unit], actor) -> Status:
    code = row.get("code")
    sort = row.get("sort") or 0
    unit = existing.get(code)
    if unit is None:
        existing[code] = unit_create(
            name=row.get("name"),
            kind=row.get("kind"),
            code=code,
            parent=parent,
            sort=sort,
            actor=actor,
        )
        return Status.CREATED
    wanted = {"name": row.get("name"), "kind": row.get("kind"), "parent": parent}
    if row.has("sort"):
        wanted["sort"] = sort
    changes = {
        field: value
        for field, value in wanted.items()
        if (value.pk != unit.parent_id if field == "parent" else getattr(unit, field) != value)
    }
    if not changes:
        return Status.UNCHANGED
    unit_update(actor=actor, unit=unit, **changes)
    return Status.UPDATED


# --- people --------------------------------------------------------------------

PERSON_HEADERS = {c.key: c.header for c in PERSON_SHEET.columns}


def import_people(*, actor, org: Unit, data: bytes, dry_run: bool = True) -> ImportReport:
    """Import people into ``org``; raises SheetFileError when the file cannot be read."""
    rows, warnings = read_sheet(data, PERSON_SHEET)
    return run_import(
        rows,
        lambda rows: _process_people(rows, actor=actor, org=org),
        dry_run=dry_run,
        warnings=warnings,
        on_applied=audit_import(actor=actor, org=org, what="人员", action="import.people"),
    )


def _process_people(rows: list[ParsedRow], *, actor, org: Unit) -> list[RowResult]:
    results: dict[int, RowResult] = {}
    by_code = first_rows_by_code(rows, results, header=PERSON_HEADERS["code"])
    existing = {p.code: p for p in Person.objects.filter(org=org).select_related("unit", "user")}
    units = {u.code: u for u in Unit.objects.filter(org=org)}
    usernames = {row.get("username") for row in by_code.values() if row.get("username")}
    users = {u.get_username(): u for u in get_user_model().objects.filter(username__in=usernames)}
    holders = {p.user_id: p for p in Person.objects.filter(user__in=users.values())}
    claimed: dict[str, int] = {}

    for code, row in by_code.items():
        messages = []
        unit = units.get(row.get("unit"))
        if unit is None:
            messages.append(labelled(PERSON_HEADERS["unit"], no_unit_message(row.get("unit"))))
        username = row.get("username", "")
        user = users.get(username) if username else None
        if username:
            holder = user and holders.get(user.pk)
            if user is None:
                message = _("没有用户名为 %(username)s 的账号") % {"username": username}
                messages.append(labelled(PERSON_HEADERS["username"], message))
            elif username in claimed:
                message = _("%(code)s 与第 %(row)s 行重复") % {
                    "code": username,
                    "row": claimed[username],
                }
                messages.append(labelled(PERSON_HEADERS["username"], message))
            elif holder and holder.code != code:
                if holder.org_id == org.pk:
                    message = _("%(username)s 已关联人员 %(code)s %(name)s") % {
                        "username": username,
                        "code": holder.code,
                        "name": holder.name,
                    }
                else:
                    message = _("%(username)s 已关联其他单位的人员") % {"username": username}
                messages.append(labelled(PERSON_HEADERS["username"], message))
            else:
                claimed[username] = row.number
        if messages:
            results[row.number] = RowResult(row.number, code, Status.ERROR, messages)
            continue
        apply_row(
            row, results, PERSON_HEADERS, partial(_write_person, row, unit, user, existing, actor)
        )
    return list(results.values())


def _write_person(row: ParsedRow, unit: Unit, user, existing: dict[str, Person], actor) -> Status:
    code = row.get("code")
    person = existing.get(code)
    if person is None:
        existing[code] = person_create(
            unit=unit,
            name=row.get("name"),
            code=code,
            post=row.get("post", ""),
            user=user,
            actor=actor,
        )
        return Status.CREATED
    changes = {}
    if person.name != row.get("name"):
        changes["name"] = row.get("name")
    if row.has("post") and person.post != row.get("post"):
        changes["post"] = row.get("post")
    if person.unit_id != unit.pk:
        changes["unit"] = unit
    if user is not None and person.user_id != user.pk:
        changes["user"] = user
    if not changes:
        return Status.UNCHANGED
    person_update(actor=actor, person=person, **changes)
    return Status.UPDATED
