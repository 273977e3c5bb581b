from django.urls import path

from jixiao.web.views import reports

app_name = "reports"

urlpatterns = [
    path(
        "assessments/<int:assessment_id>/subjects/<int:subject_id>/report.pdf",
        reports.unit_report,
        name="unit_report",
    ),
    path(
        "assessments/<int:assessment_id>/notice.pdf",
        reports.ranking_notice,
        name="ranking_notice",
    ),
    path(
        "assessments/<int:assessment_id>/notice/",
        reports.ranking_notice_options,
        name="ranking_notice_options",
    ),
    path(
        "competition/<int:period_id>/notice.pdf",
        reports.competition_notice,
        name="competition_notice",
    ),
    path(
        "competition/<int:period_id>/notice/",
        reports.competition_notice_options,
        name="competition_notice_options",
    ),
]
