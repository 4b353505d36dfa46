from django.db import transaction
from django.db.models import Avg
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from . import tasks
from .models import Course, Enrollment, Review


@receiver(post_save, sender=Enrollment)
def enrollment_saved(sender, instance, created, **kwargs):
    transaction.on_commit(lambda: tasks.sync_enrollment_to_crm.delay(instance.pk))
    if created:
        transaction.on_commit(lambda: tasks.send_enrollment_email.delay(instance.pk))


@receiver([post_save, post_delete], sender=Review)
def review_changed(sender, instance, **kwargs):
    avg = Review.objects.filter(course_id=instance.course_id).aggregate(avg=Avg("rating"))["avg"]
    Course.objects.filter(pk=instance.course_id).update(rating_avg=avg)
