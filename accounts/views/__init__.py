"""Pages of the accounts app, one module per concept (see urls.py)."""
