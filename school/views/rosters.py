"""The rosters of a tutor group, a class, a year group and a house, each also as CSV."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render

from .. import access, selectors
from ..exports import csv_response
from ..looked import pupils_looked_at
from ..models import Pupil


def _roster(request, *, title, subtitle, pupils, filename, extra=None, then=None):
    """`then`: the past academic year a roster is of (an archived tutor group): its
    pupils as they were in it, leavers included."""
    if then is not None:
        pupils = selectors.pupils_for_roster_then(pupils, then)
    else:
        pupils = selectors.pupils_for_roster(pupils)
    if request.GET.get("format") == "csv":
        return _roster_csv(request, pupils, filename)
    context = {"title": title, "subtitle": subtitle, "pupils": pupils, **(extra or {})}
    return render(request, "school/rosters/roster.html", context)


def _roster_csv(request, pupils, filename):
    response, writer = csv_response(filename)
    writer.writerow(
        [
            "Surname",
            "First name",
            "UPN",
            "Year",
            "Tutor group",
            "House",
            "PP",
            "FSM",
            "SEN",
            "EAL",
            "Young carer",
            "Looked after",
        ]
    )
    written = []
    for pupil in pupils:
        written.append(pupil)
        writer.writerow(
            [
                pupil.last_name,
                pupil.first_name,
                pupil.upn,
                pupil.year_group.number,
                pupil.tutor_group.name,
                pupil.house.name if pupil.house else "",
                "Y" if pupil.pupil_premium else "",
                "Y" if pupil.free_school_meals else "",
                pupil.get_sen_display() if pupil.sen else "",
                "Y" if pupil.eal else "",
                "Y" if pupil.young_carer else "",
                "Y" if pupil.looked_after else "",
            ]
        )
    if written:  # the rows carry the pupils' flags: the access log names each pupil
        pupils_looked_at(
            request, written[0].school_id, [pupil.pk for pupil in written], "Roster CSV"
        )
    return response


@login_required
def tutor_group_detail(request, group_id):
    group = get_object_or_404(
        selectors.tutor_groups_with_tutors(
            access.tutor_groups_visible_to(request.user)
        ).select_related("academic_year"),
        pk=group_id,
    )
    if group.archived_on is not None:
        # A group a new academic year replaced: who was in it then.
        return _roster(
            request,
            title=f"Tutor group {group.name}, {group.academic_year}",
            subtitle=f"{group.year_group} · archived on {group.archived_on:%d/%m/%Y}",
            pupils=Pupil.objects.filter(placements__tutor_group=group),
            filename=f"tutor-group-{group.name}-{str(group.academic_year).replace('/', '-')}",
            then=group.academic_year,
        )
    tutors = ", ".join(str(t) for t in group.tutors) or "No tutor assigned"
    return _roster(
        request,
        title=f"Tutor group {group.name}",
        subtitle=f"{group.year_group} · Tutor: {tutors}",
        pupils=group.pupils.all(),
        filename=f"tutor-group-{group.name}",
    )


@login_required
def teaching_group_detail(request, group_id):
    group = get_object_or_404(
        selectors.teaching_groups_with_teachers(access.teaching_groups_visible_to(request.user)),
        pk=group_id,
    )
    teachers = ", ".join(str(t) for t in group.teachers.all()) or "No teacher assigned"
    return _roster(
        request,
        title=f"Class {group.name}",
        subtitle=f"{group.subject} · {group.year_group} · {teachers}",
        pupils=group.pupils.all(),
        filename=f"class-{group.name.replace('/', '-')}",
    )


@login_required
def year_group_detail(request, year_id):
    year = get_object_or_404(access.year_groups_visible_to(request.user), pk=year_id)
    tutor_groups = selectors.tutor_groups_with_tutors(year.tutor_groups.all())
    return _roster(
        request,
        title=str(year),
        subtitle=f"Key stage {year.key_stage}",
        pupils=year.pupils.all(),
        filename=f"year-{year.number}",
        extra={"tutor_groups": tutor_groups},
    )


@login_required
def house_detail(request, house_id):
    house = get_object_or_404(access.houses_visible_to(request.user), pk=house_id)
    return _roster(
        request,
        title=f"{house.name} house",
        subtitle="Every pupil in the house, all years",
        pupils=house.pupils.all(),
        filename=f"house-{house.name}",
    )
