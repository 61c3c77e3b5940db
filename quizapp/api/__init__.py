"""The read-only JSON API under /api/v1, for programs holding an API token."""
