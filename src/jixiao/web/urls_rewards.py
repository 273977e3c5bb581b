from django.urls import path

from jixiao.web.views import rewards

app_name = "rewards"

urlpatterns = [
    path("", rewards.index, name="index"),
    path("new/", rewards.create, name="create"),
    path("<int:pool_id>/", rewards.detail, name="detail"),
    path("<int:pool_id>/edit/", rewards.edit, name="edit"),
    path("<int:pool_id>/shares/<int:share_id>/", rewards.share_edit, name="share_edit"),
    path("<int:pool_id>/export.xlsx", rewards.export, name="export"),
]
