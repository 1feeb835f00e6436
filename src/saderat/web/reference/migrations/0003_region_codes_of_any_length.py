# Region codes of any length (issue 13: a region profile's codes, such as "PR" or a 7-digit IBGE code).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("reference", "0002_bilateral_batch"),
    ]

    operations = [
        migrations.AlterField(
            model_name="county",
            name="code",
            field=models.CharField(
                max_length=16, primary_key=True, serialize=False, verbose_name="کد مرکز آمار"
            ),
        ),
        migrations.AlterField(
            model_name="province",
            name="code",
            field=models.CharField(
                max_length=16, primary_key=True, serialize=False, verbose_name="کد مرکز آمار"
            ),
        ),
    ]
