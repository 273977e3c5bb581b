"""方案 pages: everyone in the organisation reads, only the office writes, outsiders see nothing."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from jixiao.engine import presets
from jixiao.schemes.models import Scheme, SchemeVersion
from jixiao.schemes.services import scheme_create_from_preset, scheme_version_save
from jixiao.years.services import year_setup

BAILIAN = presets.text("bailian-town")
READERS = ["office", "leader", "head", "handler", "cadre"]
NOT_OFFICE = ["leader", "head", "handler", "cadre"]


@pytest.fixture
def scheme(cast) -> Scheme:
    return scheme_create_from_preset(actor=cast.office, org=cast.org, preset="bailian-town")


def as_user(client: Client, user) -> Client:
    client.force_login(user)
    return client


# -- list and create --------------------------------------------------------------


@pytest.mark.parametrize("name", ["schemes:list", "years:list"])
def test_anonymous_is_sent_to_login(client: Client, db, name) -> None:
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_anonymous_cannot_open_a_scheme(client: Client, scheme) -> None:
    for name in ("schemes:detail", "schemes:edit", "schemes:weights"):
        response = client.get(reverse(name, args=[scheme.pk]))
        assert response.status_code == 302, name
        assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("role", READERS)
def test_members_read_the_list(client: Client, cast, scheme, role) -> None:
    response = as_user(client, getattr(cast, role)).get(reverse("schemes:list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "白莲镇政府绩效管理实施方案" in html
    assert "第 1 版" in html
    # Only the office sees the form that creates schemes.
    assert ('action="/schemes/create/"' in html) == (role == "office")


def test_office_sees_every_preset_with_its_source(client: Client, cast) -> None:
    html = as_user(client, cast.office).get(reverse("schemes:list")).content.decode()
    for name in presets.names():
        scheme = presets.load(name)
        assert f'value="{name}"' in html
        assert scheme.name in html
    assert "002 篇四" in html  # hami-transport's source document


def test_outsider_does_not_see_the_orgs_schemes(client: Client, cast, scheme) -> None:
    # A name only this organisation's scheme has (the preset's name is public).
    text = BAILIAN.replace('name = "白莲镇政府绩效管理实施方案"', 'name = "白莲镇二〇二五专用方案"')
    scheme_version_save(actor=cast.office, scheme=scheme, source_text=text)
    html = as_user(client, cast.office).get(reverse("schemes:list")).content.decode()
    assert "白莲镇二〇二五专用方案" in html
    html = as_user(client, cast.outsider).get(reverse("schemes:list")).content.decode()
    assert "白莲镇二〇二五专用方案" not in html
    assert f"/schemes/{scheme.pk}/" not in html
    assert "尚无考核方案" in html


def test_user_without_role_gets_403(client: Client, cast) -> None:
    assert as_user(client, cast.nobody).get(reverse("schemes:list")).status_code == 403


def test_office_creates_a_scheme_from_a_preset(client: Client, cast) -> None:
    response = as_user(client, cast.office).post(
        reverse("schemes:create"), {"preset": "hami-transport"}
    )
    scheme = Scheme.objects.get(org=cast.org, code="hami-transport")
    assert response.status_code == 302
    assert response["Location"] == reverse("schemes:detail", args=[scheme.pk])
    assert scheme.versions.get().number == 1


@pytest.mark.parametrize("role", NOT_OFFICE)
def test_others_may_not_create_schemes(client: Client, cast, role) -> None:
    response = as_user(client, getattr(cast, role)).post(
        reverse("schemes:create"), {"preset": "hami-transport"}
    )
    assert response.status_code == 403
    assert not Scheme.objects.exists()


def test_unknown_preset_is_an_error_message(client: Client, cast) -> None:
    response = as_user(client, cast.office).post(
        reverse("schemes:create"), {"preset": "nope"}, follow=True
    )
    assert "没有名为 nope 的预设方案" in response.content.decode()
    assert not Scheme.objects.exists()


def test_scheme_list_query_count(client: Client, cast, django_assert_max_num_queries) -> None:
    for name in ("bailian-town", "hami-transport", "town-cadre", "water-bureau"):
        scheme_create_from_preset(actor=cast.office, org=cast.org, preset=name)
    for year in (2024, 2025, 2026):
        year_setup(
            actor=cast.office,
            org=cast.org,
            year=year,
            choices={
                "organisation": "bailian-town",
                "person": "town-cadre",
                "unit": "hami-transport",
            },
        )
    client.force_login(cast.cadre)
    # session + user + access (grants, person) + schemes + year pins: not one per scheme or year.
    with django_assert_max_num_queries(8):
        response = client.get(reverse("schemes:list"))
    assert response.content.decode().count("尚未被年度使用") == 1  # water-bureau only


# -- detail -----------------------------------------------------------------------


@pytest.mark.parametrize("role", READERS)
def test_members_read_the_indicator_tree(client: Client, cast, scheme, role) -> None:
    response = as_user(client, getattr(cast, role)).get(reverse("schemes:detail", args=[scheme.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    for text in ("指标考核", "可持续发展", "察访核验", "最多 3 分", "计生", "优", "版本历史"):
        assert text in html
    assert ("编辑方案文本" in html) == (role == "office")


def test_outsider_gets_404_for_the_scheme(client: Client, cast, scheme) -> None:
    client.force_login(cast.outsider)
    for name in ("schemes:detail", "schemes:edit", "schemes:weights"):
        assert client.get(reverse(name, args=[scheme.pk])).status_code == 404, name
    assert client.post(reverse("schemes:weights_preview", args=[scheme.pk])).status_code == 404


def test_detail_shows_a_chosen_version(client: Client, cast, scheme) -> None:
    changed = BAILIAN.replace('name = "公众评议"', 'name = "群众满意度"')
    SchemeVersion.objects.create(scheme=scheme, number=2, source_text=changed)
    client.force_login(cast.cadre)
    latest = client.get(reverse("schemes:detail", args=[scheme.pk])).content.decode()
    first = client.get(reverse("schemes:detail", args=[scheme.pk]) + "?version=1").content.decode()
    assert "群众满意度" in latest
    assert "群众满意度" not in first
    assert "<strong>第 1 版</strong>（当前查看）" in first
    missing = client.get(reverse("schemes:detail", args=[scheme.pk]) + "?version=9")
    assert missing.status_code == 404


# -- text editor ------------------------------------------------------------------


def test_office_opens_the_editor_with_the_latest_text(client: Client, cast, scheme) -> None:
    response = as_user(client, cast.office).get(reverse("schemes:edit", args=[scheme.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<textarea class="code"' in html
    assert "bailian-town" in html


@pytest.mark.parametrize("role", NOT_OFFICE)
def test_others_may_not_edit(client: Client, cast, scheme, role) -> None:
    client.force_login(getattr(cast, role))
    url = reverse("schemes:edit", args=[scheme.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"source_text": BAILIAN + "\n# x\n"}).status_code == 403
    assert scheme.versions.count() == 1


def test_saving_changed_text_makes_version_two(client: Client, cast, scheme) -> None:
    text = BAILIAN.replace("weight = 80", "weight = 70").replace(
        'kind = "score"\nweight = 20', 'kind = "score"\nweight = 30'
    )
    response = as_user(client, cast.office).post(
        reverse("schemes:edit", args=[scheme.pk]), {"source_text": text}, follow=True
    )
    assert "已保存为第 2 版" in response.content.decode()
    assert scheme.versions.get(number=2).source_text == text


def test_saving_unchanged_text_from_a_browser_makes_no_version(
    client: Client, cast, scheme
) -> None:
    # Browsers send textarea content with CRLF line ends.
    response = as_user(client, cast.office).post(
        reverse("schemes:edit", args=[scheme.pk]),
        {"source_text": BAILIAN.replace("\n", "\r\n")},
        follow=True,
    )
    assert "内容未改变，未生成新版本" in response.content.decode()
    assert scheme.versions.count() == 1


def test_invalid_text_is_shown_with_every_problem_beside_its_line(
    client: Client, cast, scheme
) -> None:
    bad = BAILIAN.replace("weight = 25  # default", "weight = -5  # default").replace(
        'kind = "deductions"', 'kind = "deduction"'
    )
    response = as_user(client, cast.office).post(
        reverse("schemes:edit", args=[scheme.pk]), {"source_text": bad}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "方案有 2 处问题，未保存" in html
    # The list at the top links to each line; the listing carries the message under it.
    assert '<a href="#line-38">第 38 行</a>' in html
    assert '<a href="#line-51">第 51 行</a>' in html
    assert '<tr id="line-38" class="bad">' in html
    assert '<tr id="line-51" class="bad">' in html
    assert '<tr id="line-37">' in html  # a line without a problem is not marked
    assert "↑ 第 38 行（indicators.governance）：weight must not be negative" in html
    assert "↑ 第 51 行（inspection）：unknown kind" in html
    # The text comes back for correcting, and nothing was saved.
    assert "weight = -5  # default" in html
    assert scheme.versions.count() == 1


def test_upload_a_toml_file(client: Client, cast, scheme) -> None:
    text = BAILIAN.replace("min = 90", "min = 92")
    upload = SimpleUploadedFile("方案.toml", text.encode("utf-8"), content_type="application/toml")
    response = as_user(client, cast.office).post(
        reverse("schemes:edit", args=[scheme.pk]), {"source_text": "", "source_file": upload}
    )
    assert response.status_code == 302
    assert scheme.versions.get(number=2).parsed().grades[0].min == 92


def test_upload_of_another_file_type_is_refused(client: Client, cast, scheme) -> None:
    upload = SimpleUploadedFile("方案.xlsx", b"PK\x03\x04")
    response = as_user(client, cast.office).post(
        reverse("schemes:edit", args=[scheme.pk]), {"source_text": "", "source_file": upload}
    )
    assert response.status_code == 400
    assert "请上传 .toml 格式的方案文件" in response.content.decode()
    assert scheme.versions.count() == 1


# -- weight editor ----------------------------------------------------------------


def weights(**overrides: str) -> dict[str, str]:
    data = {
        "w:indicators": "80",
        "w:public": "20",
        "w:indicators.sustainable": "40",
        "w:indicators.livelihood": "35",
        "w:indicators.governance": "25",
    }
    data.update({f"w:{key.replace('__', '.')}": value for key, value in overrides.items()})
    return data


def test_office_opens_the_weight_editor(client: Client, cast, scheme) -> None:
    response = as_user(client, cast.office).get(reverse("schemes:weights", args=[scheme.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="w:indicators.sustainable" value="40"' in html
    assert f'hx-post="/schemes/{scheme.pk}/weights/preview/"' in html
    assert "各组权重合计均为 100" in html


@pytest.mark.parametrize("role", NOT_OFFICE)
def test_others_may_not_use_the_weight_editor(client: Client, cast, scheme, role) -> None:
    client.force_login(getattr(cast, role))
    assert client.get(reverse("schemes:weights", args=[scheme.pk])).status_code == 403
    preview = client.post(reverse("schemes:weights_preview", args=[scheme.pk]), weights())
    assert preview.status_code == 403
    save = client.post(
        reverse("schemes:weights", args=[scheme.pk]),
        weights(indicators__sustainable="50", indicators__governance="15"),
    )
    assert save.status_code == 403
    assert scheme.versions.count() == 1


def test_htmx_preview_returns_the_partial_with_sums(client: Client, cast, scheme) -> None:
    response = as_user(client, cast.office).post(
        reverse("schemes:weights_preview", args=[scheme.pk]),
        weights(indicators__sustainable="30", indicators__livelihood="32.5"),
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html and html.lstrip().startswith('<div id="weights-tree">')
    # 30 + 32.5 + 25 = 87.5 under 指标考核 (red, named); 80 + 20 = 100 at the root.
    assert "“指标考核”下各项权重合计 87.5，应为 100" in html
    assert '<tr class="sum bad" data-parent="indicators">' in html
    assert '<span class="badge bad">87.5</span>' in html
    assert '<tr class="sum ok" data-parent="total">' in html
    assert '<span class="badge ok">100</span>' in html
    assert "评分引擎：indicators：weights of the children sum to 87.5" in html
    assert 'value="32.5"' in html  # the typed value is kept
    assert scheme.versions.count() == 1


def test_preview_without_javascript_renders_the_whole_page(client: Client, cast, scheme) -> None:
    response = as_user(client, cast.office).post(
        reverse("schemes:weights_preview", args=[scheme.pk]), weights(public="30", indicators="70")
    )
    html = response.content.decode()
    assert "<html" in html
    assert '<tr class="sum ok" data-parent="total">' in html
    assert "各组权重合计均为 100" in html


def test_save_weights_writes_version_two_keeping_comments(client: Client, cast, scheme) -> None:
    response = as_user(client, cast.office).post(
        reverse("schemes:weights", args=[scheme.pk]),
        weights(indicators__sustainable="50", indicators__governance="15"),
        follow=True,
    )
    assert "权重已保存为第 2 版" in response.content.decode()
    v2 = scheme.versions.get(number=2)
    assert "weight = 50  # default" in v2.source_text
    assert "weight = 15  # default" in v2.source_text
    assert v2.source_text.count("\n") == BAILIAN.count("\n")


def test_save_weights_with_a_wrong_sum_saves_nothing(client: Client, cast, scheme) -> None:
    response = as_user(client, cast.office).post(
        reverse("schemes:weights", args=[scheme.pk]), weights(public="25")
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "权重有误，未保存" in html
    assert "“白莲镇政府绩效管理实施方案”下各项权重合计 105，应为 100" in html
    assert scheme.versions.count() == 1


def test_save_unchanged_weights_makes_no_version(client: Client, cast, scheme) -> None:
    response = as_user(client, cast.office).post(
        reverse("schemes:weights", args=[scheme.pk]), weights(), follow=True
    )
    assert "权重未改变，未生成新版本" in response.content.decode()
    assert scheme.versions.count() == 1
