from django.urls import path

from jixiao.web.views import assessments as v

app_name = "assessment"

urlpatterns = [
    path("", v.assessment_list_view, name="list"),
    path("new/", v.assessment_create_view, name="create"),
    path("<int:assessment_id>/", v.assessment_detail_view, name="detail"),
    path("<int:assessment_id>/open-scoring/", v.open_scoring_view, name="open_scoring"),
    path("<int:assessment_id>/review/", v.start_review_view, name="start_review"),
    path("<int:assessment_id>/aggregate/", v.aggregate_view, name="aggregate"),
    path("<int:assessment_id>/publish/", v.publish_view, name="publish"),
    path("<int:assessment_id>/finalise/", v.finalise_view, name="finalise"),
    path("<int:assessment_id>/scoring/", v.scoring_view, name="scoring"),
    path(
        "<int:assessment_id>/subjects/<int:subject_id>/score/",
        v.score_subject_view,
        name="score_subject",
    ),
    path("<int:assessment_id>/subjects/<int:subject_id>/", v.subject_view, name="subject"),
    path(
        "<int:assessment_id>/subjects/<int:subject_id>/self-evaluation/",
        v.self_evaluation_view,
        name="self_evaluation",
    ),
    path(
        "<int:assessment_id>/subjects/<int:subject_id>/appeal/",
        v.appeal_file_view,
        name="appeal_file",
    ),
    path("<int:assessment_id>/vetoes/", v.vetoes_view, name="vetoes"),
    path(
        "<int:assessment_id>/vetoes/<int:veto_id>/decide/", v.veto_decide_view, name="veto_decide"
    ),
    path("<int:assessment_id>/appeals/", v.appeals_view, name="appeals"),
    path(
        "<int:assessment_id>/appeals/<int:appeal_id>/", v.appeal_decide_view, name="appeal_decide"
    ),
]
