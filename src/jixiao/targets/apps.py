from django.apps import AppConfig


class TargetsConfig(AppConfig):
    name = "jixiao.targets"
    verbose_name = "目标与责任分解"
