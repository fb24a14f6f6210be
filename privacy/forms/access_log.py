"""The filters of the access log's pages (GET): the log (dates, member of staff, pupil,
page) and the window of unusual access."""

from datetime import timedelta

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row
from django import forms

from school.forms_fields import SEARCH_MAX_LENGTH, date_field

from ..access_log.selectors import UNUSUAL_DAYS, LogFilter, staff_of

DATES_IN_ORDER = "The “to” date is before the “from” date."


class _Dates(forms.Form):
    date_from = date_field(label="From", required=False)
    date_to = date_field(label="To", required=False)

    def clean(self):
        data = super().clean()
        since, until = data.get("date_from"), data.get("date_to")
        if since and until and until < since:
            self.add_error("date_to", DATES_IN_ORDER)
        return data

    def _helper(self, *names):
        helper = FormHelper()
        helper.form_tag = False
        helper.disable_csrf = True
        helper.layout = Layout(
            Row(
                *(Column(name, css_class="col-12 col-sm-6 col-lg") for name in names),
                css_class="g-2",
            )
        )
        return helper


class AccessLogFilters(_Dates):
    """The log's filters. `with_pupil=False` on one pupil's log (the pupil is the page's)."""

    staff = forms.ModelChoiceField(
        label="Member of staff",
        queryset=None,
        required=False,
        empty_label="Everyone",
        error_messages={"invalid_choice": "Choose a member of staff from the list."},
    )
    pupil = forms.CharField(
        label="Pupil (name, UPN or admission number)",
        required=False,
        max_length=SEARCH_MAX_LENGTH,
        error_messages={"max_length": "Search with at most %(limit_value)d characters."},
    )
    # Not "page": that is the pager's.
    page_name = forms.CharField(
        label="Page",
        required=False,
        max_length=60,
        help_text="e.g. Pupil page",
        error_messages={"max_length": "Write at most %(limit_value)d characters."},
    )

    def __init__(self, *args, school_id: int, with_pupil: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = staff_of(school_id)
        if not with_pupil:
            del self.fields["pupil"]
        self.helper = self._helper(*self.fields)

    def wanted(self, **fixed) -> LogFilter:
        """What to show: the valid filters (none while any is refused) and `fixed`."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        staff = data.get("staff")
        return LogFilter(
            since=data.get("date_from"),
            until=data.get("date_to"),
            user_id=staff.pk if staff else None,
            pupil_words=data.get("pupil", ""),
            page=data.get("page_name", ""),
            **fixed,
        )


class UnusualAccessWindow(_Dates):
    """The window unusual access is counted over: the last week unless chosen."""

    def __init__(self, *args, today, **kwargs):
        kwargs.setdefault(
            "initial", {"date_from": today - timedelta(days=UNUSUAL_DAYS - 1), "date_to": today}
        )
        super().__init__(*args, **kwargs)
        self.today = today
        self.helper = self._helper("date_from", "date_to")

    def window(self):
        """(first day, last day), both included; the defaults fill what is not given."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        since, until = data.get("date_from"), data.get("date_to")
        until = until or max(self.today, since or self.today)
        return since or until - timedelta(days=UNUSUAL_DAYS - 1), until
