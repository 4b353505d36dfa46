"""Parse every .js/.ts file of the set with tree-sitter and report syntax errors."""
import pathlib
import sys

import tree_sitter
import tree_sitter_javascript
import tree_sitter_typescript

ROOT = pathlib.Path(__file__).resolve().parent.parent
JS = tree_sitter.Language(tree_sitter_javascript.language())
TS = tree_sitter.Language(tree_sitter_typescript.language_typescript())


def first_error(node):
    if node.type == "ERROR" or node.is_missing:
        return node
    for child in node.children:
        found = first_error(child)
        if found is not None:
            return found
    return None


def main() -> int:
    bad = 0
    count = 0
    for path in sorted(ROOT.rglob("*")):
        if path.suffix not in (".js", ".ts") or "_tools" in path.parts:
            continue
        lang = TS if path.suffix == ".ts" else JS
        tree = tree_sitter.Parser(lang).parse(path.read_bytes())
        count += 1
        err = first_error(tree.root_node)
        if err is not None:
            bad += 1
            print(f"{path.relative_to(ROOT)}:{err.start_point[0] + 1}: syntax error near {err.type}")
    print(f"parsed {count} files, {bad} with errors")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
