"""The Trust leader role opens other schools' figures (the trust report), so only a
superuser gives it: a school admin's role forms in the admin do not offer it."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_school_admin_cannot_give_the_trust_leader_role(client, world):
    client.force_login(world.school_admin)
    page = client.get(reverse("admin:school_roleassignment_add")).content.decode()
    assert 'value="governor"' in page
    assert 'value="trust_leader"' not in page
    user_page = client.get(reverse("admin:school_user_change", args=[world.teacher.pk]))
    assert 'value="trust_leader"' not in user_page.content.decode()


def test_a_superuser_can(client, world, django_user_model):
    client.force_login(
        django_user_model.objects.create_superuser(email="root@example.com", password="x")
    )
    page = client.get(reverse("admin:school_roleassignment_add")).content.decode()
    assert 'value="trust_leader"' in page
