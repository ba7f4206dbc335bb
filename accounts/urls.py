from django.urls import path

from .views import accounts

app_name = "accounts"

urlpatterns = [
    path("profil/", accounts.profile, name="profile"),
    path("equipe/", accounts.team, name="team"),
    path("equipe/<int:pk>/acces/", accounts.toggle_membership, name="toggle_membership"),
    path("invitations/", accounts.invitations, name="invitations"),
    path("invitations/<int:pk>/annuler/", accounts.revoke_invitation, name="revoke_invitation"),
    path("invitation/<str:token>/", accounts.accept_invitation, name="accept_invitation"),
    path("courriels/", accounts.outgoing_emails, name="outgoing_emails"),
    path(
        "courriels/<int:pk>/renvoyer/", accounts.retry_outgoing_email, name="retry_outgoing_email"
    ),
    path("demande-entreprise/", accounts.request_company_access, name="request_company_access"),
    path("demandes-entreprises/", accounts.access_requests, name="access_requests"),
    path(
        "demandes-entreprises/<int:pk>/<str:decision>/",
        accounts.decide_access_request,
        name="decide_access_request",
    ),
]
