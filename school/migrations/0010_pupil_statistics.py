from django.db import migrations

from school.db_statistics import DependencyStatistics

# As 0009 for classes: PostgreSQL took a school's Year 7 (its year group, its school, on
# roll) for 11 pupils of 217 at a trust of 20 schools, multiplying the conditions' chances
# as if unrelated, and looped over every sanction of the school for each of them. These
# statistics tell it that a pupil's year group, tutor group and house fix their school.


class Migration(migrations.Migration):
    dependencies = [("school", "0009_teaching_group_statistics")]

    operations = [
        DependencyStatistics(
            "school_pupil_school_groups",
            "school_pupil",
            ["school_id", "year_group_id", "tutor_group_id", "house_id"],
        )
    ]
