from django.contrib import admin

from jixiao.schemes.models import Scheme, SchemeVersion


class SchemeVersionInline(admin.TabularInline):
    model = SchemeVersion
    fields = ("number", "created_at", "created_by")
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Scheme)
class SchemeAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "org", "preset", "created_at")
    search_fields = ("code", "name")
    inlines = [SchemeVersionInline]
