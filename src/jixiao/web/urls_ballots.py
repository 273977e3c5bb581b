from django.urls import path

from jixiao.web.views import ballots

app_name = "ballots"

urlpatterns = [
    path("", ballots.index, name="index"),
    path("new/", ballots.create, name="create"),
    path("<int:round_id>/", ballots.detail, name="detail"),
    path("<int:round_id>/close/", ballots.close, name="close"),
    path("<int:round_id>/vote/", ballots.vote, name="vote"),
    path("<int:round_id>/results/", ballots.results, name="results"),
]
