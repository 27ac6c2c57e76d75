from django.urls import path

from evidens.webstats import views

app_name = "webstats"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("content/", views.content, name="content"),
    path("sources/", views.sources, name="sources"),
    path("technology/", views.technology, name="technology"),
    path("robots/", views.robot_page, name="robots"),
    path("evidence/", views.save_evidence, name="save_evidence"),
    path("imports/", views.imports, name="imports"),
    path("imports/logs/", views.upload_logs, name="upload_logs"),
    path("imports/analytics/", views.upload_analytics, name="upload_analytics"),
    path("imports/<int:log_import_id>/", views.import_detail, name="import_detail"),
    path("imports/<int:log_import_id>/retry/", views.import_retry, name="import_retry"),
    path("imports/<int:log_import_id>/delete/", views.import_delete, name="import_delete"),
    path("settings/", views.settings, name="settings"),
]
