"""Trusted reverse-proxy login: the proxy (e.g. oauth2-proxy, Apache mod_auth_openidc) authenticates the user
and passes the user and groups in headers; almen believes those headers only from the configured proxy
addresses, so a client that reaches almen directly cannot claim to be someone else.
"""

from __future__ import annotations

import ipaddress
import re

from fastapi import Request

from knowledge.errors import AlmenError
from service.api.errors import ApiProblem
from service.api.security import Principal, parse_group_roles, role_for_groups

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


class ProxyConfigError(AlmenError, ValueError):
    """ALMEN_PROXY_TRUSTED or the proxy settings cannot work (Danish message); a server configuration error."""

    status = 500


def parse_networks(spec: str) -> list[Network]:
    """'127.0.0.1, 10.0.0.0/8' -> networks; ProxyConfigError for anything else."""
    networks: list[Network] = []
    for item in (i.strip() for i in spec.split(",")):
        if not item:
            continue
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            raise ProxyConfigError(f"Ugyldig adresse '{item}' i ALMEN_PROXY_TRUSTED: brug IP-adresser eller netværk "
                                   "som 10.0.0.0/8 (ikke værtsnavne).") from None
    return networks


class TrustedProxy:
    """Who the proxy says the user is, when the request comes from the proxy."""

    def __init__(self, networks: list[Network], *, user_header: str, groups_header: str, group_roles: str) -> None:
        self.networks = networks
        self.user_header = user_header.strip().lower()
        self.groups_header = groups_header.strip().lower()
        self.group_roles = parse_group_roles(group_roles)
        if not self.user_header:
            raise ProxyConfigError("ALMEN_PROXY_USER_HEADER må ikke være tom.")
        if not self.group_roles:
            raise ProxyConfigError("Proxy-login kræver ALMEN_GROUP_ROLES, fx 'almen-laesere=reader': "
                                   "uden den får ingen bruger en rolle.")

    def trusts(self, address: str | None) -> bool:
        """True when the address is one of the configured proxies."""
        try:
            ip = ipaddress.ip_address(address or "")
        except ValueError:
            return False
        ip = getattr(ip, "ipv4_mapped", None) or ip
        return any(ip in net for net in self.networks)

    def client_address(self, request: Request) -> str:
        """The real client: behind a trusted proxy, the last X-Forwarded-For address the proxies did not add."""
        peer = request.client.host if request.client else ""
        if not self.trusts(peer):
            return peer
        chain = [a.strip() for a in request.headers.get("x-forwarded-for", "").split(",") if a.strip()]
        for address in reversed(chain):
            if not self.trusts(address):
                return address
        return peer

    def principal(self, request: Request) -> Principal | None:
        """The proxy's user, or None when the request is not from a proxy or names no user."""
        if not self.trusts(request.client.host if request.client else None):
            return None
        user = request.headers.get(self.user_header, "").strip()
        if not user:
            return None
        groups = [g for g in re.split(r"[,;\s]+", request.headers.get(self.groups_header, "")) if g]
        granted = role_for_groups(groups, self.group_roles)
        shown = user[:120]
        if granted is None:
            raise ApiProblem(403, f"Brugeren '{shown}' har ikke adgang til almen: ingen af brugerens grupper giver en "
                                  "rolle. Bed administratoren om at give adgang (ALMEN_GROUP_ROLES).")
        return Principal(key_id=f"bruger:{shown}", role=granted[0], scope=granted[1], via="proxy", user=shown)
