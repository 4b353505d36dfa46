import os

from fastapi import APIRouter, HTTPException, status
from fastapi.responses import FileResponse

from app.config import get_settings
from app.deps import CurrentUser, SessionDep
from app.schemas import ExportOut
from app.services.reporting import ExportService
from app.worker import enqueue

router = APIRouter(tags=["files"])
_settings = get_settings()


@router.get("/labels/{label_path:path}")
async def download_label(label_path: str, user: CurrentUser) -> FileResponse:
    """Labels are written by the worker as <user_id>/<order_public_id>.pdf."""
    full_path = os.path.join(_settings.label_dir, label_path)
    if not os.path.isfile(full_path):
        raise HTTPException(status.HTTP_404_NOT_FOUND, "label not found")
    return FileResponse(full_path, media_type="application/pdf")


@router.post("/exports", response_model=ExportOut, status_code=status.HTTP_202_ACCEPTED)
async def start_export(user: CurrentUser, session: SessionDep) -> ExportOut:
    job = await ExportService(session).request_export(user)
    await enqueue("build_export", job.id)
    return ExportOut.model_validate(job)


@router.get("/exports/{job_id}/download")
async def download_export(job_id: str, user: CurrentUser, session: SessionDep) -> FileResponse:
    svc = ExportService(session)
    job = await svc.job_for(user, job_id)
    if job.status != "done" or not job.filename:
        raise HTTPException(status.HTTP_409_CONFLICT, "export not ready")
    return FileResponse(svc.path_for(job), media_type="text/csv", filename="orders.csv")

