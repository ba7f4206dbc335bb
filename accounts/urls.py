from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("profil/", views.profile, name="profile"),
    path("equipe/", views.team, name="team"),
    path("equipe/<int:pk>/acces/", views.toggle_membership, name="toggle_membership"),
    path("invitations/", views.invitations, name="invitations"),
    path("invitations/<int:pk>/annuler/", views.revoke_invitation, name="revoke_invitation"),
    path("invitation/<str:token>/", views.accept_invitation, name="accept_invitation"),
    path("courriels/", views.outgoing_emails, name="outgoing_emails"),
    path("courriels/<int:pk>/renvoyer/", views.retry_outgoing_email, name="retry_outgoing_email"),
    path("demande-entreprise/", views.request_company_access, name="request_company_access"),
    path("demandes-entreprises/", views.access_requests, name="access_requests"),
    path(
        "demandes-entreprises/<int:pk>/<str:decision>/",
        views.decide_access_request,
        name="decide_access_request",
    ),
]
