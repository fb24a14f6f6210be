import django.db.models.deletion
from django.db import migrations, models

# The school's own index on homework and on pupils' assignments goes: every index of these
# tables starts with the school. Only the index is dropped: Django's AlterField would also
# drop and re-add the foreign key, checking every row again.
SCHOOL_INDEXES = {
    "homework_homework": "homework_homework_school_id_adde4c0c",
    "homework_assignment": "homework_assignment_school_id_f4aebef1",
}


def school_field():
    return models.ForeignKey(
        db_index=False,
        on_delete=django.db.models.deletion.CASCADE,
        related_name="+",
        to="school.school",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("homework", "0005_homework_tally"),
        ("school", "0008_key_dates"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(model_name=model, name="school", field=school_field())
                for model in ("homework", "assignment")
            ],
            database_operations=[
                migrations.RunSQL(
                    f"DROP INDEX IF EXISTS {index}",
                    reverse_sql=f"CREATE INDEX IF NOT EXISTS {index} ON {table} (school_id)",
                )
                for table, index in SCHOOL_INDEXES.items()
            ],
        ),
    ]
