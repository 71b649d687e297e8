"""Sub-commands that live in their own modules; each module has `register(sub)` adding its parsers."""
