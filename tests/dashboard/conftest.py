"""Fixtures of the dashboard's tests: a signed-in client."""

import pytest
from dashboard_session import secret_of, sign_in


@pytest.fixture
def signed_in(client, admin_headers):
    """Return a client signed in with an instance-wide read-write token."""
    assert sign_in(client, secret_of(admin_headers)).status_code == 302
    return client
