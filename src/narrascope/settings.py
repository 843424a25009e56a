"""The one typed settings object: defaults, then a TOML file, then NARRASCOPE_* env vars, then flags."""

from __future__ import annotations

import dataclasses
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from narrascope.errors import ConfigError

LANGUAGES = ("en", "bg", "hi", "pt", "ru")


@dataclass(frozen=True)
class Settings:
    db: str = "narrascope.db"  # SQLAlchemy URL or a SQLite file path
    model_dir: str = ""  # a trained narrative/role model directory; "" = the shipped one
    taxonomy: str = ""  # a taxonomy YAML; "" = the shipped SemEval-2025 pack
    executor: str = "local"  # local | dask
    scheduler: str = "local"  # dask: local | tcp://host:port | slurm
    workers: int = 1
    batch_size: int = 16
    max_bytes: int = 10_000_000  # files and downloads above this are refused
    http_timeout: float = 20.0
    user_agent: str = "narrascope/0.1 (+https://github.com/narrascope/narrascope; news analysis)"
    near_duplicate_threshold: float = 0.9
    languages: tuple[str, ...] = LANGUAGES
    token: str = ""  # API bearer token; required when serving beyond loopback
    read_only: bool = False
    llm_url: str = ""  # optional OpenAI-compatible endpoint for explanations (never the default)
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def db_url(self) -> str:
        """The database as a SQLAlchemy URL (a bare path means SQLite)."""
        return self.db if "://" in self.db else f"sqlite:///{self.db}"

    def replace(self, **changes: Any) -> Settings:
        known = {f.name for f in dataclasses.fields(self)}
        return dataclasses.replace(self, **{k: v for k, v in changes.items() if k in known and v is not None})


def load_settings(
    toml_path: str | Path | None = None,
    env: Mapping[str, str] | None = None,
    **flags: Any,
) -> Settings:
    """Build Settings from defaults, an optional TOML file, NARRASCOPE_* variables and flags."""
    settings = Settings()
    if toml_path:
        settings = settings.replace(**_read_toml(Path(toml_path)))
    settings = settings.replace(**_from_env(os.environ if env is None else env))
    return settings.replace(**flags)


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: {exc}") from exc
    return dict(data.get("narrascope", data))


def _from_env(env: Mapping[str, str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for f in dataclasses.fields(Settings):
        raw = env.get(f"NARRASCOPE_{f.name.upper()}")
        if raw is None:
            continue
        if f.type in ("int", int):
            out[f.name] = int(raw)
        elif f.type in ("float", float):
            out[f.name] = float(raw)
        elif f.type in ("bool", bool):
            out[f.name] = raw.lower() in ("1", "true", "yes", "on")
        elif f.name == "languages":
            out[f.name] = tuple(x.strip() for x in raw.split(",") if x.strip())
        elif f.name != "extra":
            out[f.name] = raw
    return out
