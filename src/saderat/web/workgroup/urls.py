from django.urls import path

from saderat.web.workgroup import views

app_name = "workgroup"
urlpatterns = [
    path("", views.home, name="home"),
    path("notifications/", views.notification_list, name="notifications"),
    path("notifications/read/", views.notifications_read, name="notifications_read"),
    path("sessions/", views.session_list, name="sessions"),
    path("sessions/new/", views.session_create, name="session_create"),
    path("sessions/<int:pk>/", views.session_detail, name="session_detail"),
    path("sessions/<int:pk>/edit/", views.session_edit, name="session_edit"),
    path("sessions/<int:pk>/files/", views.session_files_add, name="session_files_add"),
    path("sessions/<int:session_pk>/resolutions/new/", views.resolution_create, name="resolution_create"),
    path("resolutions/", views.resolution_list, name="resolutions"),
    path("resolutions/download.<str:fmt>", views.resolution_list, name="resolutions_download"),
    path("resolutions/<int:pk>/", views.resolution_detail, name="resolution_detail"),
    path("resolutions/<int:pk>/edit/", views.resolution_edit, name="resolution_edit"),
    path("resolutions/<int:pk>/update/", views.resolution_update, name="resolution_update"),
    path("resolutions/<int:pk>/review/", views.resolution_review, name="resolution_review"),
    path("resolutions/<int:pk>/status/", views.resolution_status, name="resolution_status"),
    path("resolutions/<int:pk>/extend/", views.resolution_extend, name="resolution_extend"),
    path("files/<int:pk>/", views.file_download, name="file"),
    path("scorecard/", views.scorecard, name="scorecard"),
    path("scorecard/download.<str:fmt>", views.scorecard, name="scorecard_download"),
    path("stocktake/", views.stocktake, name="stocktake"),
    path("stocktake.pdf", views.stocktake_pdf, name="stocktake_pdf"),
]
