"""Object storage for KYC documents and generated statements."""
from __future__ import annotations

import aioboto3
from botocore.config import Config

from app.config import get_settings

settings = get_settings()

_session = aioboto3.Session()
_boto_config = Config(connect_timeout=3, read_timeout=15, retries={"max_attempts": 3, "mode": "standard"})


async def put_object(key: str, body: bytes, content_type: str) -> None:
    async with _session.client("s3", config=_boto_config) as s3:
        await s3.put_object(
            Bucket=settings.kyc_bucket,
            Key=key,
            Body=body,
            ContentType=content_type,
            ServerSideEncryption="aws:kms",
        )
