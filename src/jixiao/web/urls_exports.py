from django.urls import path

from jixiao.web.views import exports

app_name = "exports"

urlpatterns = [
    path("results.xlsx", exports.rankings_export, name="rankings"),
    path("assessments/<int:assessment_id>.xlsx", exports.assessment_export, name="assessment"),
    path("inspections/units/<int:unit_id>.xlsx", exports.ledger_export, name="ledger"),
    path("process/lights.xlsx", exports.lights_export, name="lights"),
    path("process/plans.xlsx", exports.plans_export, name="plans"),
    path("ballots/<int:round_id>.xlsx", exports.ballot_export, name="ballot"),
    path("rectification.xlsx", exports.rectification_export, name="rectification"),
    path("appraisal/<int:round_id>.xlsx", exports.appraisal_export, name="appraisal"),
    path("audit.xlsx", exports.audit_export, name="audit"),
]
