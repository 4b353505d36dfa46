"""labdesk: lab orders and results for partner clinics."""
__version__ = "2.7.1"
