"""The immersion app's models the audit trail follows (`audit/registry.py`): enrolments
(the trail is their history: it replaced `EnrolmentLog`), the platform's CAE contracts
and the companies' requests from the candidate pool."""

from audit.registry import Tracked

from .models import CaeContract, Enrolment, PoolRequest

TRACKED = [
    Tracked(Enrolment, to_youth="youth"),
    Tracked(CaeContract, to_youth="youth"),
    Tracked(PoolRequest, to_youth="youth"),
]
