from django.urls import path

from evidens.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.report_list, name="list"),
    path("preview/vidensrapport/", views.report_preview, {"kind": "vidensrapport"}, name="preview_knowledge"),
    path("preview/beslutningsgrundlag/", views.report_preview, {"kind": "beslutningsgrundlag"},
         name="preview_decision"),
    path("preview/survey/<int:survey_id>/", views.survey_preview, name="preview_survey"),
    path("<int:build_id>/download/", views.report_download, name="download"),
    path("publication/", views.publication_edit, name="publication"),
]
