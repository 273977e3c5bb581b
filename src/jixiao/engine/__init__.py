"""The scoring engine: pure Python, no Django, exact Decimal arithmetic.

from jixiao.engine import presets, evaluate
scheme = presets.load("bailian-town")
result = evaluate(scheme, {"indicators": 88, "public": 92, "inspection": [0.5]})
result.total, result.grade, result.award_eligible, result.reasons
result.to_dict()["breakdown"]   # every node: input, score, weight, contribution, caps
"""

from . import presets
from .errors import EngineError, InputError, Problem, SchemeError
from .evaluate import NodeResult, Result, evaluate
from .loader import load_scheme_file, load_scheme_text
from .model import ROOT_ID, Kind, Node, Scheme

__all__ = [
    "ROOT_ID",
    "EngineError",
    "InputError",
    "Kind",
    "Node",
    "NodeResult",
    "Problem",
    "Result",
    "Scheme",
    "SchemeError",
    "evaluate",
    "load_scheme_file",
    "load_scheme_text",
    "presets",
]
