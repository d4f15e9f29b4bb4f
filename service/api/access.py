"""How this process recognises callers: the access settings read once (keys, local mode, anonymous reading,
allowed host names, OIDC, trusted proxy, sessions) into ``Access``. Recognising one request's caller with
it is ``service.api.authn``; the app state holds it (``service.api.state``).
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

from knowledge.config import Settings
from service.api.auth_oidc import OidcClient
from service.api.auth_proxy import TrustedProxy, parse_networks
from service.api.auth_throttle import FailureThrottle
from service.api.hosts import allowed_hosts
from service.api.security import KeyRing, anonymous_allowed
from service.api.sessions import SessionStore, load_secret


def is_loopback(host: str | None) -> bool:
    """True for 127.0.0.0/8, ::1 and 'localhost'."""
    if not host:
        return False
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@dataclass
class Access:
    """How this process recognises callers (built once from the settings by ``build_access``)."""

    keyring: KeyRing
    local_mode: bool
    allow_anonymous: bool
    throttle: FailureThrottle
    hosts: frozenset[str] | None
    secret: bytes
    cookie_secure: bool = True
    cors_origins: frozenset[str] = frozenset()
    oidc: OidcClient | None = None
    proxy: TrustedProxy | None = None
    sessions: SessionStore | None = None

    @property
    def mode(self) -> str:
        """local, oidc, proxy, keys or open (anonymous reading only)."""
        if self.local_mode:
            return "local"
        if self.oidc is not None:
            return "oidc"
        if self.proxy is not None:
            return "proxy"
        return "keys" if len(self.keyring) else "open"

    def cookie(self, name: str) -> str:
        """Cookie names: '__Host-' pins Secure cookies to this host and path '/'."""
        return f"__Host-almen-{name}" if self.cookie_secure else f"almen-{name}"


def local_mode_on(settings: Settings, bind_host: str | None, *, keys: int, oidc: bool, proxy: bool) -> bool:
    """Local mode: the explicit setting, else on a loopback address with no keys, OIDC or proxy set up."""
    if settings.local_mode is not None:
        return settings.local_mode
    return (is_loopback(bind_host) and keys == 0 and not oidc and not proxy
            and settings.allow_anonymous is not False)


def build_access(settings: Settings, bind_host: str | None) -> Access:
    """Read the access settings once; a ValueError with a Danish message when they cannot work."""
    keyring = KeyRing.from_sources(settings.api_keys.get_secret_value(), settings.keys_file)
    oidc = OidcClient(settings) if settings.oidc_issuer.strip() else None
    networks = parse_networks(settings.proxy_trusted)
    proxy = TrustedProxy(networks, user_header=settings.proxy_user_header, groups_header=settings.proxy_groups_header,
                         group_roles=settings.group_roles) if networks else None
    local = local_mode_on(settings, bind_host, keys=len(keyring), oidc=oidc is not None, proxy=proxy is not None)
    origins = frozenset(o.strip().rstrip("/") for o in settings.cors_origins.split(",") if o.strip())
    return Access(
        keyring=keyring, local_mode=local, allow_anonymous=anonymous_allowed(settings.allow_anonymous, bind_host),
        throttle=FailureThrottle(settings.key_failures_per_minute), hosts=allowed_hosts(settings.allowed_hosts, bind_host),
        secret=load_secret(settings) if (oidc or proxy) else b"", cookie_secure=settings.session_cookie_secure,
        cors_origins=origins, oidc=oidc, proxy=proxy, sessions=SessionStore.in_home(settings) if oidc else None,
    )
