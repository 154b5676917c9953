"""Take in visitors' responses on the hot path: parse, validate, tag and store, without Flask."""
