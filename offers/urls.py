from django.urls import path

from . import views

app_name = "offers"

urlpatterns = [
    path("", views.browse_offers, name="browse_offers"),
    path("nouvelles/", views.new_offers, name="new_offers"),
    path("nouvelles/lues/", views.new_offers_read, name="new_offers_read"),
    path("mes-offres/", views.my_offers, name="my_offers"),
    path("region/", views.region_offers, name="region_offers"),
    path("chiffres/", views.figures, name="figures"),
    path("nouvelle/", views.offer_create, name="offer_create"),
    path("<int:pk>/", views.offer_detail, name="offer_detail"),
    path("<int:pk>/modifier/", views.offer_edit, name="offer_edit"),
    path("<int:pk>/action/<str:action>/", views.offer_action, name="offer_action"),
    path("<int:pk>/accompagner/", views.offer_accompany, name="offer_accompany"),
    path("<int:pk>/candidatures/", views.offer_board, name="offer_board"),
    path("<int:pk>/candidatures/refuser/", views.bulk_decline, name="bulk_decline"),
    path("<int:pk>/proposer/", views.offer_propose, name="offer_propose"),
    path("<int:pk>/proposer/recherche/", views.propose_search, name="propose_search"),
    path("<int:pk>/suggestions/", views.offer_suggestions, name="offer_suggestions"),
    path("candidatures/<int:pk>/", views.proposal_detail, name="proposal_detail"),
    path("candidatures/<int:pk>/embaucher/", views.proposal_hire, name="proposal_hire"),
    path("candidatures/<int:pk>/<str:action>/", views.proposal_action, name="proposal_action"),
]
