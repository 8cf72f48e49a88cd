from django.apps import AppConfig
from django.core.signals import request_finished, request_started


class CablesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "cables"
    verbose_name = "Diplomatic cables"

    def ready(self) -> None:
        from .models import end_request_memo, start_request_memo

        # The archive's version read once per request (ArchiveState.current).
        request_started.connect(start_request_memo, dispatch_uid="cables-request-memo-start")
        request_finished.connect(end_request_memo, dispatch_uid="cables-request-memo-end")
