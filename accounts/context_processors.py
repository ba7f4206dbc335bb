from django.utils.functional import SimpleLazyObject

from .navigation import build_menu, build_navigation


def navigation(request):
    """The user's navigation entries and the header's menu, built only when a template
    reads them (once per request)."""
    items = SimpleLazyObject(lambda: build_navigation(request.user))
    return {
        "nav_items": items,
        "nav_menu": SimpleLazyObject(lambda: build_menu(list(items), request.path)),
    }
