import django.dispatch
from django.db.models.signals import post_save
from django.dispatch import receiver

from blog.models import Post

post_published = django.dispatch.Signal()


@receiver(post_published)
def notify_followers(sender, post, **kwargs):  # reach: request
    return post.pk


@receiver(post_save, sender=Post)
def index_post(sender, instance, created, **kwargs):  # reach: request
    return instance.pk
