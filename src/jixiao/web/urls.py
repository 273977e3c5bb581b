"""The web app's URLs: one module per step of the year, each its own namespace."""

from django.urls import include, path

from jixiao.web.views import home

app_name = "web"

urlpatterns = [
    path("", home.home, name="home"),
]

# Included from the project URLconf (namespaces org, schemes, years, targets, imports).
AREAS = [
    ("org/", "jixiao.web.urls_org"),
    ("schemes/", "jixiao.web.urls_schemes"),
    ("years/", "jixiao.web.urls_years"),
    ("calendar/", "jixiao.web.urls_calendar"),  # 工作日历: holidays for the notice
    ("targets/", "jixiao.web.urls_targets"),
    ("imports/", "jixiao.web.urls_imports"),
    ("process/", "jixiao.web.urls_progress"),
    ("evidence/", "jixiao.web.urls_evidence"),
    ("inspections/", "jixiao.web.urls_inspections"),
    ("results/", "jixiao.web.urls_results"),
    ("ballots/", "jixiao.web.urls_ballots"),
    ("assessments/", "jixiao.web.urls_assessments"),
    ("appraisal/", "jixiao.web.urls_appraisal"),
    ("appraisal-results/", "jixiao.web.urls_appraisal_results"),
    ("s/", "jixiao.web.urls_survey"),  # 公众评议 answer page: anonymous, no login
    ("reports/", "jixiao.web.urls_reports"),
    ("rectification/", "jixiao.web.urls_rectification"),
    ("dashboards/", "jixiao.web.urls_dashboards"),
    ("public/", "jixiao.web.urls_disclosure"),
    ("rewards/", "jixiao.web.urls_rewards"),
    ("exports/", "jixiao.web.urls_exports"),  # .xlsx downloads of the list pages
    ("audit/", "jixiao.web.urls_audit"),  # 审计日志, office only
]


def area_patterns() -> list:
    return [path(prefix, include(module)) for prefix, module in AREAS]
