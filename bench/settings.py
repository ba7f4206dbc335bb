"""Settings of the server benchmark only: the product's settings, and a URL
configuration that adds the floor page (`bench/floor_urls.py`).

`bench/` never ships (it is in `.dockerignore`) and nothing in the product imports it:
the floor page exists only in a server started by `bench/server_bench.py`.
"""

from convention_portal.settings import *  # noqa: F403

ROOT_URLCONF = "bench.floor_urls"
