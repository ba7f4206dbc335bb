"""The garbage collector of a web worker: its collections run after a request's answer
is sent, not in the middle of building it.

Python collects reference cycles every 700 new container objects. A page builds tens
of thousands (rows, markup, the ORM's queries), so its request stopped several times
for a young collection, and one request in ten or so for an older one (0.5-0.9 ms,
`docs/benchmarks.md`, "Garbage collected after each answer"), while the page's own
objects were still alive and had to be walked. After the answer, what the request
built is gone but for its cycles, and the collection has little left to walk.

`collect_between_requests` (called by `convention_portal.wsgi`, the web worker's start,
never by the tests or Celery):
- freezes what start-up loaded (Django, the apps, the URLconf live as long as the
  worker: a full collection no longer walks them);
- raises the young generation's threshold to `IN_REQUEST_THRESHOLD`, so a request
  building an unusually large graph (an export) still collects on its way;
- after each response (`request_finished`, sent when the server closes the answer,
  its body written), collects the young generation, the middle one every
  `MIDDLE_EVERY` requests and the whole heap every `FULL_EVERY`.
"""

from __future__ import annotations

import gc

from django.core.signals import request_finished

#: New container objects within one request before it collects anyway.
IN_REQUEST_THRESHOLD = 50_000
#: Requests between two collections of the middle generation (Python's own ratio).
MIDDLE_EVERY = 10
#: Requests between two full collections.
FULL_EVERY = 1_000

_served = 0


def collect_between_requests() -> None:
    gc.freeze()
    gc.set_threshold(IN_REQUEST_THRESHOLD, MIDDLE_EVERY, MIDDLE_EVERY)
    request_finished.connect(collect_after_response, dispatch_uid="collect_after_response")


def collect_after_response(**kwargs) -> None:
    """The collection due after a request, its answer sent."""
    global _served
    _served += 1
    if _served % FULL_EVERY == 0:
        gc.collect(2)
    elif _served % MIDDLE_EVERY == 0:
        gc.collect(1)
    else:
        gc.collect(0)
