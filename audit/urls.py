from django.urls import path

from . import views

app_name = "audit"

urlpatterns = [
    path("", views.audit_trail, name="audit_trail"),
    path("export.<str:fmt>", views.audit_trail_export, name="audit_trail_export"),
    path("jeunes/<int:pk>/", views.youth_history, name="youth_history"),
]
