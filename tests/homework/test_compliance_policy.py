"""The frequency policy page (/homework/policy/): senior leaders start from the recommended
policy and edit the nightly caps and the rules per key stage and subject; bad input shows
clear errors and saves nothing; nobody else may open it; a fixed query budget."""

import re

import pytest
from django.urls import reverse

from homework.models import FrequencyRule, KeyStagePolicy
from homework.services import HomeworkError
from homework.services.compliance import RuleEntry, policy_defaults_create, policy_update
from tests.factories import SubjectFactory

URL = reverse("homework_policy")


def policy_rows(school):
    caps = dict(
        KeyStagePolicy.objects.filter(school=school).values_list("key_stage", "nightly_cap_minutes")
    )
    rules = {
        (rule.key_stage, rule.subject.code if rule.subject else None): (
            rule.every_weeks,
            rule.minutes,
            rule.set_by_department,
        )
        for rule in FrequencyRule.objects.filter(school=school).select_related("subject")
    }
    return caps, rules


RECOMMENDED = (
    {3: 90, 4: 120, 5: 180},
    {
        (3, None): (2, 60, False),
        (3, "En"): (1, 60, False),
        (3, "Ma"): (1, 60, False),
        (4, None): (1, 60, True),
        (5, None): (1, 60, True),
    },
)


@pytest.fixture
def policy(world):
    policy_defaults_create(school=world.school)
    return world


def form_data(school, *, caps=None, changes=None, new=None, delete=()):
    """What the page posts: every current rule as it stands (with `changes` by key stage
    and subject code), the caps, and an optional new row."""
    current_caps, _ = policy_rows(school)
    caps = {**current_caps, **(caps or {})}
    data = {f"cap_{ks}": str(minutes) for ks, minutes in caps.items()}
    rules = list(
        FrequencyRule.objects.filter(school=school)
        .select_related("subject")
        .order_by("key_stage", "subject__name")
    )
    for index, rule in enumerate(rules):
        code = rule.subject.code if rule.subject else None
        values = {
            "id": rule.pk,
            "key_stage": rule.key_stage,
            "subject": rule.subject_id or "",
            "every_weeks": rule.every_weeks,
            "minutes": rule.minutes,
            "set_by_department": rule.set_by_department,
        }
        values.update((changes or {}).get((rule.key_stage, code), {}))
        if (rule.key_stage, code) in delete:
            values["DELETE"] = True
        for name, value in values.items():
            if value is True:
                data[f"rules-{index}-{name}"] = "on"
            elif value is not False:
                data[f"rules-{index}-{name}"] = str(value)
    extra = {"key_stage": 3, "subject": "", "every_weeks": 1, "minutes": 60}
    extra.update(new or {})
    for name, value in extra.items():
        if value is True:
            data[f"rules-{len(rules)}-{name}"] = "on"
        elif value is not False:
            data[f"rules-{len(rules)}-{name}"] = str(value)
    data.update(
        {
            "rules-TOTAL_FORMS": str(len(rules) + 1),
            "rules-INITIAL_FORMS": str(len(rules)),
            "rules-MIN_NUM_FORMS": "0",
            "rules-MAX_NUM_FORMS": "1000",
        }
    )
    return data


# Starting a policy ---------------------------------------------------------------------------


def test_a_school_without_a_policy_is_offered_the_recommended_one_and_get_writes_nothing(
    client, world
):
    client.force_login(world.senior_leader)
    response = client.get(URL)

    text = response.content.decode()
    assert response.status_code == 200
    assert "No policy yet" in text
    assert "Start from the recommended policy" in text
    assert not KeyStagePolicy.objects.exists()
    assert not FrequencyRule.objects.exists()


def test_starting_from_the_recommended_policy_creates_seed_002s_guidance(client, world):
    client.force_login(world.school_admin)
    response = client.post(URL, {"start": "1"}, follow=True)

    assert response.redirect_chain == [(URL, 302)]
    assert "The recommended policy is in place" in response.content.decode()
    assert policy_rows(world.school) == RECOMMENDED
    assert not KeyStagePolicy.objects.exclude(school=world.school).exists()


def test_starting_twice_changes_nothing(client, policy):
    client.force_login(policy.senior_leader)
    client.post(URL, {"start": "1"})
    assert policy_rows(policy.school) == RECOMMENDED


# Editing -------------------------------------------------------------------------------------


def label_of(html, field_id) -> str:
    """The words of the label for this field (crispy marks a required one with *)."""
    match = re.search(rf'<label\s+for="{field_id}"[^>]*>(.*?)</label>', html, re.S)
    assert match, f"no label for {field_id}"
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", match.group(1))).strip()


def test_the_page_lists_caps_and_rules_with_labelled_fields(client, policy):
    client.force_login(policy.senior_leader)
    text = client.get(URL).content.decode()

    assert 'value="90"' in text and 'value="120"' in text and 'value="180"' in text
    for legend in ("KS3 other subjects", "KS3 Maths", "KS4 other subjects", "Add a rule"):
        assert f"{legend}\n" in text or f"{legend}</legend>" in text
    assert label_of(text, "id_rules-0-minutes") == "Minutes*"
    assert label_of(text, "id_rules-0-DELETE") == "Remove this rule"
    assert label_of(text, "id_cap_3") == "KS3 (Years 7–9)*"


def test_senior_leader_changes_a_cap_and_a_rule(client, policy):
    client.force_login(policy.senior_leader)
    data = form_data(
        policy.school,
        caps={3: 75},
        changes={
            (3, "Ma"): {"every_weeks": 2, "minutes": 45},
            (4, None): {"set_by_department": False},
        },
    )
    response = client.post(URL, data, follow=True)

    assert "Homework policy saved" in response.content.decode()
    caps, rules = policy_rows(policy.school)
    assert caps == {3: 75, 4: 120, 5: 180}
    assert rules[(3, "Ma")] == (2, 45, False)
    assert rules[(4, None)] == (1, 60, False)
    assert rules[(3, "En")] == (1, 60, False)


def test_adding_a_rule_chooses_from_the_schools_subjects(client, policy):
    art = SubjectFactory(school=policy.school, name="Art", code="Ar")
    SubjectFactory(school=policy.other_school, name="Dance", code="Da")
    client.force_login(policy.senior_leader)

    page = client.get(URL).content.decode()
    assert ">Art</option>" in page and "Dance" not in page

    client.post(
        URL, form_data(policy.school, new={"key_stage": 4, "subject": art.pk, "minutes": 90})
    )
    assert policy_rows(policy.school)[1][(4, "Ar")] == (1, 90, False)


def test_a_lost_rule_for_other_subjects_can_be_added_again(client, policy):
    FrequencyRule.objects.filter(school=policy.school, key_stage=5).delete()
    client.force_login(policy.senior_leader)

    response = client.post(
        URL, form_data(policy.school, new={"key_stage": 5, "subject": "other", "every_weeks": 2})
    )

    assert response.status_code == 302
    assert policy_rows(policy.school)[1][(5, None)] == (2, 60, False)


def test_removing_a_subject_rule_leaves_it_to_the_key_stages_rule(client, policy):
    client.force_login(policy.senior_leader)
    client.post(URL, form_data(policy.school, delete={(3, "En")}))

    assert (3, "En") not in policy_rows(policy.school)[1]
    assert len(policy_rows(policy.school)[1]) == 4


def test_an_untouched_new_row_adds_nothing(client, policy):
    client.force_login(policy.senior_leader)
    response = client.post(URL, form_data(policy.school))

    assert response.status_code == 302
    assert policy_rows(policy.school) == RECOMMENDED


# Bad input: clear errors, nothing saved ------------------------------------------------------


def post_bad(client, world, data):
    client.force_login(world.senior_leader)
    response = client.post(URL, data)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Nothing was saved" in text
    assert policy_rows(world.school) == RECOMMENDED
    return text


def test_zero_minutes_is_refused_and_nothing_is_saved(client, policy):
    text = post_bad(
        client,
        policy,
        form_data(policy.school, caps={3: 60}, changes={(3, "Ma"): {"minutes": 0}}),
    )
    assert "Minutes must be at least 1." in text
    assert 'aria-invalid="true"' in text


def test_a_zero_cap_is_refused(client, policy):
    text = post_bad(client, policy, form_data(policy.school, caps={4: 0}))
    assert "A nightly cap must be at least 1 minute." in text


def test_a_missing_cap_is_refused(client, policy):
    data = form_data(policy.school)
    del data["cap_5"]
    assert "Enter the KS5 nightly cap in minutes." in post_bad(client, policy, data)


def test_a_second_rule_for_the_same_subject_and_key_stage_is_refused(client, policy):
    text = post_bad(
        client,
        policy,
        form_data(policy.school, caps={3: 60}, new={"subject": policy.maths.pk, "minutes": 30}),
    )
    assert "KS3 has more than one rule for Maths: keep one." in text


def test_a_new_rule_without_a_subject_is_refused(client, policy):
    text = post_bad(client, policy, form_data(policy.school, new={"minutes": 30}))
    assert "Choose the subject this new rule is for." in text


def test_a_second_rule_for_other_subjects_is_refused(client, policy):
    text = post_bad(
        client, policy, form_data(policy.school, new={"key_stage": 4, "subject": "other"})
    )
    assert "KS4 has more than one rule for other subjects: keep one." in text


def test_removing_a_key_stages_rule_for_other_subjects_is_refused(client, policy):
    text = post_bad(client, policy, form_data(policy.school, delete={(4, None)}))
    assert "KS4 needs a rule for other subjects." in text


def test_zero_weeks_is_refused(client, policy):
    text = post_bad(
        client, policy, form_data(policy.school, changes={(3, None): {"every_weeks": 0}})
    )
    assert "Every 1 week (weekly) is the most often." in text


def test_another_schools_subject_is_refused(client, policy):
    dance = SubjectFactory(school=policy.other_school, name="Dance", code="Da")
    text = post_bad(client, policy, form_data(policy.school, new={"subject": dance.pk}))
    assert "Select a valid choice" in text


def test_another_schools_rule_cannot_be_changed_through_the_form(client, policy):
    policy_defaults_create(school=policy.other_school)
    theirs = FrequencyRule.objects.get(school=policy.other_school, key_stage=4)
    data = form_data(policy.school)
    own_ks4 = FrequencyRule.objects.get(school=policy.school, key_stage=4)
    index = next(key for key, value in data.items() if value == str(own_ks4.pk))
    data[index] = str(theirs.pk)
    data[index.replace("-id", "-minutes")] = "5"
    client.force_login(policy.senior_leader)

    client.post(URL, data)

    theirs.refresh_from_db()
    assert theirs.minutes == 60
    assert policy_rows(policy.other_school)[1][(4, None)] == (1, 60, True)


def test_the_service_changes_nothing_when_it_refuses(policy):
    dance = SubjectFactory(school=policy.other_school, name="Dance", code="Da")
    rules = [
        RuleEntry(key_stage=3, subject_id=None, every_weeks=1, minutes=30),
        RuleEntry(key_stage=4, subject_id=None, every_weeks=1, minutes=30),
        RuleEntry(key_stage=5, subject_id=None, every_weeks=1, minutes=30),
        RuleEntry(key_stage=3, subject_id=dance.pk, every_weeks=1, minutes=30),
    ]
    with pytest.raises(HomeworkError, match="Choose subjects of your own school"):
        policy_update(school=policy.school, nightly_caps={3: 10}, rules=rules)
    assert policy_rows(policy.school) == RECOMMENDED


def test_the_service_replaces_the_rules_as_a_whole(policy):
    policy_update(
        school=policy.school,
        nightly_caps={3: 80, 4: 100, 5: 150},
        rules=[
            RuleEntry(key_stage=3, subject_id=None, every_weeks=3, minutes=40),
            RuleEntry(key_stage=3, subject_id=policy.english.pk, every_weeks=2, minutes=50),
            RuleEntry(
                key_stage=4, subject_id=None, every_weeks=1, minutes=60, set_by_department=True
            ),
            RuleEntry(key_stage=5, subject_id=None, every_weeks=1, minutes=90),
        ],
    )
    assert policy_rows(policy.school) == (
        {3: 80, 4: 100, 5: 150},
        {
            (3, None): (3, 40, False),
            (3, "En"): (2, 50, False),
            (4, None): (1, 60, True),
            (5, None): (1, 90, False),
        },
    )


# Who may open it ----------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["teacher", "subject_leader", "head_of_year", "lsa", "parent"])
def test_only_senior_leaders_and_admins_may_open_or_post(client, policy, who):
    client.force_login(getattr(policy, who))

    assert client.get(URL).status_code == 404
    assert client.post(URL, form_data(policy.school, caps={3: 10})).status_code == 404
    assert client.post(URL, {"start": "1"}).status_code == 404
    assert policy_rows(policy.school) == RECOMMENDED


def test_another_schools_leader_edits_only_their_own_school(client, policy):
    client.force_login(policy.other_school_staff)

    page = client.get(URL).content.decode()
    client.post(URL, {"start": "1"})

    assert "No policy yet" in page
    assert "Maths" not in page
    assert policy_rows(policy.other_school)[0] == {3: 90, 4: 120, 5: 180}
    assert policy_rows(policy.school) == RECOMMENDED


# Query budget --------------------------------------------------------------------------------


@pytest.mark.parametrize("subjects", [1, 50])
def test_query_budget_does_not_grow_with_rules(client, policy, django_assert_num_queries, subjects):
    for number in range(subjects):
        subject = SubjectFactory(school=policy.school, name=f"Subject {number}", code=f"S{number}")
        FrequencyRule.objects.create(school=policy.school, key_stage=4, subject=subject)
    client.force_login(policy.senior_leader)

    # session, user, roles, caps, rules (with their subjects), the school's subjects
    with django_assert_num_queries(6):
        response = client.get(URL)

    assert response.status_code == 200
    assert response.content.decode().count("KS4 Subject") == subjects
