"""The network guard of tests/conftest.py: loopback works, anything beyond it fails loudly."""

from __future__ import annotations

import socket
import threading

import httpx
import pytest

from tests.conftest import NetworkBlockedError, is_loopback


def test_loopback_connections_still_work() -> None:
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        accepted = threading.Thread(target=lambda: server.accept()[0].close())
        accepted.start()
        with socket.create_connection(server.getsockname(), timeout=5):
            pass
        accepted.join(5)
    assert socket.getaddrinfo("localhost", 80)


def test_connections_beyond_loopback_are_refused() -> None:
    with socket.socket() as sock, pytest.raises(NetworkBlockedError, match="must not use the network"):
        sock.connect(("192.0.2.1", 80))  # TEST-NET-1: never routed anyway
    with pytest.raises(NetworkBlockedError, match="name lookup"):
        socket.getaddrinfo("example.org", 443)
    with pytest.raises(NetworkBlockedError):
        httpx.get("https://example.org/", timeout=1)


def _guarded() -> list[bool]:
    """Which of connect, connect_ex and getaddrinfo are the guard's wrappers (by their qualified name: an
    earlier test's undo may leave the real method in the class dict, so presence there says nothing)."""
    funcs = (socket.socket.connect, socket.socket.connect_ex, socket.getaddrinfo)
    return ["_no_network" in getattr(f, "__qualname__", "") for f in funcs]


@pytest.mark.local_server
def test_a_local_server_test_is_not_restricted() -> None:
    assert _guarded() == [False, False, False]


def test_an_ordinary_test_is_restricted() -> None:
    assert _guarded() == [True, True, True]


def test_what_counts_as_loopback() -> None:
    assert all(is_loopback(h) for h in ("127.0.0.1", "127.8.9.10", "::1", "localhost"))
    assert not any(is_loopback(h) for h in ("10.0.0.1", "192.0.2.1", "example.org", "0.0.0.0", None))
