"""Run the app with uvicorn: loopback by default, a token required for any other address."""

from __future__ import annotations

import ipaddress

from narrascope.errors import ConfigError
from narrascope.settings import Settings

LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")


def is_loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_exposure(settings: Settings, host: str) -> None:
    """Refuse to listen beyond loopback without a token (NARRASCOPE_TOKEN)."""
    if not is_loopback(host) and not settings.token:
        raise ConfigError(
            f"refusing to serve on {host} without a token: set NARRASCOPE_TOKEN "
            "(clients then send 'Authorization: Bearer TOKEN' or log in) or bind 127.0.0.1"
        )
    if settings.token and len(settings.token) < 16:
        raise ConfigError("NARRASCOPE_TOKEN is too short: use at least 16 random characters")


def serve(settings: Settings, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Serve the API and dashboard until interrupted (raises SchemaError/ConfigError before listening)."""
    import uvicorn

    from narrascope.api.app import create_app

    check_exposure(settings, host)
    hosts = (*LOOPBACK_NAMES, "[::1]") if is_loopback(host) and not settings.token else ()
    app = create_app(settings, allowed_hosts=hosts)
    uvicorn.run(app, host=host, port=port, log_level="info", server_header=False, proxy_headers=False)
