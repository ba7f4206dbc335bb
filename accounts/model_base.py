"""The base of the portal's models: `PortalModel`.

Django's `get_FOO_display()` builds a dictionary of the field's choices on each call and
hashes every label to do it. The labels are lazy translations, so each call translates
every label of the field: 25 to 50 µs for one value, paid for each row, field and page
(an offer's board of 100 cards asked it 500 times a request). `PortalModel` looks the
value up among the choices and translates only the label found: the same text, in the
active language, at about 1 µs (`tests/accounts/test_model_base.py` compares it with
Django's own on every choice of every model).
"""

from django.db import models
from django.utils.encoding import force_str


class PortalModel(models.Model):
    """Every model of the portal's apps derives from this one (a test checks it)."""

    class Meta:
        abstract = True

    def _get_FIELD_display(self, field):  # noqa: N802 (Django's name)
        value = getattr(self, field.attname)
        for choice, label in field.flatchoices:
            if choice == value:
                return force_str(label, strings_only=True)
        return force_str(value, strings_only=True)
