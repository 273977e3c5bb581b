from django.apps import AppConfig


class SchemesConfig(AppConfig):
    name = "jixiao.schemes"
    verbose_name = "考核方案"
