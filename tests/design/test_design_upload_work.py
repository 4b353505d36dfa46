"""Upload workers are sized by what is done to the file after it lands (design/upload_work.py):
video and audio are transcoded (CPU per MB), images get renditions (CPU per image), any other
file is stored as sent and streamed once for its checksum and scan (I/O per MB)."""
from __future__ import annotations

import pytest

from design_helpers import cap

from servicelens.design.capacity import n
from servicelens.design.upload_work import media_work, upload_workers


@pytest.mark.parametrize("text, work", [
    ("Operators upload VM disk images (about 4 GB each) to the build cache.", "store"),
    ("Customers back up their laptops: each night a 10 GB archive is uploaded.", "store"),
    ("Researchers share datasets as zipped CSV bundles of up to 5 GB.", "store"),
    ("Agents push container images to the registry.", "store"),
    ("Members upload profile photos of up to 10 MB.", "thumbnails"),
    ("Shops add product pictures; each listing has 6 images.", "thumbnails"),
    ("Teachers upload lecture videos of around 800 MB.", "transcode"),
    ("Hosts publish podcast episodes as MP3 files.", "transcode"),
])
def test_the_work_after_an_upload_follows_what_the_file_is(text, work):
    assert media_work(text) == work


def test_a_stored_file_is_streamed_once_not_transcoded():
    """2 GB objects at 2 uploads/s: 4,000 MB/s over 200 MB/s per instance, not 2,000 vCPU-s per upload."""
    w = upload_workers("store", 2.0, 2e9, n)
    assert w.instances == 20
    assert "streamed" in w.name and "object storage" in w.formula


def test_images_cost_per_image_whatever_their_size():
    assert upload_workers("thumbnails", 100.0, 2e6, n).instances == upload_workers("thumbnails", 100.0, 20e6, n).instances


def test_video_costs_per_megabyte():
    small, large = upload_workers("transcode", 4.0, 100e6, n), upload_workers("transcode", 4.0, 1e9, n)
    assert large.instances > 5 * small.instances


def test_a_disk_image_upload_design_plans_no_transcoding_fleet(design):
    p = design("Image registry for our CI: engineers upload VM disk images of about 2 GB each, "
               "50,000 uploads per day, kept 90 days.")
    names = [i.name for i in p.capacity if i.group == "domain"]
    assert not any("transcod" in x or "thumbnail" in x for x in names), names
    assert cap(p, "upload verification worker instances") < 50


def test_a_video_upload_design_keeps_its_transcoding_workers(design):
    p = design("Course platform: teachers upload 20,000 lecture videos a day, about 500 MB each.")
    assert cap(p, "transcoding worker instances") >= 2
