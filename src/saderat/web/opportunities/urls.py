from django.urls import path

from saderat.web.opportunities import views

app_name = "opportunities"
urlpatterns = [
    path("", views.opportunity_list, name="list"),
    path("product/<str:hs4>/", views.product, name="product"),
    path("product-space.json", views.product_space_layout, name="space-layout"),
]
