from django.urls import path

from evidens.evidence import views

app_name = "evidence"

urlpatterns = [
    path("", views.item_list, name="item_list"),
    path("items/<int:item_id>/", views.item_detail, name="item_detail"),
]
