from django.urls import path

from .views import notices

app_name = "notices"

urlpatterns = [
    path("", notices.notice_list, name="list"),
    path("<slug:slug>/", notices.notice_detail, name="detail"),
    path("<slug:slug>/v<int:version>/", notices.notice_detail, name="version"),
    path("<slug:slug>/v<int:version>.pdf", notices.notice_pdf, name="pdf"),
]
