"""The frequency policy (senior leaders edit it) and the compliance report: homework set
against the policy per class (subject leaders) and per department (senior leaders), with
the pupils' heaviest nights ahead, each table also as CSV."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from school import access
from school.exports import csv_response
from school.models import School, Subject

from ..forms.compliance import KEY_STAGE_CHOICES, FrequencyRuleFormSet, NightlyCapsForm
from ..selectors import compliance as selectors
from ..services import HomeworkError
from ..services import compliance as services

RULES_PREFIX = "rules"


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def policy(request):
    user = request.user
    if not access.is_school_wide(user):
        raise Http404("The homework policy is for senior leaders.")
    if request.method == "POST" and "start" in request.POST:
        services.policy_defaults_create(school=School.objects.get(pk=user.school_id))
        messages.success(request, "The recommended policy is in place. Adjust it as you need.")
        return redirect("homework_policy")

    caps = selectors.policy_caps(user.school_id)
    rules = selectors.policy_rules(user.school_id)
    subjects = list(Subject.objects.filter(school_id=user.school_id))
    data = request.POST if request.method == "POST" else None
    caps_form = NightlyCapsForm(data, caps=caps)
    formset = FrequencyRuleFormSet(
        data, queryset=rules, prefix=RULES_PREFIX, form_kwargs={"subjects": subjects}
    )
    has_policy = bool(caps) or bool(formset.get_queryset())
    if data is not None and has_policy:
        caps_valid = caps_form.is_valid()  # both validated, so every error shows at once
        if formset.is_valid() and caps_valid:
            try:
                services.policy_update(
                    school=School.objects.get(pk=user.school_id),
                    nightly_caps=caps_form.caps(),
                    rules=formset.entries(),
                )
            except HomeworkError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, "Homework policy saved.")
                return redirect("homework_policy")
    return render(
        request,
        "homework/compliance/policy.html",
        {
            "has_policy": has_policy,
            "caps_form": caps_form,
            "formset": formset,
            "key_stages": KEY_STAGE_CHOICES,
        },
    )


@login_required
@require_safe
def compliance(request):
    user = request.user
    subjects = selectors.compliance_subjects_for(user)
    if subjects is None:
        raise Http404("Compliance is for subject leaders and senior leaders.")
    drill = request.GET.get("subject")
    if drill is not None:
        if not drill.isdigit():
            raise Http404("No such subject.")
        subjects = subjects.filter(pk=int(drill))
    subjects = list(subjects.order_by("name"))
    if drill is not None and not subjects:
        raise Http404("No such subject.")
    school_wide = access.is_school_wide(user)
    by_department = school_wide and drill is None
    table = request.GET.get("table", "departments" if by_department else "groups")
    allowed_tables = {"departments", "nights"} if by_department else {"groups"}
    if table not in allowed_tables:
        raise Http404("No such table.")

    today = timezone.localdate()
    csv = request.GET.get("format") == "csv"
    if csv and table == "nights":  # the nights need the caps only, not the classes' report
        caps = selectors.policy_caps(user.school_id)
        nights = selectors.heaviest_nights(school_id=user.school_id, caps=caps, today=today)
        return _nights_csv(nights, caps)
    report = selectors.compliance_report(school_id=user.school_id, subjects=subjects, today=today)
    if csv:
        if table == "departments":
            return _departments_csv(report)
        return _groups_csv(report)
    nights = None
    if by_department:
        nights = selectors.heaviest_nights(
            school_id=user.school_id, caps=report.policy.caps, today=today
        )
    return render(
        request,
        "homework/compliance/report.html",
        {
            "report": report,
            "by_department": by_department,
            "department_rows": _department_rows(report) if by_department else None,
            "class_tables": None if by_department else _class_tables(report),
            "drill_subject": subjects[0] if drill is not None else None,
            "school_wide": school_wide,
            "nights": nights,
            "cap_columns": [(ks, report.policy.caps.get(ks)) for ks, _ in KEY_STAGE_CHOICES],
            "policy_url": reverse("homework_policy"),
        },
    )


# The tables' cells, worked out in one pass (the template only writes them out) ----------


def _figure(value) -> str:
    """A number of homework to one decimal place at most ("6", "1.5"); a dash for none."""
    return "—" if value is None else floatformat(value, "-1")


def _percent(value) -> str:
    return "—" if value is None else f"{value}%"


def _department_rows(report) -> list[tuple]:
    return [
        (
            row.subject.pk,
            row.subject.name,
            row.group_count,
            row.set_count,
            _figure(row.expected),
            _percent(row.percent),
            row.on_track is False,
            "—" if row.average_minutes is None else row.average_minutes,
            _percent(row.feedback_rate),
            row.below_count,
        )
        for row in report.subjects
    ]


BADGES = {True: "text-bg-success", False: "text-bg-warning", None: "text-bg-light border"}


def _class_tables(report) -> list[tuple]:
    """Per subject, its classes' rows: one reverse for every class's link."""
    start, end = reverse("teaching_group_detail", args=[0]).rsplit("0", 1)
    return [
        (
            subject_row.subject,
            [
                (
                    f"{start}{row.group.pk}{end}",
                    row.group.name,
                    f"{row.group.year_group.number} (KS{row.key_stage})",
                    row.set_count,
                    _figure(row.expected),
                    _percent(row.percent),
                    BADGES[row.on_track],
                    row.status,
                    "—" if row.average_minutes is None else row.average_minutes,
                    _percent(row.feedback_rate),
                )
                for row in subject_row.groups
            ],
        )
        for subject_row in report.subjects
    ]


# CSV --------------------------------------------------------------------------------------


def _number(value):
    """Blank for "no figure"; whole numbers without a decimal point."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}" if value == round(value, 1) else f"{value:.1f}"
    return value


def _departments_csv(report):
    response, writer = csv_response(f"homework-compliance-{report.window.end:%Y-%m-%d}")
    writer.writerow(
        [
            "Subject",
            "Classes",
            "Homework set",
            "Expected",
            "Set vs expected %",
            "Average minutes",
            "Returned with feedback %",
            "Classes below expectation",
        ]
    )
    for row in report.subjects:
        writer.writerow(
            [
                row.subject.name,
                row.group_count,
                row.set_count,
                _number(row.expected),
                _number(row.percent),
                _number(row.average_minutes),
                _number(row.feedback_rate),
                row.below_count,
            ]
        )
    return response


def _groups_csv(report):
    response, writer = csv_response(f"homework-compliance-classes-{report.window.end:%Y-%m-%d}")
    writer.writerow(
        [
            "Subject",
            "Class",
            "Year",
            "Key stage",
            "Homework set",
            "Expected",
            "Set vs expected %",
            "Status",
            "Average minutes",
            "Returned with feedback %",
        ]
    )
    for row in report.groups:
        writer.writerow(
            [
                row.group.subject.name,
                row.group.name,
                row.group.year_group.number,
                f"KS{row.key_stage}",
                row.set_count,
                _number(row.expected),
                _number(row.percent),
                row.status,
                _number(row.average_minutes),
                _number(row.feedback_rate),
            ]
        )
    return response


def _nights_csv(nights, caps):
    response, writer = csv_response("homework-heaviest-nights")
    key_stages = [ks for ks, _ in KEY_STAGE_CHOICES]
    writer.writerow(
        ["Date"] + [f"KS{ks} pupils over the cap ({caps.get(ks, 'no')} min)" for ks in key_stages]
    )
    for night in nights:
        writer.writerow([night.day.strftime("%d/%m/%Y")] + [_number(n) for n in night.counts])
    return response
