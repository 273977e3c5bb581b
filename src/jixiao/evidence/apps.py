from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "jixiao.evidence"
    verbose_name = "佐证材料"
