from fastapi import APIRouter, Depends

from app.deps import validate_file_token
from app.security import active_caller, maybe_caller

router = APIRouter(prefix="/notes")


@router.post("/")
def create_note(body: dict, owner: str = Depends(active_caller)):
    return {"owner": owner, **body}


@router.delete("/{note_id}")
def delete_note(note_id: int, caller=Depends(maybe_caller)):
    return None


@router.get("/")
def list_notes():
    return []


@router.get("/download")
def download(file_path=Depends(validate_file_token)):
    return str(file_path)
