from django.urls import path

from . import views, views_lists

app_name = "offers"

urlpatterns = [
    path("", views_lists.browse_offers, name="browse_offers"),
    path("export.<str:fmt>", views_lists.browse_offers_export, name="browse_offers_export"),
    path("nouvelles/", views_lists.new_offers, name="new_offers"),
    path("nouvelles/lues/", views_lists.new_offers_read, name="new_offers_read"),
    path("mes-offres/", views_lists.my_offers, name="my_offers"),
    path("mes-offres/export.<str:fmt>", views_lists.my_offers_export, name="my_offers_export"),
    path("region/", views_lists.region_offers, name="region_offers"),
    path("region/export.<str:fmt>", views_lists.region_offers_export, name="region_offers_export"),
    path("candidatures/", views_lists.proposal_list, name="proposal_list"),
    path(
        "candidatures/export.<str:fmt>",
        views_lists.proposal_list_export,
        name="proposal_list_export",
    ),
    path("chiffres/", views.figures, name="figures"),
    path("nouvelle/", views.offer_create, name="offer_create"),
    path("<int:pk>/", views.offer_detail, name="offer_detail"),
    path("<int:pk>/modifier/", views.offer_edit, name="offer_edit"),
    path("<int:pk>/action/<str:action>/", views.offer_action, name="offer_action"),
    path("<int:pk>/accompagner/", views.offer_accompany, name="offer_accompany"),
    path("<int:pk>/candidatures/", views.offer_board, name="offer_board"),
    path(
        "<int:pk>/candidatures/export.<str:fmt>",
        views.offer_board_export,
        name="offer_board_export",
    ),
    path("<int:pk>/candidatures/refuser/", views.bulk_decline, name="bulk_decline"),
    path("<int:pk>/proposer/", views.offer_propose, name="offer_propose"),
    path("<int:pk>/proposer/recherche/", views.propose_search, name="propose_search"),
    path("<int:pk>/suggestions/", views.offer_suggestions, name="offer_suggestions"),
    path("candidatures/<int:pk>/", views.proposal_detail, name="proposal_detail"),
    path("candidatures/<int:pk>/embaucher/", views.proposal_hire, name="proposal_hire"),
    path("candidatures/<int:pk>/entretien/", views.proposal_invite, name="proposal_invite"),
    path("candidatures/<int:pk>/<str:action>/", views.proposal_action, name="proposal_action"),
]
