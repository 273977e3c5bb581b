from django.urls import path

from jixiao.web.views import schemes

app_name = "schemes"

urlpatterns = [
    path("", schemes.scheme_list_view, name="list"),
    path("create/", schemes.scheme_create_view, name="create"),
    path("<int:scheme_id>/", schemes.scheme_detail_view, name="detail"),
    path("<int:scheme_id>/edit/", schemes.scheme_edit_view, name="edit"),
    path("<int:scheme_id>/weights/", schemes.scheme_weights_view, name="weights"),
    path(
        "<int:scheme_id>/weights/preview/",
        schemes.scheme_weights_preview_view,
        name="weights_preview",
    ),
]
