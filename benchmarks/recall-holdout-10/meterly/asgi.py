from meterly.main import app

__all__ = ["app"]
