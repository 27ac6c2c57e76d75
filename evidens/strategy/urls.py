from django.urls import path

from evidens.strategy import views

app_name = "strategy"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("options/new/", views.option_create, name="option_create"),
    path("options/<int:option_id>/", views.option_detail, name="option_detail"),
    path("options/<int:option_id>/edit/", views.option_edit, name="option_edit"),
    path("options/<int:option_id>/delete/", views.option_delete, name="option_delete"),
    path("options/<int:option_id>/conditions/", views.condition_add, name="condition_add"),
    path("conditions/<int:condition_id>/", views.condition_edit, name="condition_edit"),
    path("compare/", views.compare, name="compare"),
    path("criteria/", views.criteria, name="criteria"),
    path("criteria/<int:criterion_id>/", views.criterion_edit, name="criterion_edit"),
    path("panel/", views.panel, name="panel"),
    path("panel/join/", views.panel_join, name="panel_join"),
    path("panel/<int:panellist_id>/weights/", views.weights_member, name="weights_member"),
    path("panel/<int:panellist_id>/scores/", views.scores_member, name="scores_member"),
    path("panel/<int:panellist_id>/scores/<int:option_id>/", views.scores_member, name="scores_member_option"),
    path("scores/", views.scores, name="scores"),
    path("results/", views.results, name="results"),
    path("robustness/", views.robustness, name="robustness"),
    path("scenarios/", views.scenario_add, name="scenario_add"),
    path("scenarios/scores/", views.scenario_scores, name="scenario_scores"),
    path("validation/", views.validation, name="validation"),
    path("validation/survey/", views.validation_survey_create, name="validation_survey_create"),
    path("validation/workshops/new/", views.workshop_create, name="workshop_create"),
    path("validation/workshops/<int:round_id>/", views.workshop_detail, name="workshop_detail"),
    path("decisions/", views.decisions, name="decisions"),
    path("decisions/<int:decision_id>/", views.decision_detail, name="decision_detail"),
    path("decisions/<int:decision_id>/dissent/", views.decision_part_add, {"part": "dissent"}, name="dissent_add"),
    path("decisions/<int:decision_id>/goals/", views.decision_part_add, {"part": "goal"}, name="goal_add"),
    path("decisions/dissent/<int:dissent_id>/remove/", views.dissent_remove, name="dissent_remove"),
    path("decisions/goals/<int:goal_id>/remove/", views.goal_remove, name="goal_remove"),
    path("decisions/<int:decision_id>/sign/", views.decision_sign, name="decision_sign"),
    path("decisions/<int:decision_id>/replace/", views.decision_replace, name="decision_replace"),
]
