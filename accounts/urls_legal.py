from django.urls import path

from . import views_legal

app_name = "legal"

urlpatterns = [
    path("accessibilite/", views_legal.accessibility, name="accessibility"),
    path("mentions-legales/", views_legal.legal_notice, name="notice"),
    path("contact/", views_legal.contact, name="contact"),
]
