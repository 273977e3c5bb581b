from django.urls import path

from jixiao.web.views import disclosure

app_name = "disclosure"

# No login: these pages are the public notice board (政务公开栏).
urlpatterns = [
    path("<str:org_code>/", disclosure.index, name="index"),
    path("<str:org_code>/periods/<int:period_id>/", disclosure.period_view, name="period"),
]
