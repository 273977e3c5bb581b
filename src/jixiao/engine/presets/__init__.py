"""Schemes shipped with Jixiao, one per scheme in the seed documents.

Each preset is a TOML file beside this module; its comments say where a number
comes from and which defaults Jixiao chose where the document is silent.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from ..loader import load_scheme_text
from ..model import Scheme


def names() -> list[str]:
    """Preset names, sorted: the file names without .toml."""
    files = resources.files(__name__).iterdir()
    return sorted(f.name.removesuffix(".toml") for f in files if f.name.endswith(".toml"))


def text(name: str) -> str:
    if name not in names():
        raise KeyError(name)
    return resources.files(__name__).joinpath(f"{name}.toml").read_text(encoding="utf-8")


@cache
def load(name: str) -> Scheme:
    return load_scheme_text(text(name), source=f"preset {name}")
