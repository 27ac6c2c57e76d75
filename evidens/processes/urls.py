from django.urls import path

from evidens.processes import views

app_name = "processes"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("facts/", views.facts_edit, name="facts_edit"),
    path("phases/", views.phases, name="phases"),
    path("phases/new/", views.phase_add, name="phase_add"),
    path("phases/<int:phase_id>/", views.phase_edit, name="phase_edit"),
    path("phases/<int:phase_id>/milestones/", views.milestone_add, name="milestone_add"),
    path("milestones/<int:milestone_id>/", views.milestone_set, name="milestone_set"),
    path("budget/", views.budget, name="budget"),
    path("budget/<int:line_id>/", views.budget_line_edit, name="budget_line_edit"),
    path("budget/<int:line_id>/delete/", views.budget_line_delete, name="budget_line_delete"),
    path("steering-group/", views.steering_group, name="steering_group"),
    path("steering-group/<int:seat_id>/delete/", views.steering_seat_delete, name="steering_seat_delete"),
    path("team/", views.team, name="team"),
    path("team/<int:membership_id>/role/", views.member_role, name="member_role"),
    path("team/<int:membership_id>/remove/", views.member_remove, name="member_remove"),
    path("audit/", views.audit, name="audit"),
    path("jobs/", views.jobs, name="jobs"),
    path("jobs/<int:job_id>/", views.job, name="job"),
]
