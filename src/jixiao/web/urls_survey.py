"""公众评议 answer page: anonymous, no login, opened with a single-use code."""

from django.urls import path

from jixiao.web.views import survey

app_name = "survey"

urlpatterns = [
    path("", survey.start, name="start"),
    path("thanks/", survey.thanks, name="thanks"),
    path("<str:code>/", survey.answer, name="answer"),
]
