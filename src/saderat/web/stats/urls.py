from django.urls import path

from saderat.web.stats import views

app_name = "stats"
urlpatterns = [
    path("", views.home, name="home"),
    path("stats/", views.performance, name="performance"),
    path("stats/customs-offices/", views.customs_offices, name="customs_offices"),
    path("stats/download/<str:table>.<str:fmt>", views.download, name="download"),
]
