import logging

from fastapi import APIRouter, Depends

from docs.db import get_db
from docs.security import require_scopes, requires, with_session, User

log = logging.getLogger(__name__)
router = APIRouter(prefix="/docs")


@router.post("/")
async def create_doc(title: str, user: require_scopes("docs:write"), db=Depends(get_db)):
    log.info(f"user {user.id} creates a document")
    return {"ok": True}


@router.delete("/{doc_id}")
async def delete_doc(doc_id: int, user: User = requires("admin"), db=Depends(get_db)):
    return {"ok": True}


@router.patch("/{doc_id}")
async def rename_doc(doc_id: int, name: str, session: with_session()):
    log.info(f"renaming to {name}")
    return {"ok": True}
