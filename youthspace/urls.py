from django.urls import path

from . import views

app_name = "youthspace"

urlpatterns = [
    # The youth's own pages: no youth id in any address.
    path("", views.home, name="home"),
    path("rendez-vous/", views.sessions, name="sessions"),
    path("rendez-vous/<int:pk>/agenda.ics", views.session_ics, name="session_ics"),
    path("rendez-vous/<int:pk>/reponse/", views.session_answer, name="session_answer"),
    path("candidatures/", views.proposals, name="proposals"),
    path("conseiller/", views.advisor, name="advisor"),
    path("donnees/", views.data, name="data"),
    path("donnees/mes-donnees.json", views.data_download, name="data_download"),
    path("donnees/consentement/", views.consent, name="consent"),
    # Public: asking for a link, the link itself, a reminder's answer link.
    path("connexion/", views.request_link, name="request_link"),
    path("connexion/lien/", views.sign_in, name="sign_in"),
    path("reponse/lien/", views.answer_link, name="answer_link"),
    path("reponse/", views.answer_confirm, name="answer_confirm"),
    # The advisor's side.
    path("suivi/jeunes/<int:pk>/inviter/", views.invite, name="invite"),
    path("suivi/jeunes/<int:pk>/prochaine-etape/", views.next_step, name="next_step"),
    path("suivi/reponses/", views.answers, name="answers"),
]
