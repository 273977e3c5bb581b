from django.contrib import admin

from jixiao.organisation.models import Person, RoleGrant, TaskForce, Unit


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "code", "org", "parent")
    list_filter = ("kind",)
    search_fields = ("name", "code")


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ("name", "post", "code", "unit", "user")
    search_fields = ("name", "code")


@admin.register(TaskForce)
class TaskForceAdmin(admin.ModelAdmin):
    list_display = ("name", "org", "leader")


@admin.register(RoleGrant)
class RoleGrantAdmin(admin.ModelAdmin):
    list_display = ("user", "org", "role", "unit")
    list_filter = ("role",)
