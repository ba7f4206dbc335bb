import os

from django.core.wsgi import get_wsgi_application

from convention_portal.collector import collect_between_requests

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "convention_portal.settings")
application = get_wsgi_application()

# What start-up loaded lives as long as the worker: out of the collector's generations;
# the collections run between requests, after each answer (convention_portal/collector.py).
collect_between_requests()
