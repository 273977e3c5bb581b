from django.urls import path

from jixiao.web.views import rectification as v

app_name = "rectification"

urlpatterns = [
    path("", v.item_list_view, name="list"),
    path("new/", v.create_view, name="create"),
    path("new/inspection/<int:inspection_id>/", v.from_inspection_view, name="from_inspection"),
    path(
        "new/assessments/<int:assessment_id>/subjects/<int:subject_id>/",
        v.from_subject_view,
        name="from_subject",
    ),
    path("carry-forward/", v.carry_forward_view, name="carry_forward"),
    path("<int:item_id>/", v.detail_view, name="detail"),
    path("<int:item_id>/evidence/", v.attach_view, name="attach"),
    path("<int:item_id>/submit/", v.submit_view, name="submit"),
    path("<int:item_id>/close/", v.close_view, name="close"),
    path("<int:item_id>/reopen/", v.reopen_view, name="reopen"),
]
