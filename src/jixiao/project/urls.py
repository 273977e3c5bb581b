"""Root URL configuration."""

from django.contrib import admin
from django.urls import include, path

from jixiao.web.urls import area_patterns

urlpatterns = [
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),  # set_language: 中文 / English
    path("", include("jixiao.web.urls")),
    *area_patterns(),
]
