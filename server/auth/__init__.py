"""Authenticate admins: token secrets and hashes, and what a token may see and change."""
