"""Record a change in the audit log, in the session (and so the transaction) of the change.

Every function that changes settings, deletes or erases responses, triages them or manages
tokens takes an `actor` and calls `record_change` before its commit, so the entry is written
with the change or not at all. An `actor` of None is a change made by code outside any
operator's hands (test fixtures, benchmarks, seeding): nothing is recorded.
"""

from dataclasses import dataclass

from flask import has_request_context, request

from ..extensions import db
from ..logs import REQUEST_ID_KEY
from ..models import AdminToken, AuditEntry

#: Who can make a change: an admin API token, a dashboard session (signed in with a token),
#: or the command line.
ACTOR_KINDS = ("token", "dashboard", "cli")

#: Every action the log records. The alert rules' actions are recorded by their own module.
ACTIONS = (
    "site.create",
    "site.update",
    "site.delete",
    "response.delete",
    "response.triage",
    "responses.triage",
    "responses.erase",
    "token.create",
    "token.revoke",
    "alert.create",
    "alert.update",
    "alert.delete",
    "alert.test",
)


@dataclass(frozen=True)
class Actor:
    """Who made a change: the kind, and the token's id and name (none for the command line)."""

    kind: str
    token_id: int | None = None
    token_name: str | None = None
    request_id: str | None = None


#: The actor of every `touchpoint` command.
CLI = Actor("cli")


def token_actor(token: AdminToken, kind: str = "token") -> Actor:
    """Return the actor acting with `token` through the API or (`kind="dashboard"`) a session.

    Inside a request, the actor carries the request's id (the `X-Request-ID` answered), so an
    entry can be matched with the log lines of the request that made it.
    """
    request_id = request.environ.get(REQUEST_ID_KEY) if has_request_context() else None
    return Actor(kind, token.id, token.name, request_id)


def record_change(actor: Actor | None, action: str, *, site_key: str | None, details: dict):
    """Add an audit entry for `action` to the session; the caller's commit writes it.

    `details` is JSON the entry keeps (counts, ids, changed settings — never an email
    address). Raises ValueError for an action or actor kind the log does not know.
    """
    if actor is None:
        return None
    if action not in ACTIONS or actor.kind not in ACTOR_KINDS:
        raise ValueError(f"unknown audit action or actor: {action!r}, {actor.kind!r}")
    entry = AuditEntry(
        actor_kind=actor.kind,
        token_id=actor.token_id,
        token_name=actor.token_name,
        action=action,
        site_key=site_key,
        details=details,
        request_id=actor.request_id,
    )
    db.session.add(entry)
    return entry
