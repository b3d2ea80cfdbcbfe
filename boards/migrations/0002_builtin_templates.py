from django.db import migrations


def create_builtin_templates(apps, schema_editor):
    from boards.builtin_templates import sync_builtin_templates

    sync_builtin_templates(apps.get_model("boards", "BoardTemplate"))


class Migration(migrations.Migration):
    dependencies = [("boards", "0001_initial")]

    operations = [migrations.RunPython(create_builtin_templates, migrations.RunPython.noop)]
