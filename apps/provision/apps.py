from django.apps import AppConfig


class ProvisionConfig(AppConfig):
    name = "apps.provision"
    label = "provision"
    verbose_name = "Provision map and interventions"
