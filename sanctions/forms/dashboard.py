"""The dashboard's filters (GET): the viewer's years, tutor groups and subjects, and the
pupil groups (all ticked must apply)."""

from crispy_forms.bootstrap import InlineCheckboxes
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row
from django import forms
from django.db.models import Q

from school import access
from school.models import Pupil, Subject, TutorGroup, YearGroup
from school.placements import in_groups_then, tutor_group_ids_then

from ..selectors.dashboard import FLAGS, dashboard_scope
from .detentions import Select

SELECTS = ("year_group", "tutor_group", "subject")


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
    tutor_group = forms.ModelChoiceField(
        queryset=TutorGroup.objects.none(),
        required=False,
        empty_label="All tutor groups",
        widget=Select,
    )
    subject = forms.ModelChoiceField(
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
            InlineCheckboxes("flags"),
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
