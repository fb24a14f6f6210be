from django.db import migrations

from school.db_statistics import DependencyStatistics

# PostgreSQL multiplies the chances of unrelated conditions: a school's classes of one
# academic year in some of its subjects looked like a single row at a trust of 20 schools
# (1/20 x 1/20 x ...), and the plan looped where it should hash. These statistics tell it
# that a class's academic year and subject fix its school.


class Migration(migrations.Migration):
    dependencies = [("school", "0008_key_dates")]

    operations = [
        DependencyStatistics(
            "school_teachinggroup_school_year_subject",
            "school_teachinggroup",
            ["school_id", "academic_year_id", "subject_id"],
        )
    ]
