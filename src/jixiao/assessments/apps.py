from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "jixiao.assessments"
    verbose_name = "考核评估"
