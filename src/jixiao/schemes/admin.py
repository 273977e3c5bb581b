from django.contrib import admin

from jixiao.schemes.models import Scheme


@admin.register(Scheme)
class SchemeAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "version", "updated_at")
    search_fields = ("code", "name")
    readonly_fields = ("created_at", "updated_at")
