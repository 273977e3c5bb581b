from django.urls import path

from jixiao.web.views import inspections

app_name = "inspections"

urlpatterns = [
    path("", inspections.index, name="index"),
    path("new/", inspections.record, name="record"),
    path("units/<int:unit_id>/", inspections.ledger, name="ledger"),
    path("<int:inspection_id>/void/", inspections.void, name="void"),
    path("sites/", inspections.sites, name="sites"),
    path("sites/new/", inspections.site_create_view, name="site_create"),
    path("sites/<int:site_id>/", inspections.site_detail, name="site_detail"),
    path("sites/<int:site_id>/edit/", inspections.site_edit, name="site_edit"),
    path("sites/<int:site_id>/delete/", inspections.site_delete_view, name="site_delete"),
    path("sites/<int:site_id>/compare/", inspections.site_compare, name="site_compare"),
]
