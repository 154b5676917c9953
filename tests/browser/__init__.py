"""Browser tests: the widget in a real Chromium against a live Touchpoint server."""
