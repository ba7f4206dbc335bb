from django.urls import path

from .views import board, figures, lists, offer

app_name = "offers"

urlpatterns = [
    path("", lists.browse_offers, name="browse_offers"),
    path("export.<str:fmt>", lists.browse_offers_export, name="browse_offers_export"),
    path("nouvelles/", lists.new_offers, name="new_offers"),
    path("nouvelles/lues/", lists.new_offers_read, name="new_offers_read"),
    path("mes-offres/", lists.my_offers, name="my_offers"),
    path("mes-offres/export.<str:fmt>", lists.my_offers_export, name="my_offers_export"),
    path("region/", lists.region_offers, name="region_offers"),
    path("region/export.<str:fmt>", lists.region_offers_export, name="region_offers_export"),
    path("candidatures/", lists.proposal_list, name="proposal_list"),
    path(
        "candidatures/export.<str:fmt>",
        lists.proposal_list_export,
        name="proposal_list_export",
    ),
    path("chiffres/", figures.figures, name="figures"),
    path("nouvelle/", offer.offer_create, name="offer_create"),
    path("<int:pk>/", offer.offer_detail, name="offer_detail"),
    path("<int:pk>/modifier/", offer.offer_edit, name="offer_edit"),
    path("<int:pk>/action/<str:action>/", offer.offer_action, name="offer_action"),
    path("<int:pk>/accompagner/", offer.offer_accompany, name="offer_accompany"),
    path("<int:pk>/candidatures/", board.offer_board, name="offer_board"),
    path(
        "<int:pk>/candidatures/export.<str:fmt>",
        board.offer_board_export,
        name="offer_board_export",
    ),
    path("<int:pk>/candidatures/refuser/", board.bulk_decline, name="bulk_decline"),
    path("<int:pk>/proposer/", board.offer_propose, name="offer_propose"),
    path("<int:pk>/proposer/recherche/", board.propose_search, name="propose_search"),
    path("<int:pk>/suggestions/", board.offer_suggestions, name="offer_suggestions"),
    path("candidatures/<int:pk>/", board.proposal_detail, name="proposal_detail"),
    path("candidatures/<int:pk>/embaucher/", board.proposal_hire, name="proposal_hire"),
    path("candidatures/<int:pk>/entretien/", board.proposal_invite, name="proposal_invite"),
    path("candidatures/<int:pk>/<str:action>/", board.proposal_action, name="proposal_action"),
]
