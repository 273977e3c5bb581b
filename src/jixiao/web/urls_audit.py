from django.urls import path

from jixiao.web.views import audit

app_name = "audit"

urlpatterns = [
    path("", audit.event_list_view, name="list"),
]
