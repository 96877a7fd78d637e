"""The JSON API blueprint (/api/v1)."""
