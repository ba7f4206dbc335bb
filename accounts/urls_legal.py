from django.urls import path

from .views import legal

app_name = "legal"

urlpatterns = [
    path("accessibilite/", legal.accessibility, name="accessibility"),
    path("mentions-legales/", legal.legal_notice, name="notice"),
    path("contact/", legal.contact, name="contact"),
]
