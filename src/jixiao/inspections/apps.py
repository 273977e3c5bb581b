from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    name = "jixiao.inspections"
    verbose_name = "察访核验"
