from django.urls import path

from evidens.coding import views

app_name = "coding"

urlpatterns = [
    path("", views.codebook, name="codebook"),
    path("codes/<int:code_id>/", views.code_detail, name="code_detail"),
    path("codes/<int:code_id>/merge/", views.code_merge, name="code_merge"),
    path("codes/<int:code_id>/delete/", views.code_delete, name="code_delete"),
    path("memos/", views.memo_add, name="memo_add"),
    path("memos/<int:memo_id>/delete/", views.memo_delete, name="memo_delete"),
    path("texts/", views.documents, name="documents"),
    path("texts/<int:document_id>/", views.document, name="document"),
    path("texts/<int:document_id>/code/", views.coding_apply, name="coding_apply"),
    path("texts/<int:document_id>/undo/", views.coding_undo, name="coding_undo"),
    path("texts/<int:document_id>/reject/", views.suggestion_reject, name="suggestion_reject"),
    path("codings/<int:coding_id>/remove/", views.coding_remove, name="coding_remove"),
    path("codings/<int:coding_id>/quote/", views.coding_quote, name="coding_quote"),
    path("matrix/", views.matrix, name="matrix"),
    path("matrix/<int:code_id>/<slug:group>/", views.matrix_cell, name="matrix_cell"),
    path("cooccurrence/", views.cooccurrence, name="cooccurrence"),
    path("search/", views.search, name="search"),
    path("quotes/", views.quotes, name="quotes"),
    path("agreement/", views.agreement_list, name="agreement"),
    path("agreement/<int:document_id>/", views.agreement_detail, name="agreement_detail"),
    path("exchange/", views.exchange, name="exchange"),
    path("exchange/project.qdpx", views.export_project, name="export_project"),
    path("exchange/codebook.qdc", views.export_codebook, name="export_codebook"),
    path("exchange/import/", views.import_file, name="import"),
    path("evidence/", views.save_evidence, name="save_evidence"),
]
