from django.urls import path

from evidens.archive import views

app_name = "archive"

urlpatterns = [
    path("", views.document_list, name="list"),
    path("search/", views.search_page, name="search"),
    path("topics/", views.topics, name="topics"),
    path("topics/refresh/", views.topics_refresh, name="topics_refresh"),
    path("topics/<int:topic_id>/", views.topic_rename, name="topic_rename"),
    path("upload/", views.upload, name="upload"),
    path("bulk/", views.bulk, name="bulk"),
    path("evidence/", views.save_evidence, name="save_evidence"),
    path("imports/<int:archive_import_id>/", views.import_detail, name="import_detail"),
    path("activities/", views.activity_overview, name="activities"),
    path("activities/engagement/", views.engagement_list, name="engagement"),
    path("activities/list/", views.activity_list, name="activity_list"),
    path("activities/list/<int:activity_id>/", views.activity_detail, name="activity_detail"),
    path("activities/imports/", views.activity_imports, name="activity_imports"),
    path("activities/imports/<int:activity_import_id>/", views.activity_import, name="activity_import"),
    path("activities/review/", views.match_review, name="match_review"),
    path("activities/evidence/", views.activity_evidence, name="activity_evidence"),
    path("<int:archive_document_id>/", views.detail, name="detail"),
    path("<int:archive_document_id>/file/", views.original, name="original"),
    path("<int:archive_document_id>/delete/", views.delete, name="delete"),
]
