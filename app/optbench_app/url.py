"""The view lives in the URL: every choice that defines what a page shows (runs, metric
variant, problem filters, Compare's A and B, the problem, candidate and tab) is a query
parameter, so a copied link reopens the same view.

Choices are kept in ``st.session_state`` under plain keys (moving between pages drops
widget state); a key is seeded from its parameter the first time a session needs it, and
written back after every run of the page (a default value leaves the URL). A parameter
that cannot be honoured is named in a warning, never replaced silently.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import urlencode

import streamlit as st

SHARED = ("runs", "speedup", "k", "pool", "opt", "dataset", "kind", "tag")
"""Parameters every page reads; links between pages carry them."""
ENTRY_SEPARATOR = "|"


def seed(key: str, param: str, parse: Callable[[str], Any], expected: str) -> None:
    """Give ``st.session_state[key]`` the value of URL ``param`` unless the session has
    one; ``parse`` returns None for a value it rejects, which is then named in a
    warning saying what ``expected``."""
    if key in st.session_state or param not in st.query_params:
        return
    raw = st.query_params[param]
    value = parse(raw)
    if value is None:
        st.warning(f"URL parameter `{param}={raw}` was ignored: expected {expected}.")
    else:
        st.session_state[key] = value


def seed_list(key: str, param: str, options: Sequence[Any], what: str) -> None:
    """Like :func:`seed` for a comma-separated list of ``options`` (as text); unknown
    items are named and left out, the known ones kept."""
    if key in st.session_state or param not in st.query_params:
        return
    by_text = {str(o): o for o in options}
    items = [p.strip() for p in st.query_params[param].split(",") if p.strip()]
    unknown = [p for p in items if p not in by_text]
    if unknown:
        st.warning(
            f"URL parameter `{param}`: no {what} {', '.join(unknown)} here; "
            + (
                f"showing {', '.join(p for p in items if p in by_text)}."
                if len(unknown) < len(items)
                else "ignored."
            ),
        )
    st.session_state[key] = [by_text[p] for p in items if p in by_text]


def write(param: str, value: str | None) -> None:
    """Set URL ``param``; None (the default view) removes it."""
    if value is None or value == "":
        if param in st.query_params:
            del st.query_params[param]
    elif st.query_params.get(param) != value:
        st.query_params[param] = value


def choice(options: dict[str, Any]) -> Callable[[str], Any]:
    """A parser accepting the keys of ``options``."""
    return lambda raw: raw if raw in options else None


def positive_int(raw: str) -> int | None:
    return int(raw) if raw.isdigit() and int(raw) >= 1 else None


def entry_param(entry: tuple[str, str]) -> str:
    """``technique|model`` (``technique`` alone when it uses no model)."""
    technique, model = entry
    return f"{technique}{ENTRY_SEPARATOR}{model}" if model else technique


def entry_from(raw: str) -> tuple[str, str]:
    technique, _, model = raw.partition(ENTRY_SEPARATOR)
    return technique, model


def link(page: str, **params: str) -> str:
    """A relative link to ``page`` with this view's shared parameters and ``params``."""
    shared = {p: st.query_params[p] for p in SHARED if p in st.query_params}
    return f"{page}?{urlencode({**shared, **params}, safe='/,|')}"
