"""The Celery application of the tests' worker: the portal's own, plus what the tests
need of a worker that outlives the test database's flushes.

Each committing test ends with a flush, which empties every table and creates
Django's content types again, with new ids (the sequence goes on). The test process
forgets its cached ids then (`post_migrate`); a worker would keep the old ones, and an
audit entry written by a later test's task would name a content type that no longer
exists. The tests' worker reads them again before each task. A production worker never
sees its content types change, and keeps its cache.
"""

from celery.signals import task_prerun

from convention_portal.celery import app

__all__ = ["app"]


@task_prerun.connect
def _content_types_read_again(**kwargs) -> None:
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()


@app.task(name="tests.worker_app.content_type_id")
def content_type_id(label: str) -> int:
    """The id the worker gives the content type of `label` ("app.model")."""
    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(apps.get_model(label)).pk
