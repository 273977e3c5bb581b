from django.urls import path

from jixiao.web.views import appraisal

app_name = "appraisal"

urlpatterns = [
    path("", appraisal.index, name="index"),
    path("frames/", appraisal.frames, name="frames"),
    path("frames/import/", appraisal.frame_upload, name="frame_upload"),
    path("frames/<int:frame_id>/", appraisal.frame_detail, name="frame"),
    path("questionnaires/", appraisal.questionnaires, name="questionnaires"),
    path("questionnaires/new/", appraisal.questionnaire_edit, name="questionnaire_new"),
    path(
        "questionnaires/template/", appraisal.questionnaire_template, name="questionnaire_template"
    ),
    path(
        "questionnaires/<int:questionnaire_id>/",
        appraisal.questionnaire_edit,
        name="questionnaire",
    ),
    path("rounds/new/", appraisal.round_new, name="round_new"),
    path("rounds/<int:round_id>/", appraisal.round_detail, name="round"),
    path("rounds/<int:round_id>/draw/", appraisal.round_draw_view, name="draw"),
    path("rounds/<int:round_id>/open/", appraisal.round_open_view, name="open"),
    path("rounds/<int:round_id>/close/", appraisal.round_close_view, name="close"),
    path("rounds/<int:round_id>/export/", appraisal.round_export, name="export"),
    path(
        "rounds/<int:round_id>/members/<int:member_id>/replace/",
        appraisal.member_replace_view,
        name="replace",
    ),
    path("rounds/<int:round_id>/calls/", appraisal.calls, name="calls"),
    path("rounds/<int:round_id>/calls/<int:member_id>/", appraisal.call, name="call"),
    path("rounds/<int:round_id>/calls/<int:member_id>/reveal/", appraisal.reveal, name="reveal"),
    path(
        "rounds/<int:round_id>/calls/<int:member_id>/release/",
        appraisal.release,
        name="release",
    ),
]
