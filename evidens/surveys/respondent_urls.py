from django.urls import path

from evidens.surveys import respondent_views

app_name = "surveys_public"

urlpatterns = [
    path("link/<str:token>/", respondent_views.respond_open, name="respond_open"),
    path("<str:token>/", respondent_views.respond, name="respond"),
    path("<str:token>/afmeld/", respondent_views.unsubscribe, name="unsubscribe"),
]
