from django.urls import path

from jixiao.web.views import calendar

app_name = "calendar"

urlpatterns = [
    path("<int:year_id>/", calendar.calendar_view, name="year"),
    path("<int:year_id>/day/", calendar.day_set_view, name="day_set"),
    path("<int:year_id>/day/delete/", calendar.day_delete_view, name="day_delete"),
    path("<int:year_id>/preset/", calendar.preset_view, name="preset"),
    path("<int:year_id>/import/", calendar.import_view, name="import"),
]
