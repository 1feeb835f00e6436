from django.urls import path

from saderat.web.registry import views

app_name = "registry"
urlpatterns = [
    path("", views.home, name="home"),
    path("firms/", views.firm_list, name="firms"),
    path("firms/download.<str:fmt>", views.firm_list, name="firms_download"),
    path("firms/<int:pk>/", views.firm_detail, name="firm_detail"),
    path("reviews/", views.review_queue, name="reviews"),
    path("reviews/<int:pk>/decide/", views.review_decide, name="review_decide"),
    path("reviews/<int:pk>/undo/", views.review_undo, name="review_undo"),
    path("imports/", views.imports, name="imports"),
    path("imports/<int:pk>/", views.batch_detail, name="batch_detail"),
    path("imports/<int:pk>/problems.csv", views.batch_problems, name="batch_problems"),
    path("imports/<int:pk>/accept/", views.batch_accept, name="batch_accept"),
    path("imports/<int:pk>/withdraw/", views.batch_withdraw, name="batch_withdraw"),
    path("templates/<str:kind>.xlsx", views.template_download, name="template"),
    path("exporters/dynamics/", views.dynamics, name="dynamics"),
    path("exporters/dynamics/download.<str:fmt>", views.dynamics_download, name="dynamics_download"),
    path("exporters/potential/", views.potential, name="potential"),
    path("exporters/potential/download.<str:fmt>", views.potential_download, name="potential_download"),
    path("exporters/potential/resolution/", views.potential_resolution, name="potential_resolution"),
]
