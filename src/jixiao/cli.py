"""The ``jixiao`` command.

Engine commands (score, schemes, check) are a stable contract for scripts:
JSON or text on stdout; on bad input exit status 2, one line on stderr naming
the node or file position, and nothing on stdout. They import no Django.
"""

from __future__ import annotations

import argparse
import json
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any, NoReturn

from .engine import EngineError, Scheme, evaluate, load_scheme_file, presets
from .engine.output import render_tree, to_json

EXIT_BAD_INPUT = 2
INPUT_KEYS = {"values", "vetoes", "evidence"}


class BadInput(Exception):
    """A problem the user must fix; printed as one line, exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: {message}\n")


def main(argv: list[str] | None = None) -> int:
    args_list = sys.argv[1:] if argv is None else argv
    # demo and manage hand the rest of the line to Django untouched.
    if args_list[:1] == ["manage"]:
        from .project.manage import main as manage

        manage(args_list[1:])
        return 0
    parser = _build_parser()
    args = parser.parse_args(args_list)
    if args.command is None:
        parser.print_help()
        return EXIT_BAD_INPUT
    try:
        return args.handler(args)
    except (BadInput, EngineError) as exc:
        print(f"jixiao {args.command}: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT


def _build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="jixiao", description="Jixiao performance management")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    score = sub.add_parser("score", help="score one subject against a scheme, print JSON")
    score.add_argument("--scheme", required=True, help="a preset name or a scheme file")
    score.add_argument(
        "input", help='input JSON file: {"values": {...}, "vetoes": [...]}; - for stdin'
    )
    score.set_defaults(handler=_score)

    schemes = sub.add_parser("schemes", help="list the preset schemes")
    schemes.set_defaults(handler=_schemes)

    check = sub.add_parser("check", help="validate a scheme file and print its tree")
    check.add_argument("file", help="a scheme file (TOML) or a preset name")
    check.set_defaults(handler=_check)

    demo = sub.add_parser("demo", help="migrate, load demo data and serve on 127.0.0.1")
    demo.add_argument("--port", type=int, default=8000)
    demo.add_argument("--demo-password", default=None, help="password for every demo login")
    demo.set_defaults(handler=_demo)

    allot = sub.add_parser(
        "allocate", help="share a reward pool by weight, exact to the fen; print CSV"
    )
    allot.add_argument("--pool", required=True, help="the pool in yuan, e.g. 20000.00")
    allot.add_argument(
        "file", help="CSV with columns name,weight,eligible (yes/no or 是/否); - for stdin"
    )
    allot.set_defaults(handler=_allocate)

    sample = sub.add_parser(
        "sample",
        help="draw a stratified random sample from a frame file; print the rows as CSV",
        description=(
            "Read a respondent frame (.xlsx or .csv; UTF-8, UTF-8 with BOM or GB18030) and "
            "draw a stratified random sample, by the values of one column. Without --quota, "
            "--size N is shared across strata in proportion to their sizes (Hamilton's "
            "largest remainder; ties: the larger stratum first, then by name). With --quota, "
            "the sample is exactly the quotas: strata not named get 0, and --size must be "
            "omitted or equal the sum of the quotas. The same frame and --seed give the same "
            "sample. Prints the drawn rows as CSV (the frame's columns, header first, rows in "
            "frame order)."
        ),
    )
    sample.add_argument("--frame", required=True, metavar="FILE", help="the frame: .xlsx or .csv")
    sample.add_argument("--size", type=int, metavar="N", help="sample size (proportional)")
    sample.add_argument("--seed", required=True, metavar="S", help="seed; record it to redraw")
    sample.add_argument("--by", required=True, metavar="COLUMN", help="the stratum column")
    sample.add_argument(
        "--quota",
        action="extend",
        nargs="+",
        default=[],
        metavar="VALUE=COUNT",
        help="fixed count for one stratum (repeatable); the sample is exactly the quotas",
    )
    sample.set_defaults(handler=_sample)

    sub.add_parser("manage", help="run a Django management command")
    return parser


def resolve_scheme(name: str) -> Scheme:
    if name in presets.names():
        return presets.load(name)
    path = Path(name)
    if path.is_file():
        return load_scheme_file(path)
    known = ", ".join(presets.names())
    raise BadInput(f"scheme {name!r} is neither a preset ({known}) nor a file")


def read_input(name: str) -> dict[str, Any]:
    source = "<stdin>" if name == "-" else name
    try:
        text = sys.stdin.read() if name == "-" else Path(name).read_text(encoding="utf-8")
    except OSError as exc:
        raise BadInput(f"{source}: cannot read: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise BadInput(f"{source}: not UTF-8 text") from None
    try:
        data = json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        raise BadInput(f"{source}:{exc.lineno}:{exc.colno}: invalid JSON: {exc.msg}") from None
    if not isinstance(data, dict):
        raise BadInput(f"{source}: the input must be a JSON object with a 'values' object")
    unknown = sorted(set(data) - INPUT_KEYS)
    if unknown:
        raise BadInput(f"{source}: unknown key {unknown[0]!r} (expected values, vetoes, evidence)")
    if not isinstance(data.get("values"), dict):
        raise BadInput(f"{source}: 'values' must be an object of node id: number or [numbers]")
    vetoes = data.get("vetoes", [])
    if not isinstance(vetoes, list) or not all(isinstance(v, str) for v in vetoes):
        raise BadInput(f"{source}: 'vetoes' must be a list of category names")
    evidence = data.get("evidence", {})
    if not isinstance(evidence, dict) or not all(isinstance(v, list) for v in evidence.values()):
        raise BadInput(f"{source}: 'evidence' must map node ids to lists of references")
    return data


def _score(args: argparse.Namespace) -> int:
    scheme = resolve_scheme(args.scheme)
    data = read_input(args.input)
    result = evaluate(scheme, data["values"], data.get("vetoes", []), data.get("evidence"))
    print(to_json(result.to_dict()))
    return 0


def _schemes(args: argparse.Namespace) -> int:
    for name in presets.names():
        scheme = presets.load(name)
        print(f"{name}\tversion {scheme.version}\t{scheme.source}\t{scheme.name}")
    return 0


def _check(args: argparse.Namespace) -> int:
    print(render_tree(resolve_scheme(args.file)))
    return 0


def _allocate(args: argparse.Namespace) -> int:
    from .rewards.csvfile import CsvInputError, allocate_rows, parse_pool, parse_rows, render

    source = "<stdin>" if args.file == "-" else args.file
    try:
        pool = parse_pool(args.pool)
        try:
            text = sys.stdin.read() if args.file == "-" else Path(args.file).read_text("utf-8")
        except OSError as exc:
            raise BadInput(f"{source}: cannot read: {exc.strerror}") from None
        except UnicodeDecodeError:
            raise BadInput(f"{source}: not UTF-8 text") from None
        result = allocate_rows(pool, parse_rows(text, source), source)
    except CsvInputError as exc:
        raise BadInput(str(exc)) from None
    sys.stdout.write(render(result))
    return 0


def _sample(args: argparse.Namespace) -> int:
    # Pure modules only: sampling must not start Django.
    from .appraisal.frames import FrameError
    from .appraisal.sample_command import sample_frame_csv
    from .appraisal.sampling import SamplingError

    try:
        text = sample_frame_csv(
            frame=args.frame, size=args.size, seed=args.seed, by=args.by, quotas=args.quota
        )
    except (SamplingError, FrameError) as exc:
        raise BadInput(str(exc)) from None
    sys.stdout.write(text)
    return 0


def _demo(args: argparse.Namespace) -> int:
    from .project.demo import run_demo

    run_demo(port=args.port, demo_password=args.demo_password)
    return 0


if __name__ == "__main__":
    sys.exit(main())
