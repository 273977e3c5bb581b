from django.urls import path

from jixiao.web.views import targets

app_name = "targets"

urlpatterns = [
    path("", targets.target_list_view, name="list"),
    path("new/", targets.target_create_view, name="create"),
    path("<int:target_id>/", targets.target_detail_view, name="detail"),
    path("<int:target_id>/edit/", targets.target_edit_view, name="edit"),
    path("<int:target_id>/assign/", targets.assign_view, name="assign"),
    path(
        "<int:target_id>/assignments/<int:assignment_id>/remove/",
        targets.unassign_view,
        name="unassign",
    ),
    path("<int:target_id>/milestones/", targets.milestone_set_view, name="milestone_set"),
    path(
        "<int:target_id>/milestones/<int:milestone_id>/remove/",
        targets.milestone_delete_view,
        name="milestone_delete",
    ),
    path("letters/unit/<int:unit_id>/", targets.letter_unit_view, name="letter_unit"),
    path("letters/person/<int:person_id>/", targets.letter_person_view, name="letter_person"),
]
