from django.urls import path

from .views import calendar, platform, sessions

app_name = "immersion"

urlpatterns = [
    path("", sessions.session_list, name="session_list"),
    path("export.<str:fmt>", sessions.session_list_export, name="session_list_export"),
    path("calendrier/", calendar.session_calendar, name="session_calendar"),
    path("nouvelle/", sessions.session_create, name="session_create"),
    path("<int:pk>/", sessions.session_detail, name="session_detail"),
    path("<int:pk>/modifier/", sessions.session_edit, name="session_edit"),
    path(
        "<int:pk>/action/<str:action>/",
        sessions.session_action,
        name="session_action",
    ),
    path("<int:pk>/session.ics", sessions.session_ics, name="session_ics"),
    path(
        "<int:pk>/participants.<str:fmt>",
        sessions.session_roster_export,
        name="session_roster_export",
    ),
    path("<int:pk>/inscrire/", sessions.enrol_youths, name="enrol_youths"),
    path("<int:pk>/inscrire/recherche/", sessions.enrol_search, name="enrol_search"),
    path("<int:pk>/m-inscrire/", sessions.enrol_self, name="enrol_self"),
    path(
        "inscriptions/<int:pk>/annuler/",
        sessions.enrolment_cancel,
        name="enrolment_cancel",
    ),
    path(
        "inscriptions/<int:pk>/presence/",
        sessions.enrolment_attendance,
        name="enrolment_attendance",
    ),
    path("flux/<str:token>.ics", sessions.region_feed, name="region_feed"),
    path("flux/renouveler/", sessions.renew_feed_links, name="renew_feed_links"),
    path("plateforme/", platform.cohort_list, name="cohort_list"),
    path("plateforme/nouvelle/", platform.cohort_create, name="cohort_create"),
    path("plateforme/<int:pk>/", platform.cohort_detail, name="cohort_detail"),
    path("plateforme/<int:pk>/taille/", platform.cohort_size, name="cohort_size"),
    path(
        "plateforme/<int:pk>/contrats/",
        platform.contract_create,
        name="contract_create",
    ),
    path(
        "contrats/<int:pk>/issue/",
        platform.contract_outcome,
        name="contract_outcome",
    ),
    path("bourse/", platform.pool_list, name="pool_list"),
    path("bourse/<int:pk>/", platform.pool_member, name="pool_member"),
    path("bourse/demandes/", platform.pool_requests, name="pool_requests"),
    path(
        "bourse/demandes/<int:pk>/<str:action>/",
        platform.pool_request_answer,
        name="pool_request_answer",
    ),
    path("chiffres/", platform.national_counts, name="national_counts"),
]
