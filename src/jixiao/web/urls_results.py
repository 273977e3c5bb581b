from django.urls import path

from jixiao.web.views import results

app_name = "results"

urlpatterns = [
    path("", results.index, name="index"),
    path("competition/<int:period_id>/", results.competition, name="competition"),
    path(
        "competition/<int:period_id>/publish/",
        results.competition_publish_view,
        name="competition_publish",
    ),
]
