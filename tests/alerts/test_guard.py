"""The SSRF guard: which addresses an alert may reach, on its own and through a delivery."""

import ipaddress

import pytest

from server.alerts.guard import refusal


@pytest.mark.parametrize(
    "address, kind",
    [
        ("127.0.0.1", "loopback"),
        ("127.255.0.9", "loopback"),
        ("::1", "loopback"),
        ("10.1.2.3", "private"),
        ("172.16.0.1", "private"),
        ("192.168.0.10", "private"),
        ("fd00::1", "private"),
        ("169.254.169.254", "link-local"),
        ("fe80::1", "link-local"),
        ("224.0.0.1", "multicast"),
        ("0.0.0.0", "unspecified"),
        ("::", "unspecified"),
        ("::ffff:127.0.0.1", "loopback"),
        ("::ffff:10.0.0.1", "private"),
        ("100.64.0.1", "not global"),  # carrier-grade NAT
        ("240.0.0.1", "reserved"),
        # 6to4 addresses lead to the IPv4 address inside them.
        ("2002:7f00:1::", "loopback"),
        ("2002:a00:1::", "private"),
    ],
)
def test_internal_addresses_are_refused(address, kind):
    assert refusal(ipaddress.ip_address(address)) == kind


@pytest.mark.parametrize(
    "address", ["93.184.215.14", "1.1.1.1", "2606:4700:4700::1111", "2002:808:808::1"]
)
def test_public_addresses_pass(address):
    assert refusal(ipaddress.ip_address(address)) is None
