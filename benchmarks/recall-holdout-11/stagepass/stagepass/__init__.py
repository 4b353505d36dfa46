"""StagePass ticketing API."""

__version__ = "1.4.2"
