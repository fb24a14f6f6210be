"""The pupil's running counts the dashboard reads (misses of the current cycle, live
sanctions), filled in from the misses and sanctions already recorded, and indexes that
start with the school for the reads by school and year."""

from django.db import migrations, models
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce


def _per_pupil_year(queryset):
    counts = (
        queryset.filter(
            pupil_id=OuterRef("pupil_id"), academic_year_id=OuterRef("academic_year_id")
        )
        .order_by()
        .values("pupil_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counts), 0)


def counts_fill(apps, schema_editor):
    Miss = apps.get_model("sanctions", "Miss")
    Sanction = apps.get_model("sanctions", "Sanction")
    PupilEscalation = apps.get_model("sanctions", "PupilEscalation")
    counted = Miss.objects.filter(status="counted")
    PupilEscalation.objects.update(
        counted_misses=_per_pupil_year(counted),
        open_misses=_per_pupil_year(counted.filter(sanction__isnull=True)),
        live_sanctions=_per_pupil_year(Sanction.objects.exclude(status="cancelled")),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("sanctions", "0005_what_the_pupil_did"),
    ]

    operations = [
        migrations.AddField(
            model_name="pupilescalation",
            name="live_sanctions",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="pupilescalation",
            name="open_misses",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddIndex(
            model_name="miss",
            index=models.Index(
                fields=["school", "academic_year", "status", "recorded_at"],
                name="sanctions_m_school__7ce598_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="pupilescalation",
            index=models.Index(
                fields=["school", "academic_year", "counted_misses"],
                name="sanctions_p_school__60660b_idx",
            ),
        ),
        migrations.RunPython(counts_fill, migrations.RunPython.noop),
    ]
