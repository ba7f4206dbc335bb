"""Pages of the offers app, one module per audience and concept (see urls.py). Each
view loads through a scoped queryset (unseen: 404), checks a predicate (refused: 403),
calls a service and renders or redirects."""
