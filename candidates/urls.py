from django.urls import path

from .views import access, imports, records, rights, youths

app_name = "candidates"

urlpatterns = [
    path("", youths.youth_list, name="youth_list"),
    path("export.<str:fmt>", youths.youth_export, name="youth_export"),
    path("nouveau/", youths.youth_create, name="youth_create"),
    path("a-suivre/", youths.due_this_week, name="due_this_week"),
    path("consultations/", access.access_log, name="access_log"),
    path("<int:pk>/", youths.youth_detail, name="youth_detail"),
    path("<int:pk>/modifier/", youths.youth_edit, name="youth_edit"),
    path("<int:pk>/etape/", youths.pathway_move, name="pathway_move"),
    path("<int:pk>/evaluation/", youths.assessment_create, name="assessment_create"),
    path("<int:pk>/entretien/", youths.note_create, name="note_create"),
    path("<int:pk>/consentement/", youths.consent, name="consent"),
    path("<int:pk>/consentement/retrait/", youths.consent_withdraw, name="consent_withdraw"),
    path("suivis/<int:pk>/", youths.check_in_record, name="check_in_record"),
    path("<int:pk>/parrainage/", records.pair_create, name="pair_create"),
    path("parrainages/<int:pk>/fin/", records.pair_end, name="pair_end"),
    path("parrainages/<int:pk>/rencontre/", records.meeting_create, name="meeting_create"),
    path("<int:pk>/vae/", records.vae_form, name="vae_create"),
    path("<int:pk>/vae/<int:project_pk>/", records.vae_form, name="vae_edit"),
    path("<int:pk>/transferer/", records.youth_move, name="youth_move"),
    path("<int:pk>/donnees/", rights.youth_data_page, name="youth_data_page"),
    path("<int:pk>/donnees.json", rights.youth_data_json, name="youth_data_json"),
    path("<int:pk>/donnees.zip", rights.youth_data_zip, name="youth_data_zip"),
    path("<int:pk>/anonymiser/", rights.youth_anonymise, name="youth_anonymise"),
    path("<int:pk>/demande-rgpd/", rights.subject_request_create, name="subject_request_create"),
    path("demandes-rgpd/", rights.subject_request_list, name="subject_request_list"),
    path(
        "demandes-rgpd/<int:pk>/clore/",
        rights.subject_request_close,
        name="subject_request_close",
    ),
    path("<int:pk>/consultations/", access.youth_access_log, name="youth_access_log"),
    path("parrains/", records.mentor_list, name="mentor_list"),
    path("parrains/nouveau/", records.mentor_form, name="mentor_create"),
    path("parrains/<int:pk>/", records.mentor_detail, name="mentor_detail"),
    path("parrains/<int:pk>/modifier/", records.mentor_form, name="mentor_edit"),
    path("import/", imports.import_upload, name="import_upload"),
    path("import/<int:pk>/colonnes/", imports.import_columns, name="import_columns"),
    path("import/<int:pk>/", imports.import_preview, name="import_preview"),
    path("import/<int:pk>/confirmer/", imports.import_confirm, name="import_confirm"),
]
