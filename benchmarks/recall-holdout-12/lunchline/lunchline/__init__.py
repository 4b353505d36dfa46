"""Lunchline: prepaid school meal accounts, pre-orders and kiosk sales."""

__version__ = "2.7.1"
