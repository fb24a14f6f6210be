"""The "how you can help at home" note a teacher gives a homework for parents: written on
the setting form (with the school's Polish and Urdu translations, optional), kept on every
class the homework is set for, editable afterwards, shown on the parent's child page next
to the task in the parent's language (English where there is no translation), and on the
pupil's task page. Never shown to another family."""

import pytest
from django.urls import reverse

from homework.models import Homework

from .test_setting_changes import edit_data
from .test_setting_form import MONDAY, add_class, form_data, new_pupils

NOTE = "Ask them to explain how they found a common denominator."
NOTE_PL = "Poproś dziecko, aby wyjaśniło, jak znalazło wspólny mianownik."
NOTE_UR = "ان سے پوچھیں کہ مشترک نسب نما کیسے نکالا۔"


@pytest.fixture
def frozen(time_machine):
    time_machine.move_to(MONDAY, tick=False)
    return time_machine


@pytest.fixture
def hw(frozen, homework_world):
    return homework_world


@pytest.fixture
def setting(time_machine, world, settings, tmp_path):
    time_machine.move_to(MONDAY, tick=False)
    settings.MEDIA_ROOT = tmp_path / "media"
    return world


def give_note(homework, english=NOTE, polish=NOTE_PL, urdu=""):
    Homework.objects.filter(pk=homework.pk).update(
        help_at_home=english, help_at_home_pl=polish, help_at_home_ur=urdu
    )


def speaks(world, language):
    world.guardian.preferred_language = language
    world.guardian.save(update_fields=["preferred_language"])


def child_page(client, user, pupil) -> str:
    client.force_login(user)
    response = client.get(reverse("parents_child", args=[pupil.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_setting_form_offers_the_note_and_its_translations(client, setting):
    client.force_login(setting.teacher)
    page = client.get(reverse("homework_new")).content.decode()
    assert "How parents can help at home (optional)" in page
    for name in ("help_at_home", "help_at_home_pl", "help_at_home_ur"):
        assert f'name="{name}"' in page
    assert 'lang="ur"' in page and 'dir="rtl"' in page


def test_a_note_set_for_two_classes_is_kept_on_each(client, setting):
    w = setting
    second = add_class(w, "7y/Ma2", new_pupils(w, 2))
    client.force_login(w.teacher)
    response = client.post(
        reverse("homework_new"),
        form_data(
            [w.maths_7, second],
            help_at_home=f"  {NOTE}  ",
            help_at_home_pl=NOTE_PL,
            help_at_home_ur=NOTE_UR,
        ),
    )
    assert response.status_code == 302
    notes = set(Homework.objects.values_list("help_at_home", "help_at_home_pl", "help_at_home_ur"))
    assert notes == {(NOTE, NOTE_PL, NOTE_UR)}
    assert Homework.objects.count() == 2


def test_the_note_is_optional(client, setting):
    client.force_login(setting.teacher)
    response = client.post(reverse("homework_new"), form_data([setting.maths_7]))
    assert response.status_code == 302
    assert Homework.objects.get().help_at_home == ""


def test_a_translation_without_the_english_note_is_refused_and_nothing_saved(client, setting):
    client.force_login(setting.teacher)
    response = client.post(
        reverse("homework_new"), form_data([setting.maths_7], help_at_home_pl=NOTE_PL)
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Write the note in English too" in page
    assert NOTE_PL in page  # what the teacher typed is kept on the page
    assert not Homework.objects.exists()


def test_a_note_too_long_is_refused_with_a_clear_message(client, setting):
    client.force_login(setting.teacher)
    response = client.post(
        reverse("homework_new"), form_data([setting.maths_7], help_at_home="x" * 2001)
    )
    assert response.status_code == 200
    assert "at most 2000 characters" in response.content.decode().replace(",", "")
    assert not Homework.objects.exists()


def test_the_note_can_be_added_and_changed_afterwards(client, hw):
    client.force_login(hw.teacher)
    url = reverse("homework_edit", args=[hw.maths_homework.pk])
    assert 'name="help_at_home"' in client.get(url).content.decode()
    response = client.post(url, edit_data(help_at_home=NOTE, help_at_home_ur=NOTE_UR))
    assert response.status_code == 302
    hw.maths_homework.refresh_from_db()
    assert (hw.maths_homework.help_at_home, hw.maths_homework.help_at_home_ur) == (NOTE, NOTE_UR)
    assert NOTE in client.get(url).content.decode()
    client.post(url, edit_data(help_at_home=""))
    hw.maths_homework.refresh_from_db()
    assert hw.maths_homework.help_at_home == "" and hw.maths_homework.help_at_home_ur == ""


@pytest.mark.parametrize(
    ("language", "shown", "hidden"),
    [("pl", NOTE_PL, NOTE), ("en-gb", NOTE, NOTE_PL), ("ur", NOTE, NOTE_PL)],
)
def test_the_parent_reads_the_note_in_their_language_or_english(
    client, hw, language, shown, hidden
):
    give_note(hw.maths_homework)  # Polish given, Urdu not: an Urdu reader gets English
    speaks(hw, language)
    page = child_page(client, hw.parent, hw.pupil)
    assert shown in page and hidden not in page
    assert "Fractions practice" in page


def test_the_urdu_translation_is_marked_as_urdu(client, hw):
    give_note(hw.maths_homework, urdu=NOTE_UR)
    speaks(hw, "ur")
    page = child_page(client, hw.parent, hw.pupil)
    assert NOTE_UR in page and 'lang="ur"' in page


def test_a_task_without_a_note_shows_no_help_heading(client, hw):
    speaks(hw, "en-gb")
    assert "How you can help at home" not in child_page(client, hw.parent, hw.pupil)


def test_another_family_never_sees_the_note(client, hw):
    give_note(hw.maths_homework)
    # The other parent's child (Bartek) is in the same class but has no task with a note...
    Homework.objects.filter(pk=hw.maths_homework.pk).update(help_at_home="Only for Amara's")
    hw.maths_homework.assignments.filter(pupil=hw.classmate).delete()
    page = child_page(client, hw.other_parent, hw.classmate)
    assert "Only for Amara's" not in page and NOTE_PL not in page
    # ...and Amara's page answers 404 to them.
    response = client.get(reverse("parents_child", args=[hw.pupil.pk]))
    assert response.status_code == 404


def test_the_pupil_sees_the_note_on_their_task_page(client, hw):
    give_note(hw.maths_homework)
    assignment = hw.maths_homework.assignments.get(pupil=hw.pupil)
    client.force_login(hw.pupil.user)
    page = client.get(reverse("planner_task", args=[assignment.pk])).content.decode()
    assert "How someone at home can help" in page and NOTE in page
