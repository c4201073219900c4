"""Register techniques by name and rebuild them exactly from a stored run.

A technique is a class decorated with :func:`technique`. Its ``__init__`` keyword
arguments are its arguments; the registry records the ones it was built with, so
``create_technique(name, **args)`` rebuilds the same technique from a run's config.
"""

from __future__ import annotations

import ast
import difflib
import importlib
import importlib.metadata
import inspect
import pkgutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from optbench.core.candidate import Candidate
from optbench.core.problem import Problem

if TYPE_CHECKING:
    from optbench.techniques.context import Context

FAMILIES = (
    "baseline",
    "prompt engineering",
    "retrieval",
    "model-based: feedback",
    "search-based",
    "sampling",
    "rule-based",
    "agentic",
)


class Technique:
    """Base class: subclasses implement :meth:`optimize`."""

    name: ClassVar[str] = ""
    family: ClassVar[str] = ""
    summary: ClassVar[str] = ""
    citation: ClassVar[str] = ""
    paper: ClassVar[str] = ""
    """The published method this technique implements (authors, title, venue, year)."""
    differences: ClassVar[tuple[str, ...]] = ()
    """Every deliberate difference from that method, one sentence each."""
    uses_model: ClassVar[bool] = True
    uses_exemplars: ClassVar[bool] = False
    """Shows examples from ``ctx.exemplars`` (the run's retrieval pool): a run refuses to
    start such a technique without a pool unless told ``--retrieve-from none``. A technique
    whose arguments decide it (``feedback(retrieve=2)``) sets it on the instance."""
    args: dict[str, Any]

    def optimize(self, problem: Problem, ctx: Context) -> Iterator[Candidate]:
        raise NotImplementedError

    @property
    def label(self) -> str:
        """The name with its non-default arguments, e.g. ``few_shot(k=4)``."""
        defaults = default_args(type(self))
        changed = {k: v for k, v in self.args.items() if defaults.get(k, object()) != v}
        if not changed:
            return self.name
        inner = ",".join(f"{k}={v!r}" for k, v in sorted(changed.items()))
        return f"{self.name}({inner})"


@dataclass(frozen=True)
class TechniqueInfo:
    name: str
    family: str
    summary: str
    citation: str
    uses_model: bool
    defaults: dict[str, Any] = field(default_factory=dict)
    paper: str = ""
    differences: tuple[str, ...] = ()


T = TypeVar("T", bound=type[Technique])
_REGISTRY: dict[str, type[Technique]] = {}
_LOADED = False


def technique(
    name: str,
    *,
    family: str,
    summary: str,
    citation: str = "",
    uses_model: bool = True,
    paper: str = "",
    differences: tuple[str, ...] = (),
) -> Callable[[T], T]:
    """Class decorator: register a technique under ``name``.

    ``paper`` names the published method the technique implements and ``differences`` lists
    every deliberate departure from it, so a comparison against the paper's numbers knows
    what it compares; both are shown by ``optbench techniques list`` and ``show``."""
    if family not in FAMILIES:
        raise ValueError(f"unknown family {family!r}; one of {FAMILIES}")

    def register(cls: T) -> T:
        if name in _REGISTRY and _REGISTRY[name] is not cls:
            raise ValueError(f"technique {name!r} registered twice")
        cls.name, cls.family, cls.summary, cls.citation = name, family, summary, citation
        cls.uses_model = uses_model
        cls.paper, cls.differences = paper, tuple(differences)
        original_init = cls.__init__

        def __init__(self: Technique, **kwargs: Any) -> None:
            unknown = set(kwargs) - set(default_args(cls))
            if unknown:
                raise TypeError(
                    f"technique {name!r} has no argument(s) {sorted(unknown)}; "
                    f"arguments: {sorted(default_args(cls))}"
                )
            original_init(self, **kwargs)
            self.args = {**default_args(cls), **kwargs}

        cls.__init__ = __init__  # type: ignore[method-assign,assignment]
        cls.__init__.__wrapped__ = original_init  # type: ignore[attr-defined]
        _REGISTRY[name] = cls
        return cls

    return register


def default_args(cls: type[Technique]) -> dict[str, Any]:
    init = getattr(cls.__init__, "__wrapped__", cls.__init__)
    if init is object.__init__:
        return {}
    params = inspect.signature(init).parameters
    return {
        p.name: p.default
        for p in params.values()
        if p.name != "self" and p.default is not inspect.Parameter.empty
    }


CATALOGUE_GROUP = "optbench.techniques"
"""Entry-point group naming the packages whose modules register techniques (the built-in
catalogue, ``optimizers``, and any a user installs). The library never imports a catalogue
by name: catalogues depend on it, not the other way round."""


def load_catalogue() -> None:
    """Import every module of every technique catalogue so their techniques register."""
    global _LOADED
    if _LOADED:
        return
    names = {entry.value for entry in importlib.metadata.entry_points(group=CATALOGUE_GROUP)}
    for name in sorted(names or {"optimizers"}):
        package = importlib.import_module(name)
        for module in pkgutil.iter_modules(package.__path__):
            if not module.name.startswith("_"):
                importlib.import_module(f"{name}.{module.name}")
    _LOADED = True


def list_techniques() -> list[TechniqueInfo]:
    load_catalogue()
    return [
        TechniqueInfo(
            cls.name,
            cls.family,
            cls.summary,
            cls.citation,
            cls.uses_model,
            default_args(cls),
            cls.paper,
            cls.differences,
        )
        for cls in sorted(_REGISTRY.values(), key=lambda c: (FAMILIES.index(c.family), c.name))
    ]


def technique_info(name: str) -> TechniqueInfo:
    """The catalogue entry of ``name``; ``KeyError`` with close matches when unknown."""
    for info in list_techniques():
        if info.name == name:
            return info
    close = difflib.get_close_matches(name, _REGISTRY, n=3)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    raise KeyError(f"unknown technique {name!r}{hint} (known: {', '.join(sorted(_REGISTRY))})")


def technique_doc(name: str) -> str:
    """The description of technique ``name``: its module's docstring (the method, its
    arguments), else the class's."""
    load_catalogue()
    cls = _REGISTRY[name]
    module = importlib.import_module(cls.__module__)
    return inspect.cleandoc(module.__doc__ or cls.__doc__ or "")


def create_technique(name: str, **args: Any) -> Technique:
    load_catalogue()
    cls = _REGISTRY.get(name)
    if cls is None:
        close = difflib.get_close_matches(name, _REGISTRY, n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise KeyError(f"unknown technique {name!r}{hint} (known: {', '.join(sorted(_REGISTRY))})")
    return cls(**args)


def parse_technique_spec(spec: str) -> tuple[str, dict[str, Any]]:
    """``few_shot`` or ``few_shot(k=4, temperature=0.2)`` → name and literal arguments."""
    spec = spec.strip()
    if "(" not in spec:
        return spec, {}
    if not spec.endswith(")"):
        raise ValueError(f"malformed technique spec {spec!r}")
    name, inner = spec[:-1].split("(", 1)
    try:
        call = ast.parse(f"f({inner})", mode="eval").body
    except SyntaxError as exc:
        raise ValueError(f"malformed technique arguments in {spec!r}: {exc.msg}") from exc
    assert isinstance(call, ast.Call)
    if call.args:
        raise ValueError(f"technique arguments must be named: {spec!r}")
    args: dict[str, Any] = {}
    for keyword in call.keywords:
        if keyword.arg is None:
            raise ValueError(f"technique arguments must be named: {spec!r}")
        try:
            args[keyword.arg] = ast.literal_eval(keyword.value)
        except ValueError as exc:
            raise ValueError(f"argument {keyword.arg!r} in {spec!r} is not a literal") from exc
    return name.strip(), args


def split_technique_list(text: str) -> list[str]:
    """Split ``a,b(k=1,x=2),c`` on top-level commas: not inside brackets of any kind or a
    quoted string, so ``fake:["a","b"],hf:x`` is two model specs."""
    parts, depth, current, quote = [], 0, "", ""
    for char in text:
        if quote:
            quote = "" if char == quote else quote
        elif char in "\"'":
            quote = char
        elif char == "," and depth == 0:
            parts.append(current)
            current = ""
            continue
        else:
            depth += char in "([{"
            depth -= char in ")]}"
        current += char
    parts.append(current)
    return [p.strip() for p in parts if p.strip()]
