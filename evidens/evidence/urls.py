from django.urls import path

from evidens.evidence import views

app_name = "evidence"

urlpatterns = [
    path("", views.item_list, name="item_list"),
    path("items/<int:item_id>/", views.item_detail, name="item_detail"),
    path("workshop/", views.workshop, name="workshop"),
    path("workshop/challenges/", views.challenge_add, name="challenge_add"),
    path("workshop/import/", views.assumptions_import, name="assumptions_import"),
    path("assumptions/", views.assumptions_review, name="review"),
    path("assumptions/<int:assumption_id>/", views.assumption_detail, name="assumption_detail"),
    path("assumptions/<int:assumption_id>/move/", views.assumption_move, name="assumption_move"),
    path("assumptions/<int:assumption_id>/delete/", views.assumption_delete, name="assumption_delete"),
    path("assumptions/<int:assumption_id>/findings/", views.assumption_link, name="assumption_link"),
    path("assumptions/<int:assumption_id>/verdict/", views.verdict_set, name="verdict_set"),
    path("findings/", views.finding_list, name="finding_list"),
    path("findings/<int:finding_id>/", views.finding_detail, name="finding_detail"),
    path("findings/<int:finding_id>/evidence/", views.finding_link, name="finding_link"),
    path("needs/", views.need_list, name="need_list"),
]
