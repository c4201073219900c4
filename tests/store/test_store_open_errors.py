"""A database we cannot or must not use raises StoreError and is left byte-for-byte intact."""

from __future__ import annotations

import hashlib
import os
import sqlite3
from pathlib import Path

import pytest

from optbench.store import StoreError, default_url, open_store
from optbench.store._models import VERSION_TABLE


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _assert_refused(path: Path, match: str) -> None:
    before = _sha(path)
    siblings = sorted(p.name for p in path.parent.iterdir())
    with pytest.raises(StoreError, match=match) as info:
        open_store(f"sqlite:///{path}")
    message = str(info.value)
    assert "\n" not in message
    assert str(path) in message
    assert _sha(path) == before
    assert sorted(p.name for p in path.parent.iterdir()) == siblings


def test_random_bytes(tmp_path: Path) -> None:
    path = tmp_path / "noise.db"
    path.write_bytes(os.urandom(8192))
    _assert_refused(path, "not an SQLite database")


def test_sqlite_header_then_garbage(tmp_path: Path) -> None:
    path = tmp_path / "broken.db"
    path.write_bytes(b"SQLite format 3\x00" + os.urandom(4096))
    _assert_refused(path, "not a usable SQLite database")


def test_foreign_sqlite_database(tmp_path: Path) -> None:
    path = tmp_path / "theirs.db"
    with sqlite3.connect(path) as con:
        con.execute("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)")
        con.execute("INSERT INTO users (name) VALUES ('ada')")
    con.close()
    _assert_refused(path, "not an optbench database .*users")
    with sqlite3.connect(path) as con:
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    con.close()
    assert tables == ["users"]


def test_foreign_alembic_database(tmp_path: Path) -> None:
    path = tmp_path / "other-alembic.db"
    with sqlite3.connect(path) as con:
        con.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)")
        con.execute("INSERT INTO alembic_version VALUES ('0001')")
    con.close()
    _assert_refused(path, "not an optbench database")


def test_database_from_newer_optbench(tmp_path: Path) -> None:
    path = tmp_path / "newer.db"
    open_store(f"sqlite:///{path}").close()
    con = sqlite3.connect(path)
    with con:
        con.execute(f"UPDATE {VERSION_TABLE} SET version_num = '9999_from_the_future'")
    con.close()
    _assert_refused(path, "newer optbench .*9999_from_the_future")


def test_missing_directory(tmp_path: Path) -> None:
    path = tmp_path / "no" / "such" / "dir" / "x.db"
    with pytest.raises(StoreError, match="does not exist"):
        open_store(f"sqlite:///{path}")
    assert not (tmp_path / "no").exists()


def test_directory_instead_of_file(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="not a regular file"):
        open_store(f"sqlite:///{tmp_path}")


def test_unreachable_server_hides_password() -> None:
    url = "postgresql+psycopg://user:s3cret@127.0.0.1:1/optbench"
    with pytest.raises(StoreError) as info:
        open_store(url)
    message = str(info.value)
    assert "127.0.0.1:1/optbench" in message and "s3cret" not in message
    assert "\n" not in message


def test_invalid_url() -> None:
    with pytest.raises(StoreError, match="invalid database URL"):
        open_store("this is not a url")


def test_empty_file_becomes_a_store(tmp_path: Path) -> None:
    path = tmp_path / "empty.db"
    path.touch()
    with open_store(f"sqlite:///{path}") as store:
        assert store.list_runs() == []


def test_default_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPTBENCH_DB", raising=False)
    assert default_url() == "sqlite:///optbench.db"
    monkeypatch.setenv("OPTBENCH_DB", "postgresql://db/optbench")
    assert default_url() == "postgresql://db/optbench"


def test_open_store_uses_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("OPTBENCH_DB", f"sqlite:///{tmp_path / 'env.db'}")
    with open_store() as store:
        assert store.url.endswith("env.db")
    assert (tmp_path / "env.db").exists()
