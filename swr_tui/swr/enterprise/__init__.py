"""SWR Enterprise Edition: instances, their namespaces, repositories and artifacts (read-only)."""
