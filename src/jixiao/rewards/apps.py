from django.apps import AppConfig


class RewardsConfig(AppConfig):
    name = "jixiao.rewards"
    verbose_name = "奖励分配"
