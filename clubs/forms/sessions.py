"""Forms of the clubs pages: a club (or a teacher's study sessions), its sessions, and
cancelling a session. The rules themselves are checked again by clubs/services/sessions.py."""

from crispy_forms.bootstrap import InlineCheckboxes
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row
from django import forms

from school.forms_fields import text_field
from school.models import User, YearGroup
from school.session_forms import WEEKDAYS, SessionScheduleForm

from ..models import Club, ClubSession
from ..services.sessions import STUDY_SESSION_MAX_CAPACITY


class ClubForm(forms.Form):
    """A club. Leaders choose every field; a teacher offering study sessions gets the
    form without `kind`, `leader` and `staff_needed` (they lead it, alone)."""

    name = text_field(max_length=100, required_message="Give the club a name.")
    kind = forms.ChoiceField(
        choices=Club.Kind.choices,
        initial=Club.Kind.HOMEWORK_CLUB,
    )
    room = text_field(max_length=50, required_message="Give the room.")
    capacity = forms.IntegerField(
        min_value=1,
        max_value=500,
        initial=25,
        label="Places (pupils)",
        error_messages={"required": "Give how many pupils the room holds."},
    )
    staff_needed = forms.IntegerField(
        min_value=0,
        max_value=20,
        initial=2,
        label="Staff needed each session",
        error_messages={"required": "Give how many staff each session needs."},
    )
    year_groups = forms.ModelMultipleChoiceField(
        queryset=YearGroup.objects.none(),
        required=False,
        label="Open to (none ticked: every year)",
        widget=forms.CheckboxSelectMultiple,
    )
    leader = forms.ModelChoiceField(
        queryset=User.objects.none(),
        required=False,
        empty_label="No leader yet",
    )
    description = text_field(max_length=1000, required=False, rows=2)

    def __init__(self, *args, school_id, study_only=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.study_only = study_only
        self.fields["year_groups"].queryset = YearGroup.objects.filter(school_id=school_id)
        self.fields["leader"].queryset = (
            User.objects.filter(school_id=school_id, role_assignments__isnull=False)
            .distinct()
            .order_by("last_name", "first_name", "pk")
        )
        if study_only:
            for name in ("kind", "leader", "staff_needed"):
                del self.fields[name]
            self.fields["capacity"] = forms.IntegerField(
                min_value=1,
                max_value=STUDY_SESSION_MAX_CAPACITY,
                initial=4,
                label=f"Places (pupils, at most {STUDY_SESSION_MAX_CAPACITY})",
                error_messages={"required": "Give how many pupils can come."},
            )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # the page's <form> has its own token
        self.helper.layout = Layout(
            Row(
                *(
                    Column(InlineCheckboxes(name), css_class="col-12")
                    if name == "year_groups"
                    else Column(name, css_class="col-sm-6 col-lg-4")
                    for name in self.fields
                ),
                css_class="g-3",
            )
        )

    def clean(self):
        data = super().clean()
        if (
            data.get("kind") == Club.Kind.STUDY_SESSION
            and (data.get("capacity") or 0) > STUDY_SESSION_MAX_CAPACITY
        ):
            self.add_error(
                "capacity",
                f"A study session is for a small group: at most {STUDY_SESSION_MAX_CAPACITY}.",
            )
        return data


class SessionsForm(SessionScheduleForm):
    """One session, or a weekly series on the chosen weekdays from the first to the last
    day (the service skips days the school is shut)."""

    weekdays_offered = WEEKDAYS[:5]
    field_columns = "col-sm-6 col-lg-3"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["what"].initial = "series"


class CancelSessionForm(forms.Form):
    reason = text_field(
        label="Reason (parents of booked pupils are told it)",
        max_length=ClubSession._meta.get_field("cancelled_reason").max_length,
        required_message="Give the reason: parents of booked pupils are told it.",
    )
