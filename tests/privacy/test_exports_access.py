"""The export actions are POST-only: a GET answers 405 to the lead of the school and 404
to everyone else (nobody learns the export or person exists); an anonymous POST is sent
to log in and starts nothing."""

import pytest
from django.urls import reverse

from privacy.models import SubjectAccessExport
from tests.test_permissions import PERSONAS, persona

from .permission_rows_exports import POST_ONLY

pytestmark = pytest.mark.shared_world


@pytest.mark.parametrize("action", POST_ONLY)
@pytest.mark.parametrize("who", PERSONAS)
def test_get_on_an_action_answers_405_to_the_lead_and_404_to_others(
    client, homework_world, action, who
):
    build_url, allowed = POST_ONLY[action]
    client.force_login(persona(homework_world, who))
    response = client.get(build_url(homework_world))
    assert response.status_code == (405 if who in allowed else 404)


@pytest.mark.parametrize("action", POST_ONLY)
def test_anonymous_posts_are_sent_to_log_in(client, homework_world, action):
    url = POST_ONLY[action][0](homework_world)
    before = list(SubjectAccessExport.objects.values_list("pk", "status"))
    response = client.post(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert list(SubjectAccessExport.objects.values_list("pk", "status")) == before
