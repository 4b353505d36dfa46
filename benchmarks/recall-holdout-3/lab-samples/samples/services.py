import csv
from collections import Counter
import io
import logging
from decimal import Decimal

import requests
from django.db import transaction
from django.db.models import F
from rest_framework.exceptions import ValidationError

from .models import Aliquot, Sample, StorageBox

logger = logging.getLogger(__name__)

PLATE_ROWS = "ABCDEFGH"
MAX_PLATE_CSV_BYTES = 2 * 1024 * 1024


def allocate_slot(box_id: int) -> tuple[StorageBox, int]:
    box = StorageBox.objects.get(pk=box_id)
    if box.used_slots >= box.capacity:
        raise ValidationError({"box": f"{box.storage_path} is full"})
    slot = box.used_slots + 1
    box.used_slots = slot
    box.save(update_fields=["used_slots"])
    return box, slot


def consume_volume(sample_id: int, volume_ul: Decimal) -> Sample:
    with transaction.atomic():
        sample = Sample.objects.select_for_update().get(pk=sample_id)
        if sample.volume_ul < volume_ul:
            raise ValidationError({"volume_ul": f"only {sample.volume_ul} µl left"})
        sample.volume_ul -= volume_ul
        if sample.volume_ul == 0:
            sample.status = Sample.DEPLETED
        sample.save(update_fields=["volume_ul", "status"])
        return sample


def split_into_aliquots(sample: Sample, count: int, volume_each: Decimal, box_id: int | None) -> list[Aliquot]:
    aliquots = []
    for n in range(1, count + 1):
        box, slot = allocate_slot(box_id) if box_id else (None, None)
        aliquots.append(
            Aliquot.objects.create(
                parent=sample,
                barcode=f"{sample.barcode}-{n:02d}",
                volume_ul=volume_each,
                box=box,
                slot=slot,
            )
        )
    consume_volume(sample.pk, volume_each * count)
    return aliquots


@transaction.atomic
def move_samples(box: StorageBox, samples: list[Sample]) -> None:
    locked = StorageBox.objects.select_for_update().get(pk=box.pk)
    free = locked.capacity - locked.used_slots
    if len(samples) > free:
        raise ValidationError({"box": f"only {free} free slots in {locked.storage_path}"})
    vacated = Counter(s.box_id for s in samples if s.box_id)
    for old_box_id, n in vacated.items():
        StorageBox.objects.filter(pk=old_box_id).update(used_slots=F("used_slots") - n)
    for offset, sample in enumerate(samples, start=1):
        sample.box = locked
        sample.slot = locked.used_slots + offset
        sample.storage_path = locked.storage_path
        sample.status = Sample.STORED
    Sample.objects.bulk_update(samples, ["box", "slot", "storage_path", "status"])
    locked.used_slots += len(samples)
    locked.save(update_fields=["used_slots"])


def search_samples(lab_id: int, term: str = "", location: str = ""):
    sql = "SELECT * FROM samples_sample WHERE lab_id = %s"
    params = [lab_id]
    if term:
        sql += " AND (barcode ILIKE %s OR notes ILIKE %s)"
        params += [f"%{term}%", f"%{term}%"]
    if location:
        sql += " AND storage_path LIKE '" + location + "%%'"
    sql += " ORDER BY created_at DESC LIMIT 200"
    return Sample.objects.raw(sql, params)


def fetch_plate_layout(url: str) -> list[dict]:
    resp = requests.get(url, timeout=10, stream=True)
    resp.raise_for_status()
    raw = resp.raw.read(MAX_PLATE_CSV_BYTES + 1, decode_content=True)
    if len(raw) > MAX_PLATE_CSV_BYTES:
        raise ValidationError({"url": "plate layout is larger than 2 MB"})
    return parse_plate_csv(raw.decode("utf-8-sig"))


def parse_plate_csv(text: str) -> list[dict]:
    wells = []
    for row in csv.DictReader(io.StringIO(text)):
        well = row.get("well", "").strip().upper()
        if not well or well[0] not in PLATE_ROWS:
            raise ValidationError({"csv": f"bad well {well!r}"})
        wells.append({"well": well, "barcode": row["barcode"].strip(), "sample_type": row.get("type", "").strip()})
    if len(wells) > 96:
        raise ValidationError({"csv": "a plate has at most 96 wells"})
    return wells
