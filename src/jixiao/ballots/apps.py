from django.apps import AppConfig


class BallotsConfig(AppConfig):
    name = "jixiao.ballots"
    verbose_name = "民主测评"
