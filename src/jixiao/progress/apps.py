from django.apps import AppConfig


class ProgressConfig(AppConfig):
    name = "jixiao.progress"
    verbose_name = "过程控制"
