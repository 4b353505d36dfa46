"""ticket-desk: customer support ticketing service."""

__version__ = "2.7.1"
