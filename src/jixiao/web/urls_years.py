from django.urls import path

from jixiao.web.views import years

app_name = "years"

urlpatterns = [
    path("", years.year_list_view, name="list"),
    path("create/", years.year_create_view, name="create"),
    path("<int:year_id>/", years.year_detail_view, name="detail"),
]
