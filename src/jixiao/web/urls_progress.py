from django.urls import path

from jixiao.web.views import progress

app_name = "process"

urlpatterns = [
    path("", progress.index_view, name="index"),
    path("lights/", progress.lights_view, name="lights"),
    path("targets/<int:target_id>/", progress.target_progress_view, name="target"),
    path("targets/<int:target_id>/report/", progress.report_view, name="report"),
    path("reviews/", progress.reviews_view, name="reviews"),
    path("reviews/<int:report_id>/", progress.review_view, name="review"),
    path("plans/", progress.plan_list_view, name="plans"),
    path("plans/new/", progress.plan_create_view, name="plan_create"),
    path("plans/<int:plan_id>/", progress.plan_view, name="plan"),
    path("plans/<int:plan_id>/submit/", progress.plan_submit_view, name="plan_submit"),
    path("plans/<int:plan_id>/close/", progress.plan_close_view, name="plan_close"),
    path(
        "plans/<int:plan_id>/items/<int:item_id>/remove/",
        progress.plan_item_remove_view,
        name="plan_item_remove",
    ),
]
