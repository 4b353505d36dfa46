from django.http import JsonResponse

from blog.forms import PostForm
from blog.signals import post_published


def new_post(request):  # reach: request
    form = PostForm(request.POST)
    if form.is_valid():
        post = form.save()
        post_published.send(sender=None, post=post)
        return JsonResponse({"id": post.pk}, status=201)
    return JsonResponse(form.errors, status=400)
