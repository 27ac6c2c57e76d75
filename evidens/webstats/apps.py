from django.apps import AppConfig


class WebstatsConfig(AppConfig):
    name = "evidens.webstats"
    label = "webstats"

    def ready(self) -> None:
        from django.db.models.signals import post_delete

        from evidens.webstats.models import LogImport
        from evidens.webstats.services import log_import_files_remove

        # Also when a whole process goes (the demo's --reset): its imports' files must go with the rows.
        post_delete.connect(log_import_files_remove, sender=LogImport, dispatch_uid="webstats.files_remove")
