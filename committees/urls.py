from django.urls import path

from .views import convention, meetings, plans

app_name = "committees"

urlpatterns = [
    path("", meetings.committee_list, name="committee_list"),
    path("nouveau/", meetings.committee_create, name="committee_create"),
    path("<int:pk>/", meetings.committee_detail, name="committee_detail"),
    path("<int:pk>/membres/ajouter/", meetings.member_add, name="member_add"),
    path(
        "<int:pk>/actions.<str:fmt>",
        meetings.committee_action_items_export,
        name="committee_action_items_export",
    ),
    path("membres/<int:pk>/retirer/", meetings.member_remove, name="member_remove"),
    path("<int:pk>/reunions/nouvelle/", meetings.meeting_create, name="meeting_create"),
    path("reunions/<int:pk>/", meetings.meeting_detail, name="meeting_detail"),
    path("reunions/<int:pk>/modifier/", meetings.meeting_edit, name="meeting_edit"),
    path("reunions/<int:pk>/ordre-du-jour/", meetings.agenda_add, name="agenda_add"),
    path("reunions/<int:pk>/compte-rendu/", meetings.minutes_save, name="minutes_save"),
    path("reunions/<int:pk>/presences/", meetings.attendance_save, name="attendance_save"),
    path(
        "reunions/<int:pk>/presences.<str:fmt>",
        meetings.attendance_export,
        name="attendance_export",
    ),
    path("reunions/<int:pk>/decisions/", meetings.decision_add, name="decision_add"),
    path("reunions/<int:pk>/actions/", meetings.action_add, name="action_add"),
    path("reunions/<int:pk>/documents/", meetings.document_upload, name="document_upload"),
    path("reunions/<int:pk>/invitations/", meetings.invitations_send, name="invitations_send"),
    path("documents/<int:pk>/", meetings.document_download, name="document_download"),
    path("mes-actions/", meetings.my_action_items, name="my_action_items"),
    path(
        "mes-actions/export.<str:fmt>",
        meetings.my_action_items_export,
        name="my_action_items_export",
    ),
    path(
        "actions/<int:pk>/<str:action>/",
        meetings.action_item_transition,
        name="action_item_transition",
    ),
    path("plans/", plans.plan_list, name="plan_list"),
    path("plans/nouveau/", plans.plan_create, name="plan_create"),
    path("plans/<int:pk>/", plans.plan_detail, name="plan_detail"),
    path(
        "plans/<int:pk>/avancement.<str:fmt>",
        plans.plan_progress_export,
        name="plan_progress_export",
    ),
    path("plans/<int:pk>/actions.<str:fmt>", plans.plan_items_export, name="plan_items_export"),
    path("plans/<int:pk>/actions/", plans.plan_item_add, name="plan_item_add"),
    path("plans/<int:pk>/renouveler/", plans.plan_renew, name="plan_renew"),
    path("plans/actions/<int:pk>/", plans.plan_item_detail, name="plan_item_detail"),
    path("plans/actions/<int:pk>/notes/", plans.plan_note_add, name="plan_note_add"),
    path("plans/actions/<int:pk>/modifier/", plans.plan_item_edit, name="plan_item_edit"),
    path(
        "plans/actions/<int:pk>/<str:action>/",
        plans.plan_item_transition,
        name="plan_item_transition",
    ),
    path("convention/", convention.convention_overview, name="convention"),
    path(
        "convention/<int:pk>/engagements.<str:fmt>",
        convention.commitments_export,
        name="commitments_export",
    ),
    path("convention/<int:pk>/renouveler/", convention.convention_renew, name="convention_renew"),
    path(
        "convention/<int:pk>/regionale/",
        convention.regional_convention_create,
        name="regional_convention_create",
    ),
    path(
        "convention/<int:pk>/engagements/",
        convention.additional_commitment_add,
        name="additional_commitment_add",
    ),
    path("engagements/<int:pk>/", convention.commitment_detail, name="commitment_detail"),
    path("engagements/<int:pk>/modifier/", convention.commitment_update, name="commitment_update"),
    path(
        "engagements/<int:pk>/documents/",
        convention.commitment_document_upload,
        name="commitment_document_upload",
    ),
]
