"""A small but real OpenID Connect provider for the login tests (FastAPI + joserfc, served by uvicorn on 127.0.0.1).

It serves discovery, JWKS, authorize (the user the test chose is "logged in" at once), token (checks the
client secret, the redirect URI, single use of the code and the PKCE S256 verifier) and userinfo. The
test sets ``mode`` to make it misbehave the way a forged or stale token would:
  ok           a correct ID token
  forged       signed with another key under the published key id
  unknown_kid  signed with another key under a key id the JWKS does not have
  expired      exp an hour ago
  wrong_aud    issued to another client
  wrong_nonce  a nonce from another login
  wrong_iss    another issuer
  groups_in_userinfo  the groups claim only from the userinfo endpoint
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import time
from typing import Any
from urllib.parse import urlencode

from fastapi import FastAPI, Form, Header, Request
from fastapi.responses import JSONResponse, RedirectResponse
from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey

CLIENT_ID = "almen"
CLIENT_SECRET = "klient-hemmelighed-0123456789-abcdef"


class OidcTestProvider:
    """The provider's state: its keys, users, issued codes and what almen sent it."""

    def __init__(self) -> None:
        self.key = RSAKey.generate_key(2048, parameters={"kid": "k1", "alg": "RS256", "use": "sig"}, private=True)
        self.forged = RSAKey.generate_key(2048, parameters={"kid": "k1", "alg": "RS256"}, private=True)
        self.stranger = RSAKey.generate_key(2048, parameters={"kid": "ukendt", "alg": "RS256"}, private=True)
        self.issuer = ""
        self.mode = "ok"
        self.user: dict[str, Any] = {}
        self.codes: dict[str, dict[str, Any]] = {}
        self.tokens: dict[str, dict[str, Any]] = {}
        self.authorize_requests: list[dict[str, str]] = []
        self.token_requests: list[dict[str, str]] = []

    def login_as(self, username: str, groups: list[str], *, sub: str | None = None) -> None:
        """The user the next authorization request logs in."""
        self.user = {"sub": sub or f"sub-{username}", "preferred_username": username, "name": username.title(),
                     "email": f"{username}@kommune.example", "groups": groups}

    def claims(self, nonce: str) -> dict[str, Any]:
        now = int(time.time())
        claims = {"iss": self.issuer, "aud": CLIENT_ID, "sub": self.user["sub"], "iat": now, "exp": now + 300,
                  "nonce": nonce, **{k: v for k, v in self.user.items() if k != "sub"}}
        if self.mode == "expired":
            claims.update(iat=now - 7200, exp=now - 3600)
        elif self.mode == "wrong_aud":
            claims["aud"] = "en-anden-tjeneste"
        elif self.mode == "wrong_nonce":
            claims["nonce"] = "fra-et-andet-log-ind"
        elif self.mode == "wrong_iss":
            claims["iss"] = "https://ond.example"
        elif self.mode == "groups_in_userinfo":
            claims.pop("groups", None)
        return claims

    def sign(self, claims: dict[str, Any]) -> str:
        key = {"forged": self.forged, "unknown_kid": self.stranger}.get(self.mode, self.key)
        return jwt.encode({"alg": "RS256", "kid": key.kid}, claims, key)

    def app(self) -> FastAPI:
        app = FastAPI()

        @app.get("/.well-known/openid-configuration")
        async def discovery() -> dict[str, Any]:
            return {"issuer": self.issuer, "authorization_endpoint": f"{self.issuer}/authorize",
                    "token_endpoint": f"{self.issuer}/token", "jwks_uri": f"{self.issuer}/jwks",
                    "userinfo_endpoint": f"{self.issuer}/userinfo", "end_session_endpoint": f"{self.issuer}/logout",
                    "response_types_supported": ["code"], "subject_types_supported": ["public"],
                    "id_token_signing_alg_values_supported": ["RS256"], "code_challenge_methods_supported": ["S256"]}

        @app.get("/jwks")
        async def jwks() -> dict[str, Any]:
            return KeySet([self.key]).as_dict(private=False)

        @app.get("/authorize")
        async def authorize(request: Request) -> Any:
            q = dict(request.query_params)
            self.authorize_requests.append(q)
            if (q.get("client_id") != CLIENT_ID or q.get("response_type") != "code"
                    or q.get("code_challenge_method") != "S256" or not q.get("code_challenge")
                    or "openid" not in q.get("scope", "").split()):
                return JSONResponse({"error": "invalid_request"}, status_code=400)
            code = secrets.token_urlsafe(16)
            self.codes[code] = {"user": dict(self.user), "nonce": q.get("nonce", ""), "challenge": q["code_challenge"],
                                "redirect_uri": q["redirect_uri"]}
            return RedirectResponse(f"{q['redirect_uri']}?{urlencode({'code': code, 'state': q.get('state', '')})}",
                                    status_code=302)

        @app.post("/token")
        async def token(grant_type: str = Form(), code: str = Form(), redirect_uri: str = Form(),
                        code_verifier: str = Form(""), authorization: str = Header("")) -> Any:
            self.token_requests.append({"grant_type": grant_type, "redirect_uri": redirect_uri,
                                        "code_verifier": code_verifier, "authorization": authorization})
            expected = "Basic " + base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
            if authorization != expected:
                return JSONResponse({"error": "invalid_client"}, status_code=401)
            issued = self.codes.pop(code, None)  # a code works once
            digest = base64.urlsafe_b64encode(hashlib.sha256(code_verifier.encode()).digest()).rstrip(b"=").decode()
            if (issued is None or grant_type != "authorization_code" or redirect_uri != issued["redirect_uri"]
                    or digest != issued["challenge"]):
                return JSONResponse({"error": "invalid_grant"}, status_code=400)
            self.user = issued["user"]
            access = secrets.token_urlsafe(16)
            self.tokens[access] = dict(issued["user"])
            return {"access_token": access, "token_type": "Bearer", "expires_in": 300,
                    "id_token": self.sign(self.claims(issued["nonce"]))}

        @app.get("/userinfo")
        async def userinfo(authorization: str = Header("")) -> Any:
            user = self.tokens.get(authorization.removeprefix("Bearer ").strip())
            if user is None:
                return JSONResponse({"error": "invalid_token"}, status_code=401)
            return user

        return app
