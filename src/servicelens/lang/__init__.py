"""Language adapters: tree-sitter trees lowered to the IR of servicelens.ir."""
