"""Per-language resources: organisation-name patterns, person-role patterns, event triggers."""
