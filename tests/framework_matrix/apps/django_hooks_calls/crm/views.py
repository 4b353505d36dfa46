from django.http import JsonResponse

from crm.models import Contact
from crm.signals import contact_archived


def archive_contact(request, pk):  # reach: request
    contact = Contact.objects.get(pk=pk)
    contact.archived = True
    contact.save()
    contact_archived.send(sender=Contact, contact=contact)
    return JsonResponse({"archived": True})
