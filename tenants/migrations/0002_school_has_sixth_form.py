from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("tenants", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="school",
            name="has_sixth_form",
            field=models.BooleanField(default=False),
        ),
    ]
