from django.db import migrations

# A sanction's academic year fixes its school: without saying so, PostgreSQL took a
# school's sanctions of one year for 11 of 255 at a trust of 20 schools (the two
# conditions' chances multiplied) and chose a nested loop (school/migrations/0010).
STATISTICS = "sanctions_sanction_school_year"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE STATISTICS IF NOT EXISTS {STATISTICS} (dependencies)"
            " ON school_id, academic_year_id FROM sanctions_sanction"
        )
        schema_editor.execute("ANALYZE sanctions_sanction")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP STATISTICS IF EXISTS {STATISTICS}")


class Migration(migrations.Migration):
    dependencies = [("sanctions", "0006_running_counts_and_school_year_indexes")]

    operations = [migrations.RunPython(create, drop)]
