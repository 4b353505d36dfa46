from django.db import migrations


def strip_titles(apps, schema_editor):  # reach: command
    Post = apps.get_model("blog", "Post")
    for post in Post.objects.all():
        post.title = post.title.strip()
        post.save()


class Migration(migrations.Migration):
    dependencies = [("blog", "0001_initial")]

    def restore_titles(apps, schema_editor):  # reach: command
        return None

    operations = [migrations.RunPython(strip_titles, restore_titles)]
