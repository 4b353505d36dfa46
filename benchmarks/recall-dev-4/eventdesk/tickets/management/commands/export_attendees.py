import csv

from django.core.management.base import BaseCommand, CommandError

from tickets.models import Event, Ticket


class Command(BaseCommand):
    help = "Write the attendee list of an event to a CSV file (for venue security)."

    def add_arguments(self, parser):
        parser.add_argument("event_id", type=int)
        parser.add_argument("output", help="path of the CSV file to write")

    def handle(self, *args, event_id, output, **options):
        try:
            event = Event.objects.get(pk=event_id)
        except Event.DoesNotExist:
            raise CommandError(f"event {event_id} does not exist")
        tickets = (
            Ticket.objects.filter(ticket_type__event=event)
            .select_related("ticket_type")
            .order_by("attendee_name")
            .iterator(chunk_size=1000)
        )
        count = 0
        with open(output, "w", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(["name", "email", "ticket_type", "checked_in"])
            for ticket in tickets:
                writer.writerow(
                    [ticket.attendee_name, ticket.attendee_email, ticket.ticket_type.name, bool(ticket.checked_in_at)]
                )
                count += 1
        self.stdout.write(self.style.SUCCESS(f"wrote {count} attendees of '{event.title}' to {output}"))
