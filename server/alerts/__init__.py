"""Alerts: rules that tell a team's webhook, Slack or inbox about responses, changes, digests."""
