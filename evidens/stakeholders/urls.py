from django.urls import path

from evidens.stakeholders import views

app_name = "stakeholders"

urlpatterns = [
    path("", views.index, name="index"),
    path("organisations/", views.organisation_list, name="organisation_list"),
    path("organisations/new/", views.organisation_create, name="organisation_create"),
    path("organisations/<int:organisation_id>/", views.organisation_detail, name="organisation_detail"),
    path("organisations/<int:organisation_id>/edit/", views.organisation_edit, name="organisation_edit"),
    path("people/", views.person_list, name="person_list"),
    path("people/new/", views.person_create, name="person_create"),
    path("people/<int:person_id>/", views.person_detail, name="person_detail"),
    path("people/<int:person_id>/edit/", views.person_edit, name="person_edit"),
    path("people/<int:person_id>/export/", views.person_export, name="person_export"),
    path("people/<int:person_id>/erase/", views.person_erase, name="person_erase"),
    path("export/", views.export, name="export"),
    path("import/", views.import_upload, name="import_upload"),
    path("import/<int:import_id>/", views.import_mapping, name="import_mapping"),
    path("import/<int:import_id>/preview/", views.import_preview, name="import_preview"),
    path("import/<int:import_id>/confirm/", views.import_confirm, name="import_confirm"),
]
