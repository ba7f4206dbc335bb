import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "convention_portal.settings")
application = get_wsgi_application()

# What start-up loaded (Django, the apps, the URLconf) lives as long as the worker: moved
# out of the collector's generations, a full collection no longer walks it. Walking it
# took 30-40 ms, once every few hundred requests: the slowest percent of the pages'
# answers (`docs/benchmarks.md`, "Garbage collection").
gc.freeze()
