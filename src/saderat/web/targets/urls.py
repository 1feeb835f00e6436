from django.urls import path

from saderat.web.targets import views

app_name = "targets"
urlpatterns = [
    path("", views.target_list, name="list"),
    path("new/", views.target_create, name="create"),
    path("reports/new/", views.report_create, name="report_create"),
    path("league/", views.league, name="league"),
    path("<int:pk>/", views.target_detail, name="detail"),
    path("<int:pk>/revise/", views.target_revise, name="revise"),
]
