import logging
from typing import Annotated

from fastapi import APIRouter, Depends, File, HTTPException, Request, UploadFile, status
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from ..config import get_settings
from ..db import get_session
from ..models import ApiKey, Membership, Organization, Role
from ..schemas import InviteAccept, LogoFromUrl, MemberOut, MemberRoleUpdate, OrganizationOut
from ..security import CurrentUser, OrgAdmin, OrgMember, generate_api_key
from ..services import branding
from ..services.orgs import join_with_invite, rotate_invite_code

logger = logging.getLogger(__name__)

router = APIRouter(prefix="/orgs", tags=["organizations"])

SessionDep = Annotated[AsyncSession, Depends(get_session)]


@router.get("/{org_id}", response_model=OrganizationOut)
async def get_organization(ctx: OrgMember, session: SessionDep):
    return await session.get(Organization, ctx.org_id)


@router.get("/{org_id}/members", response_model=list[MemberOut])
async def list_members(ctx: OrgMember, session: SessionDep):
    # an organisation has at most a few dozen members (plan limit)
    rows = await session.scalars(select(Membership).where(Membership.org_id == ctx.org_id))
    return rows.all()


@router.put("/{org_id}/members/{user_id}/role", response_model=MemberOut)
async def change_member_role(user_id: int, body: MemberRoleUpdate, ctx: OrgMember, session: SessionDep):
    membership = await session.scalar(
        select(Membership).where(Membership.org_id == ctx.org_id, Membership.user_id == user_id)
    )
    if membership is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "Member not found")
    membership.role = body.role
    await session.commit()
    logger.info("org %s: user %s set role of %s to %s", ctx.org_id, ctx.user.id, user_id, body.role.value)
    return membership


@router.delete("/{org_id}/members/{user_id}", status_code=status.HTTP_204_NO_CONTENT)
async def remove_member(user_id: int, ctx: OrgAdmin, session: SessionDep):
    if user_id == ctx.user.id:
        raise HTTPException(status.HTTP_409_CONFLICT, "Use leave instead")
    await session.execute(
        delete(Membership).where(
            Membership.org_id == ctx.org_id, Membership.user_id == user_id, Membership.role != Role.owner
        )
    )
    await session.commit()


@router.post("/{org_id}/invite-code")
async def new_invite_code(ctx: OrgAdmin, session: SessionDep):
    org = await session.get(Organization, ctx.org_id)
    code = await rotate_invite_code(session, org)
    return {"invite_code": code}


@router.post("/join", response_model=MemberOut)
async def join_organization(body: InviteAccept, user: CurrentUser, session: SessionDep):
    membership = await join_with_invite(session, user.id, body.code.upper())
    if membership is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "Unknown invite code")
    return membership


@router.post("/{org_id}/api-keys", status_code=status.HTTP_201_CREATED)
async def create_api_key(name: str, ctx: OrgAdmin, session: SessionDep):
    raw, prefix, digest = generate_api_key()
    session.add(ApiKey(org_id=ctx.org_id, name=name[:100], prefix=prefix, key_hash=digest))
    await session.commit()
    # the raw key is shown once and never stored
    return {"api_key": raw, "prefix": prefix}


@router.post("/{org_id}/branding/logo-from-url", status_code=status.HTTP_201_CREATED)
async def import_logo(body: LogoFromUrl, ctx: OrgAdmin, session: SessionDep, request: Request):
    settings = get_settings()
    content, content_type = await branding.fetch_remote_image(
        request.app.state.http, str(body.url), settings.branding_max_bytes
    )
    org = await session.get(Organization, ctx.org_id)
    org.logo_path = await branding.store_logo(settings.exports_dir, ctx.org_id, content, content_type)
    await session.commit()
    return {"logo_path": org.logo_path}


@router.post("/{org_id}/branding/logo", status_code=status.HTTP_201_CREATED)
async def upload_logo(ctx: OrgAdmin, session: SessionDep, file: Annotated[UploadFile, File()]):
    settings = get_settings()
    if file.content_type not in branding.ALLOWED_IMAGE_TYPES:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_ENTITY, "Unsupported image type")
    content = await file.read(settings.branding_max_bytes + 1)
    if len(content) > settings.branding_max_bytes:
        raise HTTPException(status.HTTP_413_REQUEST_ENTITY_TOO_LARGE, "Image too large")
    org = await session.get(Organization, ctx.org_id)
    org.logo_path = await branding.store_logo(settings.exports_dir, ctx.org_id, content, file.content_type)
    await session.commit()
    return {"logo_path": org.logo_path}
