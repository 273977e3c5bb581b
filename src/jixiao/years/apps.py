from django.apps import AppConfig


class YearsConfig(AppConfig):
    name = "jixiao.years"
    verbose_name = "考核年度"
