"""The candidate pool in the Django admin."""

import pytest
from django.contrib import admin
from django.urls import reverse

from tests.accounts.factories import UserFactory

from .factories import YouthFactory


def test_candidate_admins_list_each_column_once():
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label == "candidates":
            columns = list(model_admin.list_display)
            assert len(columns) == len(set(columns)), model.__name__


@pytest.mark.django_db
def test_youth_changelist_shows_the_status_column_once(client):
    YouthFactory()
    client.force_login(UserFactory(admin=True))
    response = client.get(reverse("admin:candidates_youth_changelist"))
    assert response.status_code == 200
    assert response.content.decode().count('class="sortable column-status') == 1
