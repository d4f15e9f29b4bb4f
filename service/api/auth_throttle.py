"""Throttling of wrong API keys per client address, in bounded memory.

Each address has a bucket of ``per_minute`` failures that refills continuously. While it is empty
every key from that address is refused with 429 before it is checked, a right one too, so the
answers cannot tell a guesser anything. IPv6 addresses count per /64 (one host usually has a whole
/64). At most ``max_addresses`` addresses are remembered; the least recently seen are forgotten.
"""

from __future__ import annotations

import ipaddress
import threading
import time
from collections import OrderedDict


def address_key(address: str) -> str:
    """The address a failure counts against: IPv4 as is, IPv6 by its /64 network."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address[:64]
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


class FailureThrottle:
    """Token bucket of failed key checks per address (thread-safe, in memory)."""

    def __init__(self, per_minute: int, *, max_addresses: int = 4096) -> None:
        self.capacity = float(per_minute)
        self.rate = per_minute / 60.0
        self.max_addresses = max_addresses
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._lock = threading.Lock()

    def _tokens(self, key: str, now: float) -> float:
        tokens, last = self._buckets.get(key, (self.capacity, now))
        return min(self.capacity, tokens + (now - last) * self.rate)

    def wait(self, address: str) -> float:
        """Seconds until the address may try a key again (0 = now)."""
        key, now = address_key(address), time.monotonic()
        with self._lock:
            if key not in self._buckets:
                return 0.0
            tokens = self._tokens(key, now)
        return 0.0 if tokens >= 1.0 else (1.0 - tokens) / self.rate

    def failed(self, address: str) -> None:
        """Count one wrong key from the address."""
        key, now = address_key(address), time.monotonic()
        with self._lock:
            tokens = max(0.0, self._tokens(key, now) - 1.0)
            self._buckets[key] = (tokens, now)
            self._buckets.move_to_end(key)
            while len(self._buckets) > self.max_addresses:
                self._buckets.popitem(last=False)

    def __len__(self) -> int:
        return len(self._buckets)
