"""Pages of the immersion app, one module per concept (see urls.py)."""
