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
    ("targets/", "jixiao.web.urls_targets"),
    ("imports/", "jixiao.web.urls_imports"),
    ("process/", "jixiao.web.urls_progress"),
    ("evidence/", "jixiao.web.urls_evidence"),
    ("inspections/", "jixiao.web.urls_inspections"),
    ("results/", "jixiao.web.urls_results"),
    ("ballots/", "jixiao.web.urls_ballots"),
    ("assessments/", "jixiao.web.urls_assessments"),
]


def area_patterns() -> list:
    return [path(prefix, include(module)) for prefix, module in AREAS]
