from django.urls import path

from jixiao.web.views import org

app_name = "org"

urlpatterns = [
    path("", org.units, name="units"),
    path("units/new/", org.unit_create_view, name="unit_create"),
    path("people/", org.people, name="people"),
    path("people/new/", org.person_create_view, name="person_create"),
    path("task-forces/", org.task_forces, name="task_forces"),
    path("task-forces/new/", org.task_force_create_view, name="task_force_create"),
    path("roles/", org.roles, name="roles"),
    path("roles/<int:grant_id>/revoke/", org.role_revoke_view, name="role_revoke"),
]
