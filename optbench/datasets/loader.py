"""Turn dataset folders into typed :class:`Problem` objects.

Layout::

    datasets/<dataset>/dataset.toml          name, version, description, [splits]
    datasets/<dataset>/<problem-id>/
        problem.toml    id, title, kind, entry_point, tags, statement, [compare]
        slow.py         the original
        fast.py         the reference fast version (optional for imported problems)
        inputs.py       strategy(), workload(), EDGE_CASES
        checker.py      optional: the function [compare] checker names
        tests/          optional given tests: input.N.txt / output.N.txt

``[splits]`` lists the problems of the ``train`` split (``train = ["id", ...]``); every
other problem is ``eval``. A dataset without the table is all ``eval``.
"""

from __future__ import annotations

import ast
import hashlib
import inspect
import os
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from optbench.core.problem import (
    CHECKER_FILENAME,
    COMPARE_MODES,
    ComparePolicy,
    Problem,
    ProblemKind,
    ProgramTest,
)
from optbench.datasets.errors import DatasetNotFound, ProblemLoadError

REQUIRED_FIELDS = ("id", "title", "kind")
KNOWN_FIELDS = {"id", "title", "kind", "entry_point", "tags", "statement", "compare", "notes"}
ENV_PATH = "OPTBENCH_DATASETS"
SPLITS = ("train", "eval")
"""Split names a dataset may declare: ``train`` problems are what techniques retrieve
examples from and models are trained on; ``eval`` problems are what runs measure."""
SPLIT_CHOICES = (*SPLITS, "all")


@dataclass
class Dataset:
    name: str
    version: str
    description: str
    problems: list[Problem]
    skipped: list[ProblemLoadError] = field(default_factory=list)
    path: Path | None = None
    splits: dict[str, str] = field(default_factory=dict)
    """Problem id → ``train`` or ``eval``, from ``[splits]`` in ``dataset.toml``; empty
    when the dataset declares none (every problem is then ``eval``)."""

    @property
    def has_splits(self) -> bool:
        return bool(self.splits)

    def split_of(self, problem_id: str) -> str:
        return self.splits.get(problem_id, "eval")

    def split(self, name: str) -> list[Problem]:
        """The problems of split ``name`` (``train``, ``eval`` or ``all``)."""
        if name not in SPLIT_CHOICES:
            raise ValueError(f"unknown split {name!r}; one of {', '.join(SPLIT_CHOICES)}")
        if name == "all":
            return list(self.problems)
        return [p for p in self.problems if self.split_of(p.id) == name]

    def split_counts(self) -> dict[str, int]:
        counts = Counter(self.split_of(p.id) for p in self.problems)
        return {name: counts[name] for name in SPLITS if counts[name]}

    @property
    def content_hash(self) -> str:
        digest = hashlib.sha256()
        for problem in sorted(self.problems, key=lambda p: p.id):
            digest.update(f"{problem.id}:{problem.content_hash}\n".encode())
        return digest.hexdigest()

    def get(self, problem_id: str) -> Problem:
        for problem in self.problems:
            if problem.id == problem_id:
                return problem
        raise KeyError(f"dataset {self.name!r} has no problem {problem_id!r}")

    def counts(self) -> dict[str, Any]:
        kinds = Counter(p.kind.value for p in self.problems)
        tags = Counter(t for p in self.problems for t in p.tags)
        return {"kinds": dict(kinds), "tags": dict(sorted(tags.items()))}


def dataset_search_path() -> list[Path]:
    """Where named datasets are looked up: $OPTBENCH_DATASETS, ./datasets, the bundled ones."""
    paths: list[Path] = []
    env = os.environ.get(ENV_PATH)
    if env:
        paths.extend(Path(p) for p in env.split(os.pathsep) if p)
    paths.append(Path.cwd() / "datasets")
    paths.append(Path(__file__).resolve().parents[2] / "datasets")
    unique: list[Path] = []
    for path in paths:
        if path not in unique:
            unique.append(path)
    return unique


def find_dataset_dir(name_or_path: str) -> Path:
    candidate = Path(name_or_path)
    if candidate.is_dir() and (candidate / "dataset.toml").exists():
        return candidate
    for root in dataset_search_path():
        path = root / name_or_path
        if (path / "dataset.toml").exists():
            return path
    known = sorted({p.name for root in dataset_search_path() for p in _dataset_dirs(root)})
    raise DatasetNotFound(f"no dataset named {name_or_path!r}; known: {', '.join(known) or 'none'}")


def list_datasets() -> list[Path]:
    seen: dict[str, Path] = {}
    for root in dataset_search_path():
        for path in _dataset_dirs(root):
            seen.setdefault(path.name, path)
    return [seen[name] for name in sorted(seen)]


def _dataset_dirs(root: Path) -> list[Path]:
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir() if (p / "dataset.toml").exists())


def load_dataset(name_or_path: str | Path) -> Dataset:
    """Load every problem of a dataset; malformed ones are skipped and listed in ``skipped``."""
    path = find_dataset_dir(str(name_or_path))
    meta = _read_toml(path / "dataset.toml")
    name = str(meta.get("name", path.name))
    problems: list[Problem] = []
    skipped: list[ProblemLoadError] = []
    splits = read_splits(path, meta)
    for problem_dir in _problem_dirs(path):
        try:
            problems.append(load_problem(problem_dir, dataset=name))
        except ProblemLoadError as exc:
            skipped.append(exc)
    return Dataset(
        name=name,
        version=str(meta.get("version", "0")),
        description=str(meta.get("description", "")),
        problems=problems,
        skipped=skipped,
        path=path,
        splits=splits,
    )


def _problem_dirs(path: Path) -> list[Path]:
    return sorted(p for p in path.iterdir() if p.is_dir() and not p.name.startswith((".", "_")))


def read_splits(path: Path, meta: dict[str, Any] | None = None) -> dict[str, str]:
    """Problem id → split for the dataset folder ``path``, from the ``[splits]`` table of
    its ``dataset.toml`` (``train = [ids]``, optionally ``eval = [ids]``; problems listed
    nowhere are ``eval``); empty when there is no such table."""
    toml_path = path / "dataset.toml"
    if meta is None:
        meta = _read_toml(toml_path)
    raw = meta.get("splits")
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise ProblemLoadError(toml_path, "must be a table: train = [problem ids]", "splits")
    folders = {p.name for p in _problem_dirs(path)}
    declared: dict[str, str] = {}
    for split, ids in raw.items():
        where = f"splits.{split}"
        if split not in SPLITS:
            raise ProblemLoadError(
                toml_path, f"unknown split {split!r}; known: {', '.join(SPLITS)}", where
            )
        if not (isinstance(ids, list) and all(isinstance(i, str) for i in ids)):
            raise ProblemLoadError(toml_path, "must be a list of problem ids", where)
        unknown = sorted(set(ids) - folders)
        if unknown:
            raise ProblemLoadError(toml_path, f"no such problem(s): {', '.join(unknown)}", where)
        for pid in ids:
            if declared.setdefault(pid, split) != split:
                raise ProblemLoadError(
                    toml_path, f"problem {pid!r} is in two splits: {declared[pid]}, {split}", where
                )
    return {pid: declared.get(pid, "eval") for pid in sorted(folders)}


def parse_dataset_spec(spec: str) -> tuple[str, str]:
    """``DATASET[:SPLIT]`` → (dataset name or folder, split); the split defaults to ``all``."""
    text = spec.strip()
    name, sep, split = text.rpartition(":")
    if not sep or Path(text).is_dir():
        name, split = text, "all"
    if not name:
        raise ValueError(f"expected DATASET[:SPLIT], got {spec!r}")
    if split not in SPLIT_CHOICES:
        raise ValueError(
            f"unknown split {split!r} in {spec!r}; expected DATASET[:SPLIT] with SPLIT one of "
            f"{', '.join(SPLIT_CHOICES)}"
        )
    return name, split


def load_split(spec: str) -> tuple[Dataset, list[Problem]]:
    """The dataset named by ``DATASET[:SPLIT]`` and the problems of that split.

    A dataset that declares no splits has only an ``eval`` split (all of its problems);
    asking it for ``train`` is an error rather than an empty list."""
    name, split = parse_dataset_spec(spec)
    dataset = load_dataset(name)
    if split == "train" and not dataset.split("train"):
        raise ValueError(
            f"dataset {dataset.name!r} has no train split"
            + ("" if dataset.has_splits else " (it declares no [splits]: every problem is eval)")
        )
    return dataset, dataset.split(split)


def resolve_problem(spec: str) -> Problem:
    """``DATASET/PROBLEM`` or a problem folder path."""
    path = Path(spec)
    if path.is_dir() and (path / "problem.toml").exists():
        dataset = path.parent.name
        return load_problem(path, dataset=dataset)
    if "/" not in spec:
        raise ValueError(f"expected DATASET/PROBLEM or a problem folder, got {spec!r}")
    dataset_name, problem_id = spec.rsplit("/", 1)
    dataset_dir = find_dataset_dir(dataset_name)
    problem_dir = dataset_dir / problem_id
    if not problem_dir.is_dir():
        raise FileNotFoundError(f"dataset {dataset_name!r} has no problem {problem_id!r}")
    meta = _read_toml(dataset_dir / "dataset.toml")
    return load_problem(problem_dir, dataset=str(meta.get("name", dataset_dir.name)))


def load_problem(problem_dir: Path, dataset: str) -> Problem:
    meta_path = problem_dir / "problem.toml"
    if not meta_path.exists():
        raise ProblemLoadError(meta_path, "missing file")
    meta = _read_toml(meta_path)
    for key in REQUIRED_FIELDS:
        if key not in meta:
            raise ProblemLoadError(meta_path, "required field is missing", field=key)
    unknown = set(meta) - KNOWN_FIELDS
    if unknown:
        raise ProblemLoadError(
            meta_path, f"unknown field(s) {sorted(unknown)}; known: {sorted(KNOWN_FIELDS)}"
        )
    problem_id = _str_field(meta, "id", meta_path)
    if problem_id != problem_dir.name:
        raise ProblemLoadError(
            meta_path, f"id {problem_id!r} differs from the folder name {problem_dir.name!r}", "id"
        )
    kind_text = _str_field(meta, "kind", meta_path)
    try:
        kind = ProblemKind(kind_text)
    except ValueError:
        raise ProblemLoadError(
            meta_path, f"must be 'function' or 'program', got {kind_text!r}", "kind"
        ) from None
    entry_point = meta.get("entry_point")
    if kind is ProblemKind.FUNCTION and not entry_point:
        raise ProblemLoadError(meta_path, "a function problem needs an entry point", "entry_point")
    if entry_point is not None and not (
        isinstance(entry_point, str) and entry_point.isidentifier()
    ):
        raise ProblemLoadError(meta_path, f"not an identifier: {entry_point!r}", "entry_point")
    tags = meta.get("tags", [])
    if not (isinstance(tags, list) and all(isinstance(t, str) for t in tags)):
        raise ProblemLoadError(meta_path, "must be a list of strings", "tags")
    compare = _compare_policy(meta.get("compare", {}), meta_path, kind)

    slow_path = problem_dir / "slow.py"
    fast_path = problem_dir / "fast.py"
    inputs_path = problem_dir / "inputs.py"
    slow_source = _read_source(slow_path)
    fast_source = _read_source(fast_path) if fast_path.exists() else None
    tests = _read_tests(problem_dir / "tests")
    inputs_source = _read_source(inputs_path) if inputs_path.exists() else None
    checker_path = problem_dir / CHECKER_FILENAME
    checker_source = _read_source(checker_path) if checker_path.exists() else None
    if inputs_source is None and not tests:
        raise ProblemLoadError(inputs_path, "missing file (and no given tests in tests/)")

    if kind is ProblemKind.FUNCTION:
        assert isinstance(entry_point, str)
        slow_params = entry_point_params(slow_source, entry_point, slow_path)
        if fast_source is not None:
            fast_params = entry_point_params(fast_source, entry_point, fast_path)
            if fast_params != slow_params and not _only_adds_defaults(
                slow_params, fast_source, entry_point
            ):
                raise ProblemLoadError(
                    fast_path,
                    f"signature of {entry_point}{fast_params} differs from slow.py's "
                    f"{entry_point}{slow_params}",
                    "entry_point",
                )

    hashed = [
        p for p in sorted(problem_dir.rglob("*")) if p.is_file() and "__pycache__" not in p.parts
    ]
    digest = hashlib.sha256()
    for file in hashed:
        if file.suffix == ".pyc":
            continue
        digest.update(
            str(file.relative_to(problem_dir)).encode() + b"\0" + file.read_bytes() + b"\0"
        )
    notes: list[str] = [str(n) for n in meta.get("notes", [])]
    if inputs_source is None:
        notes.append("no strategy: checked on its given tests only")

    problem = Problem(
        id=problem_id,
        dataset=dataset,
        title=_str_field(meta, "title", meta_path),
        kind=kind,
        slow_source=slow_source,
        fast_source=fast_source,
        entry_point=entry_point,
        tags=tuple(tags),
        compare=compare,
        statement=meta.get("statement"),
        inputs_source=inputs_source,
        inputs_filename=str(inputs_path),
        checker_source=checker_source,
        checker_filename=str(checker_path),
        tests=tests,
        content_hash=digest.hexdigest(),
        path=str(problem_dir),
        notes=tuple(notes),
    )
    if inputs_source is not None:
        _check_inputs(problem, inputs_path)
    _check_checker(problem, checker_path, meta_path)
    return problem


def _check_checker(problem: Problem, checker_path: Path, meta_path: Path) -> None:
    """A checker named in problem.toml must exist and take (input, expected, actual)."""
    name = problem.compare.checker
    if name is None:
        return
    if problem.checker_source is None:
        raise ProblemLoadError(checker_path, f"missing file (problem.toml names checker {name!r})")
    try:
        function = problem.checker()
        assert function is not None  # the policy names one
    except ValueError as exc:
        raise ProblemLoadError(checker_path, str(exc).split(": ", 1)[-1], name) from None
    except Exception as exc:
        raise ProblemLoadError(
            checker_path, f"fails to execute: {type(exc).__name__}: {exc}"
        ) from exc
    try:
        inspect.signature(function).bind(None, None, None)
    except TypeError:
        raise ProblemLoadError(
            checker_path, "must take three arguments (input, expected, actual)", name
        ) from None
    except ValueError:
        pass  # a builtin without a signature: judged when called


def _check_inputs(problem: Problem, inputs_path: Path) -> None:
    try:
        spec = problem.inputs()
    except Exception as exc:
        raise ProblemLoadError(
            inputs_path, f"fails to execute: {type(exc).__name__}: {exc}"
        ) from exc
    if spec.strategy is not None:
        if not callable(spec.strategy):
            raise ProblemLoadError(inputs_path, "must be a function", "strategy")
        try:
            strategy = spec.strategy()
        except Exception as exc:
            raise ProblemLoadError(
                inputs_path, f"raised {type(exc).__name__}: {exc}", "strategy"
            ) from exc
        if not hasattr(strategy, "example"):
            raise ProblemLoadError(
                inputs_path,
                f"must return a Hypothesis strategy, got {type(strategy).__name__}",
                "strategy",
            )
    if not callable(spec.workload):
        raise ProblemLoadError(inputs_path, "must be a function", "workload")
    if problem.kind is ProblemKind.FUNCTION:
        for index, case in enumerate(spec.edge_cases):
            if not isinstance(case, tuple):
                raise ProblemLoadError(
                    inputs_path,
                    f"entry {index} must be a tuple of positional arguments, got {type(case).__name__}",
                    "EDGE_CASES",
                )
    else:
        for index, case in enumerate(spec.edge_cases):
            if not isinstance(case, str):
                raise ProblemLoadError(
                    inputs_path, f"entry {index} must be stdin text (str)", "EDGE_CASES"
                )


def entry_point_params(source: str, entry_point: str, path: Path) -> tuple[str, ...]:
    """Parameter names of a top-level function, or a ProblemLoadError naming the file."""
    try:
        tree = ast.parse(source, filename=str(path))
    except SyntaxError as exc:
        raise ProblemLoadError(path, f"syntax error at line {exc.lineno}: {exc.msg}") from exc
    node = entry_point_node(tree, entry_point)
    if node is None:
        raise ProblemLoadError(
            path, f"defines no top-level function {entry_point!r}", "entry_point"
        )
    args = node.args
    names = [a.arg for a in (*args.posonlyargs, *args.args)]
    if args.vararg:
        names.append("*" + args.vararg.arg)
    names.extend(a.arg for a in args.kwonlyargs)
    if args.kwarg:
        names.append("**" + args.kwarg.arg)
    return tuple(names)


def _only_adds_defaults(slow_params: tuple[str, ...], fast_source: str, entry_point: str) -> bool:
    """Whether the fast version's entry point takes the slow one's parameters, in order,
    followed only by parameters with defaults (or ``*args``/``**kwargs``): every call
    the slow version accepts, it accepts the same way."""
    node = entry_point_node(ast.parse(fast_source), entry_point)
    if node is None:
        return False
    args = node.args
    positional = [a.arg for a in (*args.posonlyargs, *args.args)]
    plain_slow = [p for p in slow_params if not p.startswith("*")]
    if any(p.startswith("*") for p in slow_params) or positional[: len(plain_slow)] != plain_slow:
        return False
    first_default = len(positional) - len(args.defaults)
    extra_positional_defaulted = all(
        index >= first_default for index in range(len(plain_slow), len(positional))
    )
    keyword_only_defaulted = all(default is not None for default in args.kw_defaults)
    return extra_positional_defaulted and keyword_only_defaulted


def entry_point_node(
    tree: ast.Module, entry_point: str | None
) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
    """The top-level function named ``entry_point`` in a parsed module, if any."""
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name == entry_point:
            return node
    return None


def _compare_policy(raw: Any, path: Path, kind: ProblemKind) -> ComparePolicy:
    if isinstance(raw, str):
        raw = {"mode": raw}
    if not isinstance(raw, dict):
        raise ProblemLoadError(path, "must be a table or a mode name", "compare")
    mode = raw.get("mode", "stdout_ws" if kind is ProblemKind.PROGRAM else "exact")
    if mode not in COMPARE_MODES:
        raise ProblemLoadError(
            path, f"mode must be one of {list(COMPARE_MODES)}, got {mode!r}", "compare"
        )
    mutation = raw.get("mutation", True)
    if not isinstance(mutation, bool):
        raise ProblemLoadError(path, f"must be true or false, got {mutation!r}", "compare.mutation")
    checker = raw.get("checker")
    if checker is not None and (not isinstance(checker, str) or not checker.isidentifier()):
        raise ProblemLoadError(
            path, f"must name a function in {CHECKER_FILENAME}, got {checker!r}", "compare.checker"
        )
    try:
        return ComparePolicy(
            mode=mode,
            rel_tol=float(raw.get("rel_tol", 1e-9)),
            abs_tol=float(raw.get("abs_tol", 1e-9)),
            mutation=mutation,
            checker=checker,
        )
    except (TypeError, ValueError) as exc:
        raise ProblemLoadError(path, f"bad tolerance: {exc}", "compare") from exc


def _read_toml(path: Path) -> dict[str, Any]:
    if not path.exists():
        raise ProblemLoadError(path, "missing file")
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ProblemLoadError(path, f"bad TOML: {exc}") from exc
    except UnicodeDecodeError as exc:
        raise ProblemLoadError(path, f"not UTF-8: {exc}") from exc


def _read_source(path: Path) -> str:
    if not path.exists():
        raise ProblemLoadError(path, "missing file")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ProblemLoadError(path, f"not UTF-8: {exc}") from exc
    try:
        compile(text, str(path), "exec")
    except SyntaxError as exc:
        raise ProblemLoadError(path, f"syntax error at line {exc.lineno}: {exc.msg}") from exc
    return text


def _read_tests(tests_dir: Path) -> tuple[ProgramTest, ...]:
    if not tests_dir.is_dir():
        return ()
    tests: list[ProgramTest] = []
    for input_path in sorted(tests_dir.glob("input.*.txt"), key=_test_index):
        output_path = tests_dir / input_path.name.replace("input.", "output.", 1)
        expected = output_path.read_text(encoding="utf-8") if output_path.exists() else None
        tests.append(
            ProgramTest(
                stdin=input_path.read_text(encoding="utf-8"),
                expected_stdout=expected,
                name=input_path.stem,
            )
        )
    return tuple(tests)


def _str_field(meta: dict[str, Any], key: str, path: Path) -> str:
    value = meta.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ProblemLoadError(path, f"must be a non-empty string, got {value!r}", key)
    return value


def _test_index(path: Path) -> tuple[int, str]:
    middle = path.name[len("input.") : -len(".txt")]
    return (int(middle), "") if middle.isdigit() else (10**9, middle)
