"""servicelens: the review a principal backend engineer would write, offline and fast."""

__version__ = "0.1.0"
