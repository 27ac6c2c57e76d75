from django.urls import path

from evidens.surveys import views

app_name = "surveys"

urlpatterns = [
    path("", views.survey_list, name="list"),
    path("new/", views.survey_create, name="create"),
    path("import/", views.survey_import, name="import"),
    path("<int:survey_id>/", views.survey_detail, name="detail"),
    path("<int:survey_id>/settings/", views.survey_settings, name="settings"),
    path("<int:survey_id>/copy/", views.survey_copy, name="copy"),
    path("<int:survey_id>/texts/", views.survey_texts, name="texts"),
    path("<int:survey_id>/builder/", views.builder, name="builder"),
    path("<int:survey_id>/sections/new/", views.section_edit, name="section_create"),
    path("<int:survey_id>/sections/<str:name>/", views.section_edit, name="section_edit"),
    path("<int:survey_id>/sections/<str:name>/move/", views.section_move, name="section_move"),
    path("<int:survey_id>/sections/<str:name>/delete/", views.section_delete, name="section_delete"),
    path("<int:survey_id>/questions/new/", views.question_edit, name="question_create"),
    path("<int:survey_id>/questions/<str:name>/", views.question_edit, name="question_edit"),
    path("<int:survey_id>/questions/<str:name>/move/", views.question_move, name="question_move"),
    path("<int:survey_id>/questions/<str:name>/delete/", views.question_delete, name="question_delete"),
    path("<int:survey_id>/preview/", views.preview, name="preview"),
    path("<int:survey_id>/preview/phone/", views.preview_phone, name="preview_phone"),
    path("<int:survey_id>/publish/", views.publish, name="publish"),
    path("<int:survey_id>/close/", views.close, name="close"),
    path("<int:survey_id>/open-link/", views.open_link, name="open_link"),
    path("<int:survey_id>/versions/", views.versions, name="versions"),
    path("<int:survey_id>/recipients/", views.recipients, name="recipients"),
    path("<int:survey_id>/mailings/", views.mailing_create, name="mailing_create"),
    path("<int:survey_id>/mailings/<int:mailing_id>/cancel/", views.mailing_cancel, name="mailing_cancel"),
    path("<int:survey_id>/mailings/<int:mailing_id>/resume/", views.mailing_resume, name="mailing_resume"),
    path("<int:survey_id>/export/", views.export, name="export"),
    path("<int:survey_id>/results/", views.survey_results, name="results"),
    path("<int:survey_id>/results/evidence/", views.results_evidence, name="results_evidence"),
    path("<int:survey_id>/results/text/<str:name>/", views.text_answers, name="text_answers"),
    path("<int:survey_id>/results/text/<str:name>/code/", views.text_answers_code, name="text_answers_code"),
]
