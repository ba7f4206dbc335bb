from django.urls import path

from . import views

app_name = "audit"

urlpatterns = [
    path("", views.audit_trail, name="audit_trail"),
    path("jeunes/<int:pk>/", views.youth_history, name="youth_history"),
]
