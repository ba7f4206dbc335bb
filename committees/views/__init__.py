"""Views of the committees app, split by concept (see urls.py)."""
