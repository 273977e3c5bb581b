from django.urls import path

from jixiao.web.views import imports

app_name = "imports"

urlpatterns = [
    path("", imports.index, name="index"),
    path("<slug:kind>/", imports.page, name="page"),
    path("<slug:kind>/template.xlsx", imports.template, name="template"),
    path("<slug:kind>/export.xlsx", imports.export, name="export"),
]
