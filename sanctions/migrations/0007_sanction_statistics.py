from django.db import migrations

from school.db_statistics import DependencyStatistics

# A sanction's academic year fixes its school: without saying so, PostgreSQL took a
# school's sanctions of one year for 11 of 255 at a trust of 20 schools (the two
# conditions' chances multiplied) and chose a nested loop (school/migrations/0010).


class Migration(migrations.Migration):
    dependencies = [("sanctions", "0006_running_counts_and_school_year_indexes")]

    operations = [
        DependencyStatistics(
            "sanctions_sanction_school_year", "sanctions_sanction", ["school_id", "academic_year_id"]
        )
    ]
