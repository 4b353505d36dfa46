"""Container image references: what is pinned, what floats.

`registry:5000/team/app:1.2@sha256:...` -> repository, tag, digest. Kept separate from
any file format because Dockerfile FROM, compose `image:` and pod `image:` share it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from servicelens.infra.policy import Policy

_VARIABLE = re.compile(r"\$\{?[A-Za-z_]|\{\{")


@dataclass(frozen=True, slots=True)
class ImageRef:
    text: str
    repository: str
    tag: str
    digest: str

    @property
    def has_variable(self) -> bool:
        """`${REGISTRY}/app:${TAG}`: decided at deploy time, so we cannot judge it."""
        return bool(_VARIABLE.search(self.text))

    @property
    def short_name(self) -> str:
        return self.repository.rsplit("/", 1)[-1]


def parse_image(text: str) -> ImageRef:
    ref = text.strip().strip("'\"")
    rest, _, digest = ref.partition("@")
    last = rest.rsplit("/", 1)[-1]
    if ":" in last:
        repository, tag = rest[: len(rest) - len(last)] + last.split(":", 1)[0], last.split(":", 1)[1]
    else:
        repository, tag = rest, ""
    return ImageRef(ref, repository, tag, digest)


def floating_reason(image: ImageRef, policy: Policy) -> str | None:
    """Why this reference can change under you, or None when it is pinned enough.

    A version tag (`3.12-slim`, `1.27`) is accepted: digest pinning is better, but a
    reviewer who demands digests everywhere is dismissed, so we keep to tags that move
    across major versions.
    """
    if image.digest or image.has_variable or image.repository.lower() == "scratch":
        return None
    if not image.tag:
        return "no tag, so it means `latest`"
    if image.tag.lower() in policy.floating_tags:
        return f"the `{image.tag}` tag moves to new releases"
    return None
