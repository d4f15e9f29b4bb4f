"""OpenID Connect login (authorization code flow with PKCE) against the municipality's identity provider.

``OidcClient.start`` makes the authorization URL and the flow values (state, nonce, PKCE verifier)
that the login cookie carries; ``OidcClient.finish`` exchanges the code (Authlib's OAuth2 client),
checks the ID token with the provider's published keys (joserfc: signature, issuer, audience,
expiry, nonce) and maps the user's groups to a role and scope (ALMEN_GROUP_ROLES). Every failure is
an ``OidcError`` with a status and a Danish message; nothing here writes cookies or sessions.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

import httpx

from knowledge.config import Settings
from knowledge.errors import AlmenError
from service.api.security import LOOPBACK_HOSTS, Role, parse_group_roles, role_for_groups

log = logging.getLogger("almen.api")
ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"]
TIMEOUT = 10.0
METADATA_TTL = 3600.0
JWKS_MIN_REFRESH = 60.0  # an unknown key id refetches the keys at most once a minute (key rotation)


class OidcError(AlmenError):
    """A login that cannot go on: HTTP status and a Danish message for the user."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


class OidcConfigError(AlmenError, ValueError):
    """The OIDC settings cannot work (Danish message, shown at start); a server configuration error."""

    status = 500


@dataclass(frozen=True)
class OidcUser:
    """A user the provider vouched for, with the role and scope their groups give."""

    user: str
    name: str
    role: Role
    scope: str | None
    groups: tuple[str, ...]


def claim(claims: dict[str, Any], path: str) -> Any:
    """A claim by name, or nested with dots ('realm_access.roles')."""
    if path in claims:
        return claims[path]
    value: Any = claims
    for part in path.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


def as_groups(value: Any) -> list[str]:
    """A groups claim as a list: a JSON list, or one string separated by commas or spaces."""
    if value is None:
        return []
    if isinstance(value, str):
        return [g for g in value.replace(",", " ").split() if g]
    if isinstance(value, (list, tuple)):
        return [str(g) for g in value if str(g).strip()]
    return []


class OidcClient:
    """The relying party: discovery, keys, the authorization URL and the callback's checks."""

    def __init__(self, settings: Settings, *, transport: httpx.AsyncBaseTransport | None = None) -> None:
        self.issuer = settings.oidc_issuer.strip().rstrip("/")
        self.client_id = settings.oidc_client_id.strip()
        self.client_secret = settings.oidc_client_secret.get_secret_value()
        self.scopes = " ".join(dict.fromkeys(["openid", *settings.oidc_scopes.split()]))
        self.groups_claim = settings.oidc_groups_claim.strip() or "groups"
        self.username_claim = settings.oidc_username_claim.strip() or "preferred_username"
        self.group_roles = parse_group_roles(settings.group_roles)
        self.transport = transport
        url = urlparse(self.issuer)
        if not self.client_id:
            raise OidcConfigError("ALMEN_OIDC_ISSUER er sat, men ALMEN_OIDC_CLIENT_ID mangler.")
        if url.scheme != "https" and not (url.scheme == "http" and url.hostname in LOOPBACK_HOSTS):
            raise OidcConfigError(f"ALMEN_OIDC_ISSUER skal være en https-adresse (fik '{self.issuer}').")
        if not self.group_roles:
            raise OidcConfigError("OIDC kræver ALMEN_GROUP_ROLES, fx 'almen-laesere=reader,almen-redaktoerer=editor': "
                                  "uden den får ingen bruger en rolle.")
        self._metadata: tuple[float, dict[str, Any]] | None = None
        self._keys: tuple[float, Any] | None = None

    def _http(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(timeout=TIMEOUT, transport=self.transport, follow_redirects=False)

    async def _get_json(self, url: str, **kwargs: Any) -> dict[str, Any]:
        try:
            async with self._http() as http:
                response = await http.get(url, **kwargs)
            response.raise_for_status()
            data = response.json()
        except (httpx.HTTPError, ValueError) as exc:
            log.warning("OIDC request to %s failed: %s", url, exc)
            raise OidcError(503, "Identitetsudbyderen (OIDC) kan ikke nås lige nu. Prøv igen om lidt, eller "
                                 "kontakt driften.") from None
        if not isinstance(data, dict):
            raise OidcError(503, "Identitetsudbyderen (OIDC) svarede med noget, almen ikke forstår.")
        return data

    async def metadata(self) -> dict[str, Any]:
        """The provider's discovery document (cached for an hour); its issuer must be the configured one."""
        if self._metadata is not None and time.monotonic() - self._metadata[0] < METADATA_TTL:
            return self._metadata[1]
        data = await self._get_json(f"{self.issuer}/.well-known/openid-configuration")
        if str(data.get("issuer", "")).rstrip("/") != self.issuer:
            raise OidcError(503, "Identitetsudbyderens oplysninger passer ikke til ALMEN_OIDC_ISSUER (issuer).")
        for name in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
            if not data.get(name):
                raise OidcError(503, f"Identitetsudbyderen oplyser ikke '{name}'.")
        self._metadata = (time.monotonic(), data)
        return data

    async def _keyset(self, *, refresh: bool = False) -> Any:
        from joserfc.jwk import KeySet

        now = time.monotonic()
        if self._keys is not None and not (refresh and now - self._keys[0] >= JWKS_MIN_REFRESH):
            return self._keys[1]
        meta = await self.metadata()
        try:
            keys = KeySet.import_key_set(await self._get_json(meta["jwks_uri"]))  # type: ignore[arg-type]
        except (ValueError, TypeError, KeyError) as exc:
            log.warning("OIDC key set unreadable: %s", exc)
            raise OidcError(503, "Identitetsudbyderens nøgler (JWKS) kan ikke læses.") from None
        self._keys = (now, keys)
        return keys

    async def start(self, redirect_uri: str) -> tuple[str, dict[str, str]]:
        """The authorization URL and the flow values to keep until the callback."""
        from authlib.common.security import generate_token
        from authlib.common.urls import add_params_to_uri
        from authlib.oauth2.rfc7636 import create_s256_code_challenge

        meta = await self.metadata()
        flow = {"state": generate_token(32), "nonce": generate_token(32), "verifier": generate_token(64),
                "redirect_uri": redirect_uri}
        url = add_params_to_uri(meta["authorization_endpoint"], [
            ("response_type", "code"), ("client_id", self.client_id), ("redirect_uri", redirect_uri),
            ("scope", self.scopes), ("state", flow["state"]), ("nonce", flow["nonce"]),
            ("code_challenge", create_s256_code_challenge(flow["verifier"])), ("code_challenge_method", "S256"),
        ])
        return url, flow

    async def finish(self, code: str, flow: dict[str, str]) -> OidcUser:
        """Exchange the code, check the ID token and map the user's groups to a role."""
        meta = await self.metadata()
        token = await self._exchange(meta, code, flow)
        id_token = token.get("id_token")
        if not isinstance(id_token, str):
            raise OidcError(401, "Identitetsudbyderen sendte intet ID-token. Prøv at logge ind igen.")
        claims = await self._verify(id_token, flow["nonce"])
        groups_value = claim(claims, self.groups_claim)
        if groups_value is None and meta.get("userinfo_endpoint") and token.get("access_token"):
            info = await self._get_json(meta["userinfo_endpoint"],
                                        headers={"Authorization": f"Bearer {token['access_token']}"})
            if info.get("sub") == claims.get("sub"):
                claims = {**info, **claims}
                groups_value = claim(info, self.groups_claim)
        groups = as_groups(groups_value)
        user = str(claims.get("sub"))
        name = str(claim(claims, self.username_claim) or claims.get("email") or claims.get("name") or user)[:120]
        granted = role_for_groups(groups, self.group_roles)
        if granted is None:
            log.info("OIDC login refused for %s: no group maps to a role", name)
            raise OidcError(403, f"Brugeren '{name}' har ikke adgang til almen: ingen af brugerens grupper giver en "
                                 "rolle. Bed administratoren om at give adgang (ALMEN_GROUP_ROLES).")
        return OidcUser(user=user, name=name, role=granted[0], scope=granted[1], groups=tuple(groups))

    async def _exchange(self, meta: dict[str, Any], code: str, flow: dict[str, str]) -> dict[str, Any]:
        from authlib.integrations.httpx_client import AsyncOAuth2Client

        method = "client_secret_basic" if self.client_secret else "none"
        client = AsyncOAuth2Client(client_id=self.client_id, client_secret=self.client_secret or None,
                                   token_endpoint_auth_method=method, redirect_uri=flow["redirect_uri"],
                                   timeout=TIMEOUT, transport=self.transport)
        try:
            async with client:
                token = await client.fetch_token(meta["token_endpoint"], grant_type="authorization_code", code=code,
                                                 code_verifier=flow["verifier"])
        except httpx.HTTPError as exc:
            log.warning("OIDC token request failed: %s", exc)
            raise OidcError(503, "Identitetsudbyderen (OIDC) kan ikke nås lige nu. Prøv igen om lidt.") from None
        except Exception as exc:  # noqa: BLE001 - Authlib raises OAuthError and friends for refused codes
            log.info("OIDC token request refused: %s", exc)
            raise OidcError(401, "Identitetsudbyderen afviste log-ind-koden. Prøv at logge ind igen.") from None
        return dict(token)

    async def _verify(self, id_token: str, nonce: str) -> dict[str, Any]:
        """The ID token's claims when its signature, issuer, audience, expiry and nonce are right."""
        from joserfc import jwt
        from joserfc.errors import ExpiredTokenError, InvalidClaimError, JoseError, MissingClaimError

        try:
            try:
                token = jwt.decode(id_token, await self._keyset(), algorithms=ALGORITHMS)
            except (JoseError, ValueError):  # maybe a new signing key: fetch the keys once more
                token = jwt.decode(id_token, await self._keyset(refresh=True), algorithms=ALGORITHMS)
        except (JoseError, ValueError) as exc:
            log.warning("OIDC ID token refused (signature): %s", type(exc).__name__)
            raise OidcError(401, "Log-ind-beviset fra identitetsudbyderen kunne ikke godkendes: signaturen passer "
                                 "ikke med udbyderens nøgler.") from None
        registry = jwt.JWTClaimsRegistry(
            leeway=60, iss={"essential": True, "value": self.issuer}, aud={"essential": True, "value": self.client_id},
            exp={"essential": True}, sub={"essential": True}, nonce={"essential": True, "value": nonce},
        )
        try:
            registry.validate(token.claims)
        except ExpiredTokenError:
            reason = "det er udløbet"
        except (InvalidClaimError, MissingClaimError) as exc:
            name = getattr(exc, "claim", "") or str(exc)
            reason = {"aud": "det er udstedt til en anden tjeneste", "iss": "det er udstedt af en anden udbyder",
                      "nonce": "det hører ikke til dette log-ind-forsøg"}.get(name, f"feltet '{name}' er forkert")
        except JoseError as exc:
            reason = f"det er ugyldigt ({type(exc).__name__})"
        else:
            audiences = token.claims.get("aud")
            if isinstance(audiences, list) and len(audiences) > 1 and token.claims.get("azp") != self.client_id:
                reason = "det er udstedt til en anden tjeneste"
            else:
                return dict(token.claims)
        log.warning("OIDC ID token refused: %s", reason)
        raise OidcError(401, f"Log-ind-beviset fra identitetsudbyderen kunne ikke godkendes: {reason}. "
                             "Prøv at logge ind igen.")
