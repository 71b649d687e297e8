"""bioatlas: a multilingual intelligence platform for the life-science economy."""

__version__ = "0.1.0"
