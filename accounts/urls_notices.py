from django.urls import path

from . import views_notices

app_name = "notices"

urlpatterns = [
    path("", views_notices.notice_list, name="list"),
    path("<slug:slug>/", views_notices.notice_detail, name="detail"),
    path("<slug:slug>/v<int:version>/", views_notices.notice_detail, name="version"),
    path("<slug:slug>/v<int:version>.pdf", views_notices.notice_pdf, name="pdf"),
]
