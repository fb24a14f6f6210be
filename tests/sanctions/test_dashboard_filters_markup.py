"""The dashboard filters' pupil-group boxes are written in one pass (FlagBoxes) in the
markup crispy's InlineCheckboxes gives, and the tutor group and subject options are
read as (id, name) rows (NameChoices) in the markup model instances give; for a head of
year and a senior leader, with none, some or a refused box ticked (a refused one goes
through crispy itself) and a tutor group and subject chosen."""

import pytest
from crispy_forms.bootstrap import InlineCheckboxes
from django.forms.models import ModelChoiceIterator
from django.http import QueryDict
from django.template import Context, Template

from sanctions.forms.dashboard import DashboardFilters, FlagBoxes

CRISPY = Template("{% load crispy_forms_tags %}{% crispy filters %}")


@pytest.mark.parametrize("who", ["head_of_year", "senior_leader"])
@pytest.mark.parametrize(
    "query",
    [None, "flags=pp&flags=sen", "flags=young_carer", "flags=bogus", "subject=x", "chosen"],
)
def test_the_pupil_group_boxes_have_crispys_markup(world, who, query):
    if query == "chosen":
        query = f"tutor_group={world.pupil.tutor_group_id}&subject={world.maths_7.subject_id}"
    filters = DashboardFilters(
        QueryDict(query) if query is not None else None,
        user=getattr(world, who),
        year=world.academic_year,
    )
    (boxes,) = [field for field in filters.helper.layout.fields if isinstance(field, FlagBoxes)]
    ours = CRISPY.render(Context({"filters": filters}))
    filters.helper.layout.fields[filters.helper.layout.fields.index(boxes)] = InlineCheckboxes(
        "flags"
    )
    for name in ("tutor_group", "subject"):
        field = filters.fields[name]
        field.iterator = ModelChoiceIterator
        field.widget.choices = field.choices
    assert ours == CRISPY.render(Context({"filters": filters}))
    ticked = query in ("flags=pp&flags=sen", "flags=young_carer")
    assert ("selected>7A<" in ours) == (query.startswith("tutor_group") if query else False)
    assert 'name="flags"' in ours and (" checked>" in ours) == ticked
