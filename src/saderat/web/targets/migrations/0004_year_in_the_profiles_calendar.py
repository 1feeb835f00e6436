# The years of targets and reports in the calendar of the region profile (Jalali by default).

from django.db import migrations, models

import saderat.web.common.fields


class Migration(migrations.Migration):
    dependencies = [
        ("targets", "0003_region_codes_of_any_length"),
    ]

    operations = [
        migrations.AlterField(
            model_name="progressreport",
            name="year",
            field=models.PositiveSmallIntegerField(
                validators=[saderat.web.common.fields.validate_statistics_year], verbose_name="سال"
            ),
        ),
        migrations.AlterField(
            model_name="target",
            name="year",
            field=models.PositiveSmallIntegerField(
                db_index=True,
                validators=[saderat.web.common.fields.validate_statistics_year],
                verbose_name="سال",
            ),
        ),
    ]
