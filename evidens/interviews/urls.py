from django.urls import path

from evidens.interviews import views

app_name = "interviews"

urlpatterns = [
    path("", views.interview_list, name="list"),
    path("new/", views.interview_new, name="new"),
    path("guide/", views.guide, name="guide"),
    path("guide/<int:version>/", views.guide_version, name="guide_version"),
    path("<int:interview_id>/", views.detail, name="detail"),
    path("<int:interview_id>/edit/", views.edit, name="edit"),
    path("<int:interview_id>/delete/", views.delete, name="delete"),
    path("<int:interview_id>/transcript/", views.transcript_upload, name="transcript_upload"),
    path("<int:interview_id>/transcript/paste/", views.transcript_paste, name="transcript_paste"),
]
