from django import template

from blog.models import Post

register = template.Library()


@register.simple_tag
def latest_titles(count=5):  # reach: request
    return [post.title for post in Post.objects.order_by("-id")[:count]]


@register.filter
def shout(value):  # reach: request
    return str(value).upper()


def whisper(value):  # reach: none
    return str(value).lower()
