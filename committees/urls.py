from django.urls import path

from . import views

app_name = "committees"

urlpatterns = [
    path("", views.committee_list, name="committee_list"),
    path("nouveau/", views.committee_create, name="committee_create"),
    path("<int:pk>/", views.committee_detail, name="committee_detail"),
    path("<int:pk>/membres/ajouter/", views.member_add, name="member_add"),
    path("membres/<int:pk>/retirer/", views.member_remove, name="member_remove"),
    path("<int:pk>/reunions/nouvelle/", views.meeting_create, name="meeting_create"),
    path("reunions/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("reunions/<int:pk>/modifier/", views.meeting_edit, name="meeting_edit"),
    path("reunions/<int:pk>/ordre-du-jour/", views.agenda_add, name="agenda_add"),
    path("reunions/<int:pk>/compte-rendu/", views.minutes_save, name="minutes_save"),
    path("reunions/<int:pk>/presences/", views.attendance_save, name="attendance_save"),
    path("reunions/<int:pk>/decisions/", views.decision_add, name="decision_add"),
    path("reunions/<int:pk>/actions/", views.action_add, name="action_add"),
    path("reunions/<int:pk>/documents/", views.document_upload, name="document_upload"),
    path("reunions/<int:pk>/invitations/", views.invitations_send, name="invitations_send"),
    path("documents/<int:pk>/", views.document_download, name="document_download"),
    path("mes-actions/", views.my_action_items, name="my_action_items"),
    path(
        "actions/<int:pk>/<str:action>/",
        views.action_item_transition,
        name="action_item_transition",
    ),
    path("plans/", views.plan_list, name="plan_list"),
    path("plans/nouveau/", views.plan_create, name="plan_create"),
    path("plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/actions/", views.plan_item_add, name="plan_item_add"),
    path("plans/<int:pk>/renouveler/", views.plan_renew, name="plan_renew"),
    path("plans/actions/<int:pk>/", views.plan_item_detail, name="plan_item_detail"),
    path("plans/actions/<int:pk>/notes/", views.plan_note_add, name="plan_note_add"),
    path(
        "plans/actions/<int:pk>/<str:action>/",
        views.plan_item_transition,
        name="plan_item_transition",
    ),
    path("convention/", views.convention_overview, name="convention"),
    path("convention/<int:pk>/renouveler/", views.convention_renew, name="convention_renew"),
    path(
        "convention/<int:pk>/regionale/",
        views.regional_convention_create,
        name="regional_convention_create",
    ),
    path(
        "convention/<int:pk>/engagements/",
        views.additional_commitment_add,
        name="additional_commitment_add",
    ),
    path("engagements/<int:pk>/", views.commitment_detail, name="commitment_detail"),
    path("engagements/<int:pk>/modifier/", views.commitment_update, name="commitment_update"),
    path(
        "engagements/<int:pk>/documents/",
        views.commitment_document_upload,
        name="commitment_document_upload",
    ),
]
