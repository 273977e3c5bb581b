from django.apps import AppConfig


class AppraisalConfig(AppConfig):
    name = "jixiao.appraisal"
    verbose_name = "公众评议"
