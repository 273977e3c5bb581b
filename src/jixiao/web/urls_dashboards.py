from django.urls import path

from jixiao.web.views import dashboards

app_name = "dashboards"

urlpatterns = [
    path("", dashboards.index, name="index"),
    path("units/<int:unit_id>/", dashboards.unit_view, name="unit"),
    path("people/<int:person_id>/", dashboards.person_view, name="person"),
    path("subjects/<int:subject_id>/", dashboards.subject_view, name="subject"),
]
