"""看板 pages: who may see which dashboard, the figures in the fallback tables, the drill-down
to evidence, the locally served ECharts, and a query count on the overview."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse

import jixiao
from jixiao.assessments.models import Subject
from jixiao.organisation.models import UnitKind
from jixiao.organisation.services import unit_create
from jixiao.web.assets import ECHARTS, is_installed
from tests.dashboards.world import add_targets, build_world

INDEX = "/dashboards/"


@pytest.fixture
def world(cast):
    return build_world(cast)


def as_user(client: Client, user) -> Client:
    client.force_login(user)
    return client


def unit_url(unit) -> str:
    return reverse("dashboards:unit", args=[unit.pk])


def person_url(person) -> str:
    return reverse("dashboards:person", args=[person.pk])


def subject_url(subject) -> str:
    return reverse("dashboards:subject", args=[subject.pk])


# --- the overview and where each user lands ----------------------------------------


@pytest.mark.parametrize("role", ["office", "leader"])
def test_readers_get_the_overview_with_every_unit(client: Client, cast, world, role) -> None:
    response = as_user(client, getattr(cast, role)).get(INDEX)
    html = response.content.decode()
    assert response.status_code == 200
    assert "全部单位总览" in html and "第二季度 · 科室/站所/村居" in html
    for subject in (world.village_q2, world.other_q2):
        assert f'href="{subject_url(subject)}">{subject.total}</a>' in html
    assert f'href="{unit_url(cast.section)}?year={world.year.pk}"' in html
    assert "10.00" not in html  # Q3 is under review
    assert 'href="/results/" class="current"' in html  # the 结果 step


@pytest.mark.parametrize(
    ("role", "target"),
    [("head", "section"), ("cadre", "cadre_person"), ("handler", "handler_person")],
)
def test_others_are_sent_to_their_own_board(client: Client, cast, world, role, target) -> None:
    response = as_user(client, getattr(cast, role)).get(INDEX)
    owner = getattr(cast, target)
    expected = unit_url(owner) if role == "head" else person_url(owner)
    assert response.status_code == 302 and response["Location"] == expected


def test_no_role_is_403_and_anonymous_logs_in(client: Client, cast) -> None:
    assert client.get(INDEX).status_code == 302
    assert as_user(client, cast.nobody).get(INDEX).status_code == 403


def test_overview_query_count_does_not_grow_with_units(
    client: Client, cast, world, django_assert_max_num_queries
) -> None:
    client = as_user(client, cast.leader)
    client.get(INDEX)  # warm the scheme parser cache
    with django_assert_max_num_queries(12) as few:
        client.get(INDEX)
    for i in range(8):
        unit = unit_create(name=f"新村{i}", kind=UnitKind.VILLAGE, code=f"n{i}", parent=cast.org)
        Subject.objects.create(assessment=world.q2, unit=unit, total=f"7{i}.00", grade="一般")
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = client.get(INDEX).content.decode()
    assert "新村7" in html


# --- a unit's and a person's board -------------------------------------------------


def test_unit_board_shows_each_chart_with_its_table(client: Client, cast, world) -> None:
    add_targets(cast, world.year)
    html = as_user(client, cast.leader).get(unit_url(cast.village)).content.decode()
    for chart in ("trend", "radar", "grades", "progress", "deductions"):
        assert f'data-source="chart-{chart}"' in html
        assert f'<script id="chart-{chart}" type="application/json">' in html
    # Fallback tables: the trend with the average, the radar, the ledger by month.
    assert re.search(r"第一季度</td>\s*<td[^>]*><a [^>]*>90.00</a>", html)
    assert "80.17" in html and "公众评议" in html and "70.00" in html
    assert '<td>3月</td><td class="num">2</td><td class="num">1.50</td>' in html
    assert "/static/vendor/echarts/echarts.min.js" in html and "/static/jixiao/charts.js" in html
    assert '<span class="badge bad">逾期</span>' in html and "目标V2" in html


def test_head_sees_own_unit_only(client: Client, cast, world) -> None:
    client = as_user(client, cast.head)
    assert client.get(unit_url(cast.section)).status_code == 200
    assert client.get(unit_url(cast.village)).status_code == 403
    # A person of the head's section, yes; one elsewhere, no.
    assert client.get(person_url(cast.handler_person)).status_code == 200
    assert client.get(person_url(cast.cadre_person)).status_code == 403


def test_cadre_sees_own_person_board_only(client: Client, cast, world) -> None:
    client = as_user(client, cast.cadre)
    html = client.get(person_url(cast.cadre_person)).content.decode()
    assert "88.10" in html and "90.05" in html  # own total and the average
    assert client.get(person_url(cast.handler_person)).status_code == 403
    assert client.get(unit_url(cast.village)).status_code == 403
    # The year travels with the redirect; another organisation's year is then a 404.
    response = client.get(INDEX, {"year": world.year.pk})
    assert response["Location"] == f"{person_url(cast.cadre_person)}?year={world.year.pk}"
    assert client.get(response["Location"]).status_code == 200
    assert client.get(person_url(cast.cadre_person), {"year": 999999}).status_code == 404


def test_outsider_gets_404(client: Client, cast, world) -> None:
    client = as_user(client, cast.outsider)
    assert client.get(unit_url(cast.village)).status_code == 404
    assert client.get(person_url(cast.cadre_person)).status_code == 404
    assert client.get(subject_url(world.village_q2)).status_code == 404
    assert client.get(INDEX, {"year": world.year.pk}).status_code == 404


# --- drill-down: why 85.00 ---------------------------------------------------------


def test_drilldown_shows_the_tree_and_links_the_evidence(client: Client, cast, world) -> None:
    html = as_user(client, cast.leader).get(subject_url(world.village_q2)).content.decode()
    assert "为什么是 85.00 分：白莲村" in html
    assert "改善民生" in html and "值班人员脱岗" in html
    assert f'href="{reverse("evidence:inline", args=[world.evidence.pk])}"' in html
    assert "3月10日现场照片" in html
    assert f'href="{reverse("inspections:ledger", args=[cast.village.pk])}"' in html
    assert "察访核验#999999" in html  # a reference without a row is still shown, unlinked


def test_drilldown_permissions(client: Client, cast, world) -> None:
    assert as_user(client, cast.cadre).get(subject_url(world.village_q2)).status_code == 403
    assert client.get(subject_url(world.cadre_q1)).status_code == 200
    assert as_user(client, cast.head).get(subject_url(world.section_q2)).status_code == 200
    # Under review: not published, so not there, for anyone.
    q3 = world.q3.subjects.get()
    assert as_user(client, cast.office).get(subject_url(q3)).status_code == 404


def test_results_page_links_the_dashboard(client: Client, cast, world) -> None:
    html = as_user(client, cast.cadre).get("/results/").content.decode()
    assert f'href="{INDEX}?year={world.year.pk}"' in html


# --- assets ------------------------------------------------------------------------


def test_echarts_is_installed_and_served_by_the_app(client: Client, settings) -> None:
    assert is_installed(ECHARTS), "run: python -m jixiao.web.assets"
    assert finders.find("vendor/echarts/echarts.min.js")
    # The demo serves collected files; finders give whitenoise the same files in a test.
    settings.WHITENOISE_USE_FINDERS = True
    response = client.get("/static/vendor/echarts/echarts.min.js")
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert hashlib.sha256(body).hexdigest() == ECHARTS.files["package/dist/echarts.min.js"][1]
    assert client.get("/static/jixiao/charts.js").status_code == 200


EXTERNAL = re.compile(
    r"<(?:script|link|img|iframe)\b[^>]*(?:src|href)\s*=\s*[\"']?(?:https?:)?//", re.I
)


def test_no_template_loads_anything_from_another_host() -> None:
    root = Path(jixiao.__file__).parent
    templates = list(root.rglob("templates/**/*.html"))
    assert len(templates) > 20
    offenders = [str(p) for p in templates if EXTERNAL.search(p.read_text(encoding="utf-8"))]
    assert offenders == []
    assert not EXTERNAL.search('<script src="/static/x.js"></script>')
    assert EXTERNAL.search('<script src="https://cdn.example/echarts.js"></script>')


# --- rectification tracked on the boards ---------------------------------------------


def test_rectification_items_show_on_the_overview_and_the_units_board(
    client: Client, cast, world
) -> None:
    from datetime import date

    from jixiao.rectification.services import rectification_from_inspection

    item = rectification_from_inspection(
        actor=cast.office,
        inspection=world.march,
        owner=cast.cadre_person,
        deadline=date(2025, 4, 30),
    )
    client = as_user(client, cast.leader)
    html = client.get(INDEX).content.decode()
    detail = reverse("rectification:detail", args=[item.pk])
    assert "未销号 <strong>1</strong> 项" in html and f'href="{detail}"' in html
    assert "逾期 <strong>1</strong> 项" in html  # due 30 April 2025, long past
    assert f'href="{detail}"' in client.get(unit_url(cast.village)).content.decode()
    other = client.get(unit_url(cast.section)).content.decode()
    assert f'href="{detail}"' not in other and "本年度没有整改事项" in other
