"""Administer sites: keys, settings and their defaults, the snippet, changes and deletions."""
