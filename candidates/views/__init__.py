"""Pages of the candidates app, one module per concept (see urls.py)."""
