"""Framework and library models: data only (YAML), validated by servicelens.taint.models."""
