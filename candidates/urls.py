from django.urls import path

from . import views, views_access, views_import, views_records, views_rights

app_name = "candidates"

urlpatterns = [
    path("", views.youth_list, name="youth_list"),
    path("export.<str:fmt>", views.youth_export, name="youth_export"),
    path("nouveau/", views.youth_create, name="youth_create"),
    path("a-suivre/", views.due_this_week, name="due_this_week"),
    path("consultations/", views_access.access_log, name="access_log"),
    path("<int:pk>/", views.youth_detail, name="youth_detail"),
    path("<int:pk>/modifier/", views.youth_edit, name="youth_edit"),
    path("<int:pk>/etape/", views.pathway_move, name="pathway_move"),
    path("<int:pk>/evaluation/", views.assessment_create, name="assessment_create"),
    path("<int:pk>/entretien/", views.note_create, name="note_create"),
    path("<int:pk>/consentement/", views.consent, name="consent"),
    path("<int:pk>/consentement/retrait/", views.consent_withdraw, name="consent_withdraw"),
    path("suivis/<int:pk>/", views.check_in_record, name="check_in_record"),
    path("<int:pk>/parrainage/", views_records.pair_create, name="pair_create"),
    path("parrainages/<int:pk>/fin/", views_records.pair_end, name="pair_end"),
    path("parrainages/<int:pk>/rencontre/", views_records.meeting_create, name="meeting_create"),
    path("<int:pk>/vae/", views_records.vae_form, name="vae_create"),
    path("<int:pk>/vae/<int:project_pk>/", views_records.vae_form, name="vae_edit"),
    path("<int:pk>/transferer/", views_records.youth_move, name="youth_move"),
    path("<int:pk>/donnees/", views_rights.youth_data_page, name="youth_data_page"),
    path("<int:pk>/donnees.json", views_rights.youth_data_json, name="youth_data_json"),
    path("<int:pk>/donnees.zip", views_rights.youth_data_zip, name="youth_data_zip"),
    path("<int:pk>/anonymiser/", views_rights.youth_anonymise, name="youth_anonymise"),
    path(
        "<int:pk>/demande-rgpd/", views_rights.subject_request_create, name="subject_request_create"
    ),
    path("demandes-rgpd/", views_rights.subject_request_list, name="subject_request_list"),
    path(
        "demandes-rgpd/<int:pk>/clore/",
        views_rights.subject_request_close,
        name="subject_request_close",
    ),
    path("<int:pk>/consultations/", views_access.youth_access_log, name="youth_access_log"),
    path("parrains/", views_records.mentor_list, name="mentor_list"),
    path("parrains/nouveau/", views_records.mentor_form, name="mentor_create"),
    path("parrains/<int:pk>/", views_records.mentor_detail, name="mentor_detail"),
    path("parrains/<int:pk>/modifier/", views_records.mentor_form, name="mentor_edit"),
    path("import/", views_import.import_upload, name="import_upload"),
    path("import/<int:pk>/colonnes/", views_import.import_columns, name="import_columns"),
    path("import/<int:pk>/", views_import.import_preview, name="import_preview"),
    path("import/<int:pk>/confirmer/", views_import.import_confirm, name="import_confirm"),
]
