"""The text layer every step shares: sentence splitting, scripts, folding and name keys."""
