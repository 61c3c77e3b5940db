"""Pages anyone may read: home, timeline, study pages, health check."""
