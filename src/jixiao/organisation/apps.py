from django.apps import AppConfig


class OrganisationConfig(AppConfig):
    name = "jixiao.organisation"
    verbose_name = "组织机构"
