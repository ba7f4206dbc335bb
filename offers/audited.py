"""The offers' models the audit trail follows (`audit/registry.py`): offers (their states
too, beside `OfferTransition`, which the offer page and its emails read), proposals and
the hires they led to."""

from audit.registry import Tracked

from .models import Employment, Offer, Proposal

TRACKED = [
    Tracked(Offer, organisation="company"),
    Tracked(Proposal, to_youth="youth"),
    Tracked(Employment, to_youth="youth"),
]
