"""The dashboard's filters (GET): the viewer's years, tutor groups and subjects, and the
pupil groups (all ticked must apply)."""

from crispy_forms.bootstrap import InlineCheckboxes
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row
from django import forms
from django.db.models import Q
from django.forms.models import ModelChoiceIterator
from django.utils.html import conditional_escape, format_html_join
from django.utils.safestring import mark_safe

from school import access
from school.models import Pupil, Subject, TutorGroup, YearGroup
from school.placements import in_groups_then, tutor_group_ids_then

from ..selectors.dashboard import FLAGS, dashboard_scope
from .detentions import Select

SELECTS = ("year_group", "tutor_group", "subject")

_BOX = (
    '<div class="form-check form-check-inline"> <input type="checkbox" class="form-check-input"'
    '  name="{}" value="{}"  id="{}_{}"{}> <label for="{}_{}" class="form-check-label">'
    "\n            {}\n        </label> </div> "
)


class NameChoices(ModelChoiceIterator):
    """The options from two columns (labelled by the name, as the model's __str__ does)
    without building an instance for each; validation still reads the chosen one
    through the queryset."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        yield from self.queryset.values_list("pk", "name")


class NameChoiceField(forms.ModelChoiceField):
    iterator = NameChoices


class FlagBoxes(InlineCheckboxes):
    """crispy's inline checkboxes written in one pass, in the same markup (crispy renders
    the field through three templates, ~2 ms a page); a refused choice (errors to show
    under the group) goes through crispy as before."""

    def render(self, form, context, **kwargs):
        (name,) = self.fields
        field = form[name]
        if field.errors:
            return super().render(form, context, **kwargs)
        chosen = {str(value) for value in field.value() or ()}
        boxes = format_html_join(
            "",
            _BOX,
            (
                (field.html_name, key, field.auto_id, i, " checked" if str(key) in chosen else "")
                + (field.auto_id, i, label)
                for i, (key, label) in enumerate(field.field.choices)
            ),
        )
        legend = conditional_escape(field.label)
        return mark_safe(
            f'\n    <div id="div_{field.auto_id}" class="mb-3"> <fieldset> <legend for=""  class="'
            f' fs-6 form-label">\n                {legend}\n            </legend> <div > '
            f"{boxes}</div> </fieldset> </div>\n"
        )


class DashboardFilters(forms.Form):
    """GET filters; the choices are only what the viewer's scope holds."""

    # Selects whose options are written in one pass (Django's own renders each option
    # through a template), in the same markup.
    year_group = forms.ModelChoiceField(
        label="Year",
        queryset=YearGroup.objects.none(),
        required=False,
        empty_label="All years",
        widget=Select,
    )
    tutor_group = NameChoiceField(
        queryset=TutorGroup.objects.none(),
        required=False,
        empty_label="All tutor groups",
        widget=Select,
    )
    subject = NameChoiceField(
        queryset=Subject.objects.none(), required=False, empty_label="All subjects", widget=Select
    )
    flags = forms.MultipleChoiceField(
        label="Pupil groups (all ticked must apply)",
        choices=[(key, label) for key, (label, _) in FLAGS.items()],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, user, year=None, **kwargs):
        """`year`: the dashboard's academic year; a rolled-over one offers the tutor
        groups its pupils were in then."""
        super().__init__(*args, **kwargs)
        self.year = year
        self.school_wide = access.is_school_wide(user)
        if self.school_wide:
            self.fields["year_group"].queryset = YearGroup.objects.filter(school_id=user.school_id)
        else:
            del self.fields["year_group"]
        in_scope = tutor_group_ids_then(year, Pupil.objects.filter(dashboard_scope(user, year)))
        self.fields["tutor_group"].queryset = TutorGroup.objects.filter(
            school_id=user.school_id, pk__in=in_scope
        ).select_related("year_group")
        self.fields["subject"].queryset = Subject.objects.filter(school_id=user.school_id)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Row(
                *(
                    Column(name, css_class="col-12 col-sm-6 col-lg-3")
                    for name in SELECTS
                    if name in self.fields
                ),
                css_class="g-2",
            ),
            FlagBoxes("flags"),
        )

    def pupil_filter(self, year=None) -> Q:
        """The pupils the filters leave; a rolled-over `year` filters by the groups they
        were in then."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        q = Q()
        if data.get("year_group"):
            q &= in_groups_then(year, year_group_ids=[data["year_group"].pk])
        if data.get("tutor_group"):
            q &= in_groups_then(year, tutor_group_ids=[data["tutor_group"].pk])
        for key in data.get("flags") or ():
            q &= FLAGS[key][1]
        return q

    def chosen_subject(self):
        return self.cleaned_data.get("subject") if self.is_bound and self.is_valid() else None
