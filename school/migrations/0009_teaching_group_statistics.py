from django.db import migrations

# PostgreSQL multiplies the chances of unrelated conditions: a school's classes of one
# academic year in some of its subjects looked like a single row at a trust of 20 schools
# (1/20 x 1/20 x ...), and the plan looped where it should hash. These statistics tell it
# that a class's academic year and subject fix its school.
STATISTICS = "school_teachinggroup_school_year_subject"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE STATISTICS IF NOT EXISTS {STATISTICS} (dependencies)"
            " ON school_id, academic_year_id, subject_id FROM school_teachinggroup"
        )
        schema_editor.execute("ANALYZE school_teachinggroup")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP STATISTICS IF EXISTS {STATISTICS}")


class Migration(migrations.Migration):
    dependencies = [("school", "0008_key_dates")]

    operations = [migrations.RunPython(create, drop)]
