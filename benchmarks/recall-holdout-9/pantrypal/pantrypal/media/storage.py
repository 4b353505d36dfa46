import mimetypes
import os
import uuid

import boto3
import requests
from botocore.config import Config
from flask import current_app

ALLOWED_TYPES = {"image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp"}
MAX_IMAGE_BYTES = 5 * 1024 * 1024


def build_s3_client():
    return boto3.client(
        "s3",
        region_name=current_app.config["S3_REGION"],
        config=Config(connect_timeout=3, read_timeout=10, retries={"max_attempts": 3, "mode": "standard"}),
    )


def s3():
    client = current_app.extensions.get("s3")
    if client is None:
        client = build_s3_client()
        current_app.extensions["s3"] = client
    return client


def image_key(store_id: int, content_type: str) -> str:
    return f"products/{store_id}/{uuid.uuid4().hex}{ALLOWED_TYPES[content_type]}"


def put_image(store_id: int, stream, content_type: str) -> str:
    key = image_key(store_id, content_type)
    s3().upload_fileobj(stream, current_app.config["S3_BUCKET"], key, ExtraArgs={"ContentType": content_type})
    return key


def import_image_from_url(store_id: int, url: str) -> str:
    resp = requests.get(url, timeout=(3, 10), stream=True)
    resp.raise_for_status()
    content_type = resp.headers.get("Content-Type", "").split(";")[0]
    if content_type not in ALLOWED_TYPES:
        raise ValueError(f"unsupported content type {content_type}")
    body = resp.raw.read(MAX_IMAGE_BYTES + 1, decode_content=True)
    if len(body) > MAX_IMAGE_BYTES:
        raise ValueError("image too large")
    key = image_key(store_id, content_type)
    s3().put_object(Bucket=current_app.config["S3_BUCKET"], Key=key, Body=body, ContentType=content_type)
    return key


def presigned_url(key: str) -> str:
    return s3().generate_presigned_url(
        "get_object", Params={"Bucket": current_app.config["S3_BUCKET"], "Key": key}, ExpiresIn=300
    )


def report_dir(store_id: int) -> str:
    return os.path.join(current_app.config["INVOICE_DIR"], "reports", str(store_id))


def report_path(store_id: int, name: str) -> str:
    return os.path.join(report_dir(store_id), name)


def guess_type(path: str) -> str:
    return mimetypes.guess_type(path)[0] or "application/octet-stream"
