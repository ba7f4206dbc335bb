"""Private storage of the committees' documents: outside static and any public path."""

from __future__ import annotations

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateStorage(FileSystemStorage):
    """Files under settings.PRIVATE_MEDIA_ROOT/committees, read at each use so tests may
    point PRIVATE_MEDIA_ROOT elsewhere. No URL: files leave only through a view."""

    @property
    def base_location(self):
        return os.path.join(settings.PRIVATE_MEDIA_ROOT, "committees")

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):
        return None


_private_storage = PrivateStorage()


def private_storage() -> PrivateStorage:
    return _private_storage
