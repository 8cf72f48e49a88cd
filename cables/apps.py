from django.apps import AppConfig


class CablesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "cables"
    verbose_name = "Diplomatic cables"
