from django.utils.functional import SimpleLazyObject

from .navigation import build_navigation


def navigation(request):
    """The user's navigation entries, built only when a template reads them."""
    return {"nav_items": SimpleLazyObject(lambda: build_navigation(request.user))}
