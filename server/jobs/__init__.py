"""Run work outside the request: the job queue (huey) and the jobs registered on it."""
