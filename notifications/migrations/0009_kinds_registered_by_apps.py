# The kinds are registered by the apps that send them (notifications/registry.py), so the
# columns no longer list them: rows keep their kinds as they are (no data changes), and a
# new kind needs no migration here.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0008_held_superseded_channel_actions"),
    ]

    operations = [
        migrations.AlterField(
            model_name="notification",
            name="kind",
            field=models.CharField(max_length=30),
        ),
        migrations.AlterField(
            model_name="preference",
            name="kind",
            field=models.CharField(max_length=30),
        ),
    ]
