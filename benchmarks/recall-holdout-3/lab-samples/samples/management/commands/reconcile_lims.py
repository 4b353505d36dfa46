from django.core.management.base import BaseCommand

from samples.lims import get_client
from samples.models import Sample


class Command(BaseCommand):
    help = "Compare sample statuses with the LIMS and report mismatches (read-only)."

    def add_arguments(self, parser):
        parser.add_argument("--lab", help="lab code to restrict to")

    def handle(self, *args, **options):
        client = get_client()
        samples = Sample.objects.exclude(lims_id="").select_related("lab")
        if options["lab"]:
            samples = samples.filter(lab__code=options["lab"])

        mismatches = 0
        for sample in samples.iterator(chunk_size=500):
            remote = client.get_sample(sample.lims_id)
            if remote.get("status") != sample.status:
                mismatches += 1
                self.stdout.write(
                    f"{sample.lab.code} {sample.barcode}: local={sample.status} lims={remote.get('status')}"
                )
        self.stdout.write(self.style.SUCCESS(f"done, {mismatches} mismatches"))
