from django.urls import path

from jixiao.web.views import evidence

app_name = "evidence"

urlpatterns = [
    path("<int:evidence_id>/", evidence.download_view, name="download"),
    path("<int:evidence_id>/view/", evidence.inline_view, name="inline"),
]
