from django.urls import path

from . import views, views_platform

app_name = "immersion"

urlpatterns = [
    path("", views.session_list, name="session_list"),
    path("export.<str:fmt>", views.session_list_export, name="session_list_export"),
    path("calendrier/", views.session_calendar, name="session_calendar"),
    path("nouvelle/", views.session_create, name="session_create"),
    path("<int:pk>/", views.session_detail, name="session_detail"),
    path("<int:pk>/modifier/", views.session_edit, name="session_edit"),
    path(
        "<int:pk>/action/<str:action>/",
        views.session_action,
        name="session_action",
    ),
    path("<int:pk>/session.ics", views.session_ics, name="session_ics"),
    path(
        "<int:pk>/participants.<str:fmt>",
        views.session_roster_export,
        name="session_roster_export",
    ),
    path("<int:pk>/inscrire/", views.enrol_youths, name="enrol_youths"),
    path("<int:pk>/inscrire/recherche/", views.enrol_search, name="enrol_search"),
    path("<int:pk>/m-inscrire/", views.enrol_self, name="enrol_self"),
    path(
        "inscriptions/<int:pk>/annuler/",
        views.enrolment_cancel,
        name="enrolment_cancel",
    ),
    path(
        "inscriptions/<int:pk>/presence/",
        views.enrolment_attendance,
        name="enrolment_attendance",
    ),
    path("flux/<str:token>.ics", views.region_feed, name="region_feed"),
    path("flux/renouveler/", views.renew_feed_links, name="renew_feed_links"),
    path("plateforme/", views_platform.cohort_list, name="cohort_list"),
    path("plateforme/nouvelle/", views_platform.cohort_create, name="cohort_create"),
    path("plateforme/<int:pk>/", views_platform.cohort_detail, name="cohort_detail"),
    path("plateforme/<int:pk>/taille/", views_platform.cohort_size, name="cohort_size"),
    path(
        "plateforme/<int:pk>/contrats/",
        views_platform.contract_create,
        name="contract_create",
    ),
    path(
        "contrats/<int:pk>/issue/",
        views_platform.contract_outcome,
        name="contract_outcome",
    ),
    path("bourse/", views_platform.pool_list, name="pool_list"),
    path("bourse/<int:pk>/", views_platform.pool_member, name="pool_member"),
    path("bourse/demandes/", views_platform.pool_requests, name="pool_requests"),
    path(
        "bourse/demandes/<int:pk>/<str:action>/",
        views_platform.pool_request_answer,
        name="pool_request_answer",
    ),
    path("chiffres/", views_platform.national_counts, name="national_counts"),
]
