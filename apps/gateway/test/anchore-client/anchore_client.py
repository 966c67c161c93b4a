"""Anchore's account and user calls, sent the way anchore-cli sends them.

anchore-cli (anchorecli/clients/apiexternal.py) makes every call with python-requests: HTTP Basic
credentials as `auth=(user, password)`, one header dictionary shared by all calls that always
holds `Content-Type: application/json` (and `x-anchore-account` when acting as another account),
bodies serialised with `json.dumps` into `data=`, names in paths quoted with `quote(name, "")`,
and no body at all on GET and DELETE. This module reproduces those requests for each command of
the accounts-and-users walkthrough, so the gateway is tested against the client library Anchore's
tooling uses, not against a client written for Keyward.

Run as a script it reads a JSON list of steps on standard input, each
`{"call": name, "args": {...}, "user": ..., "password": ..., "as_account": ...}`, and writes one
JSON list of results: status code, headers that matter and the body (JSON when it parses).
"""

import json
import sys
from urllib.parse import quote

import requests


class Client:
    def __init__(self, url, user, password, as_account=None):
        self.url = url.rstrip("/")
        self.auth = (user, password) if user is not None else None
        # anchore-cli keeps one dictionary for every call and sets the account header in it.
        self.headers = {"Content-Type": "application/json"}
        if as_account is not None:
            self.headers["x-anchore-account"] = as_account

    def _path(self, *segments):
        return "/".join([self.url] + [quote(segment, "") for segment in segments])

    def _send(self, method, url, payload=None):
        kwargs = {"auth": self.auth, "verify": True, "headers": self.headers}
        if payload is not None:
            kwargs["data"] = json.dumps(payload)
        return getattr(requests, method)(url, **kwargs)

    # The access check anchore-cli makes before every command: GET of the service URL itself.
    def ping(self):
        return self._send("get", self.url)

    def whoami_account(self):
        return self._send("get", self._path("account"))

    def whoami_user(self):
        return self._send("get", self._path("user"))

    def add_account(self, name, email=None):
        payload = {"name": name}
        if email:
            payload["email"] = email
        return self._send("post", self._path("accounts"), payload)

    def get_account(self, name):
        return self._send("get", self._path("accounts", name))

    def list_accounts(self):
        return self._send("get", self._path("accounts"))

    def del_account(self, name):
        return self._send("delete", self._path("accounts", name))

    def enable_account(self, name):
        return self._send("put", self._path("accounts", name, "state"), {"state": "enabled"})

    def disable_account(self, name):
        return self._send("put", self._path("accounts", name, "state"), {"state": "disabled"})

    def add_user(self, account, username, password):
        return self._send("post", self._path("accounts", account, "users"), {"username": username, "password": password})

    def get_user(self, account, username):
        return self._send("get", self._path("accounts", account, "users", username))

    def list_users(self, account):
        return self._send("get", self._path("accounts", account, "users"))

    def del_user(self, account, username):
        return self._send("delete", self._path("accounts", account, "users", username))

    def update_user_password(self, account, username, password):
        return self._send(
            "post", self._path("accounts", account, "users", username, "credentials"), {"type": "password", "value": password}
        )


def describe(response):
    try:
        body = response.json()
    except ValueError:
        body = response.text
    return {
        "status": response.status_code,
        "content_type": response.headers.get("Content-Type"),
        "www_authenticate": response.headers.get("WWW-Authenticate"),
        "total": response.headers.get("X-Total-Count"),
        "body": body,
        "sent": {
            "method": response.request.method,
            "path": response.request.path_url,
            "headers": {name.lower(): value for name, value in response.request.headers.items() if name.lower() != "authorization"},
            "body": response.request.body if isinstance(response.request.body, str) else None,
        },
    }


def main():
    url = sys.argv[1]
    results = []
    for step in json.load(sys.stdin):
        client = Client(url, step.get("user"), step.get("password"), step.get("as_account"))
        results.append(describe(getattr(client, step["call"])(**step.get("args", {}))))
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main()
