import csv
import os
import re
import uuid
from datetime import datetime, timezone
from urllib.parse import urlsplit

from stagepass.repositories import EventRepository
from stagepass.services import InvalidInput, NotFound

IMAGE_TYPES = {"image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp"}
ASSET_ID = re.compile(r"^[a-f0-9]{32}$")
EXPORT_COLUMNS = ("code", "tier", "display_name", "email", "checked_in_at")


class MediaService:
    def __init__(self, db, settings, http):
        self.db = db
        self.settings = settings
        self.http = http

    def _owned(self, conn, organiser_id, event_id):
        event = EventRepository(conn).get_for_organiser(event_id, organiser_id)
        if event is None:
            raise NotFound("Event not found")
        return event

    def import_poster(self, organiser_id, event_id, image_url):
        parsed = urlsplit(image_url or "")
        if parsed.scheme not in ("http", "https") or not parsed.hostname:
            raise InvalidInput("image_url must be an http(s) URL")
        with self.db.connection() as conn:
            self._owned(conn, organiser_id, event_id)
        with self.http.get(image_url, stream=True) as resp:
            if resp.status_code != 200:
                raise InvalidInput(f"could not fetch image ({resp.status_code})")
            extension = IMAGE_TYPES.get(resp.headers.get("Content-Type", "").split(";")[0])
            if extension is None:
                raise InvalidInput("image must be JPEG, PNG or WebP")
            data = resp.raw.read(self.settings.poster_max_bytes + 1, decode_content=True)
        if len(data) > self.settings.poster_max_bytes:
            raise InvalidInput("image too large")
        filename = f"{event_id}-{uuid.uuid4().hex}{extension}"
        with open(os.path.join(self.settings.poster_dir, filename), "wb") as fh:
            fh.write(data)
        poster_url = f"{self.settings.cdn_base_url}/posters/{filename}"
        with self.db.transaction() as conn:
            EventRepository(conn).set_poster(event_id, poster_url)
        return poster_url

    def attach_cdn_asset(self, organiser_id, event_id, asset_id):
        if not isinstance(asset_id, str) or not ASSET_ID.match(asset_id):
            raise InvalidInput("asset_id must be a CDN asset id")
        url = f"{self.settings.cdn_base_url}/assets/{asset_id}"
        with self.db.transaction() as conn:
            self._owned(conn, organiser_id, event_id)
            if self.http.head(url).status_code != 200:
                raise InvalidInput("unknown asset")
            EventRepository(conn).set_poster(event_id, url)
        return url

    def write_attendee_export(self, organiser_id, event_id):
        directory = os.path.join(self.settings.export_dir, str(organiser_id))
        os.makedirs(directory, exist_ok=True)
        filename = f"attendees-{event_id}-{datetime.now(timezone.utc):%Y%m%d%H%M%S}.csv"
        path = os.path.join(directory, filename)
        with self.db.connection() as conn:
            self._owned(conn, organiser_id, event_id)
            with conn.cursor(name=f"export_{event_id}_{uuid.uuid4().hex[:8]}") as cur, open(
                path, "w", newline="", encoding="utf-8"
            ) as fh:
                cur.itersize = 2000
                cur.execute(
                    "SELECT t.code, tt.name AS tier, u.display_name, u.email, t.checked_in_at "
                    "FROM tickets t JOIN ticket_tiers tt ON tt.id = t.tier_id "
                    "JOIN orders o ON o.id = t.order_id JOIN users u ON u.id = o.user_id "
                    "WHERE t.event_id = %s AND o.status = 'paid' AND t.voided_at IS NULL",
                    (event_id,),
                )
                writer = csv.writer(fh)
                writer.writerow(EXPORT_COLUMNS)
                for row in cur:
                    writer.writerow([row[column] for column in EXPORT_COLUMNS])
        return filename

    def export_path(self, organiser_id, name):
        if not name or not name.endswith(".csv"):
            raise InvalidInput("name must be a .csv export")
        path = os.path.join(self.settings.export_dir, str(organiser_id), name)
        if not os.path.isfile(path):
            raise NotFound("Export not found")
        return path
