#!/usr/bin/env python
"""Django's command-line utility for the Convention Portal."""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "convention_portal.settings")
    # manage.py is the developer's tool: development mode unless DEBUG says otherwise.
    # The served portal (gunicorn on wsgi.py) and Celery never take this default.
    os.environ.setdefault("DEBUG", "true")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
