"""Errors raised by the engine.

Every problem names where it is: the file and line for a scheme, the node id or
fact name for an input. A caller that wants one line (the command line) uses
``str(error)``; a caller that shows every problem beside its line (the web
editor) iterates ``error.problems``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    message: str
    node: str | None = None
    line: int | None = None

    def where(self, source: str | None = None) -> str:
        parts = []
        if source:
            parts.append(f"{source}:{self.line}" if self.line else source)
        elif self.line:
            parts.append(f"line {self.line}")
        if self.node:
            parts.append(f"node {self.node}")
        return ": ".join(parts)

    def render(self, source: str | None = None) -> str:
        where = self.where(source)
        return f"{where}: {self.message}" if where else self.message


class EngineError(Exception):
    """Base class: carries one or more problems, all found in one pass."""

    def __init__(self, problems: list[Problem], source: str | None = None) -> None:
        if not problems:
            raise ValueError("an engine error needs at least one problem")
        self.problems = problems
        self.source = source
        super().__init__(problems[0].render(source))

    def lines(self) -> list[str]:
        return [p.render(self.source) for p in self.problems]


class SchemeError(EngineError):
    """The scheme file is malformed or inconsistent; it cannot score."""


class InputError(EngineError):
    """The values given for one subject do not fit the scheme."""
