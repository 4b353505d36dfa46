"""Everything that touches the filesystem: discovery, reading, parsing, suppressions."""
