"""Keep the audit log: who changed what, when, on which site."""
