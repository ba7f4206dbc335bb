from django.urls import path

from . import views

app_name = "reporting"

urlpatterns = [
    path("", views.home, name="home"),
    path("tableau/<str:kind>/", views.dashboard_view, name="dashboard"),
    path(
        "tableau/<str:kind>/export/<slug:table>.<str:fmt>",
        views.export_table,
        name="export",
    ),
    path("tableau/<str:kind>/graphique/<slug:table>.svg", views.chart_image, name="chart"),
    path("synthese/", views.digest_preview, name="digest_preview"),
    path("synthese/abonnement/", views.subscription, name="subscription"),
    path("bilans/", views.review_list, name="review_list"),
    path("bilans/<int:year>/<slug:scope>/", views.review_detail, name="review"),
    path("bilans/<int:year>/<slug:scope>/section/", views.review_section, name="review_section"),
    path("bilans/<int:year>/<slug:scope>/generer/", views.review_generate, name="review_generate"),
    path("bilans/version/<int:pk>/relancer/", views.review_restart, name="review_restart"),
    path("bilans/version/<int:pk>/pdf/", views.review_download, name="review_download"),
]
