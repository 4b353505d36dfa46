"""Settings: every default defined once, loaded from pyproject/servicelens.toml plus CLI."""
from servicelens.config.settings import Settings

__all__ = ["Settings"]
