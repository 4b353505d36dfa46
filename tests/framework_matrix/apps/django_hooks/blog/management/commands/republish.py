from django.core.management.base import BaseCommand

from blog.models import Post


class Command(BaseCommand):
    help = "Publish every draft"

    def handle(self, *args, **options):  # reach: command
        publish_all()


def publish_all():  # reach: command
    return Post.objects.filter(published=False).update(published=True)
