from app.deps.files import validate_file_token

__all__ = ["validate_file_token"]
