from django.urls import path

from saderat.web.imports import views

app_name = "imports"
urlpatterns = [
    path("", views.batch_list, name="list"),
    path("upload/", views.upload, name="upload"),
    path("check/", views.warehouse_check, name="check"),
    path("template.<str:fmt>", views.template_download, name="template"),
    path("<int:pk>/", views.batch_detail, name="detail"),
    path("<int:pk>/progress/", views.batch_progress, name="progress"),
    path("<int:pk>/rejected.csv", views.rejected_download, name="rejected"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:pk>/decide/", views.decide, name="decide"),
    path("<int:pk>/retry/", views.retry, name="retry"),
]
