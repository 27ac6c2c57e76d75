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
    path("<int:archive_document_id>/", views.detail, name="detail"),
    path("<int:archive_document_id>/file/", views.original, name="original"),
    path("<int:archive_document_id>/delete/", views.delete, name="delete"),
]
