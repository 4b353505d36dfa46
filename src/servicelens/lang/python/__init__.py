"""Python adapter: any Python 3.8-3.13 syntax via tree-sitter, whatever interpreter runs us."""
from servicelens.lang.python.lower import lower_module, module_name_for

__all__ = ["lower_module", "module_name_for"]
