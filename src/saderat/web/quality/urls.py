from django.urls import path

from saderat.web.quality import views

app_name = "quality"
urlpatterns = [
    path("", views.home, name="home"),
    path("standards/", views.standards, name="standards"),
    path("standards/download.<str:fmt>", views.standards, name="standards_download"),
    path("standards/new/", views.standard_edit, name="standard_new"),
    path("standards/<int:pk>/edit/", views.standard_edit, name="standard_edit"),
    path("certificates/", views.certificates, name="certificates"),
    path("certificates/download.<str:fmt>", views.certificates, name="certificates_download"),
    path("certificates/new/", views.certificate_edit, name="certificate_new"),
    path("certificates/<int:pk>/", views.certificate_detail, name="certificate_detail"),
    path("certificates/<int:pk>/edit/", views.certificate_edit, name="certificate_edit"),
    path("certificates/<int:pk>/scans/<int:scan_pk>/", views.certificate_scan, name="certificate_scan"),
    path("compliance/", views.compliance, name="compliance"),
    path("compliance/download.<str:fmt>", views.compliance_download, name="compliance_download"),
    path("compliance/resolution/", views.compliance_resolution, name="compliance_resolution"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/download.<str:fmt>", views.notifications_download, name="notifications_download"),
    path("notifications/alert/", views.notifications_alert, name="notifications_alert"),
    path("notifications/upload/", views.notifications_upload, name="notifications_upload"),
    path("notifications/<int:pk>/withdraw/", views.notifications_withdraw, name="notifications_withdraw"),
]
