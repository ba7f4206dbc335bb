"""Accounts' models the audit trail follows (`audit/registry.py`): who belongs to which
organisation with which role, the invitations that grant it, and the companies'
requests for an account (a decision of the project lead)."""

from audit.registry import Tracked

from .models import CompanyAccessRequest, Invitation, Membership

TRACKED = [
    Tracked(Membership, organisation="organisation"),
    # The token is the invitation link's secret.
    Tracked(Invitation, organisation="organisation", exclude=("token",)),
    Tracked(CompanyAccessRequest, organisation="organisation"),
]
