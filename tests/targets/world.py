"""Targets for the cast: one per kind of visibility, and one in the other township."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from jixiao.organisation.models import Person, Role
from jixiao.organisation.services import person_create, role_grant
from jixiao.targets.models import Responsibility, Target
from jixiao.targets.services import target_assign, target_create
from jixiao.years.models import AssessmentYear, SubjectKind
from jixiao.years.services import year_setup
from tests.cast import Cast, make_user


@dataclass
class World:
    year: AssessmentYear
    other_year: AssessmentYear
    a01: Target  # the head's section; leader, head and handler assigned
    a02: Target  # the head's section; nobody assigned
    b01: Target  # other section; the supervisor and other_person assigned
    c01: Target  # the village; the cadre assigned
    y01: Target  # 杨河乡's own target
    supervisor: object  # a user who is 分管领导 in 白莲镇
    supervisor_person: Person


def build_world(cast: Cast) -> World:
    year = year_setup(
        actor=cast.office,
        org=cast.org,
        year=2024,
        choices={SubjectKind.ORGANISATION: "bailian-town", SubjectKind.PERSON: "town-cadre"},
    )
    other_year = year_setup(
        actor=cast.outsider,
        org=cast.other_org,
        year=2024,
        choices={SubjectKind.ORGANISATION: "bailian-town"},
    )
    supervisor = make_user("sup", "孙", "强")
    role_grant(actor=None, user=supervisor, org=cast.org, role=Role.SUPERVISING_LEADER, unit=None)
    supervisor_person = person_create(
        unit=cast.org, name="孙强", code="p006", post="副镇长", user=supervisor
    )

    def make(code: str, title: str, unit, **extra) -> Target:
        return target_create(
            actor=cast.office, year=year, code=code, title=title, unit=unit, **extra
        )

    a01 = make(
        "A01",
        "全年完成固定资产投资1.5亿元",
        cast.section,
        measures="建立项目台账，实行旬调度、月通报",
        deadline=date(2024, 12, 31),
        expected_result="重点项目按期开工",
        target_value=Decimal("1.5"),
        measure_unit="亿元",
        weight=Decimal("10"),
        indicator="indicators.sustainable",
    )
    a02 = make("A02", "新增市场主体120户", cast.section, weight=Decimal("5"))
    b01 = make("B01", "城乡居民医保参保率达到98%", cast.other_section, weight=Decimal("8"))
    c01 = make("C01", "农村人居环境整治", cast.village, weight=Decimal("6"))
    y01 = target_create(
        actor=cast.outsider,
        year=other_year,
        code="Y01",
        title="杨河乡的目标",
        unit=cast.other_org,
    )
    for target, person, responsibility in (
        (a01, cast.leader_person, Responsibility.PRINCIPAL_LEADER),
        (a01, supervisor_person, Responsibility.SUPERVISING_LEADER),
        (a01, cast.head_person, Responsibility.SECTION_HEAD),
        (a01, cast.handler_person, Responsibility.HANDLER),
        (b01, supervisor_person, Responsibility.SUPERVISING_LEADER),
        (b01, cast.other_person, Responsibility.HANDLER),
        (c01, cast.cadre_person, Responsibility.HANDLER),
    ):
        target_assign(
            actor=cast.office, target=target, person=person, responsibility=responsibility
        )
    return World(
        year=year,
        other_year=other_year,
        a01=a01,
        a02=a02,
        b01=b01,
        c01=c01,
        y01=y01,
        supervisor=supervisor,
        supervisor_person=supervisor_person,
    )
