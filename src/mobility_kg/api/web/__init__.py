"""The web page: server-rendered HTML (no JavaScript needed, nothing from a CDN)."""
