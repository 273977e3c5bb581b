from django.urls import path

from jixiao.web.views import appraisal_results

app_name = "appraisal_results"

urlpatterns = [
    path("<int:round_id>/", appraisal_results.detail, name="detail"),
    path("<int:round_id>/codes/", appraisal_results.codes, name="codes"),
]
