"""A connection lost before a commit is tried again; one lost during the commit is not
(the rows may already be stored)."""

from __future__ import annotations

import pytest
from sqlalchemy import Column, Integer, create_engine, event, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, declarative_base

from optbench.store._retry import insert_retrying_before_commit

Base = declarative_base()


class Row(Base):  # type: ignore[misc, valid-type]
    __tablename__ = "rows"
    id = Column(Integer, primary_key=True)


def _lost() -> OperationalError:
    error = OperationalError("INSERT", {}, Exception("server closed the connection"))
    error.connection_invalidated = True
    return error


def _add(session: Session) -> int:
    row = Row()
    session.add(row)
    session.flush()
    return int(row.id)


def test_a_connection_lost_before_the_commit_is_tried_again() -> None:
    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    failures = [_lost(), _lost()]

    def factory() -> Session:
        session = Session(engine)

        @event.listens_for(session, "before_flush")
        def lose(*_: object) -> None:
            if failures:
                raise failures.pop()

        return session

    assert insert_retrying_before_commit(factory, _add) == 1
    with Session(engine) as session:
        assert session.scalars(select(Row.id)).all() == [1]


def test_a_connection_lost_during_the_commit_is_raised() -> None:
    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)

    def factory() -> Session:
        session = Session(engine)

        @event.listens_for(session, "before_commit")
        def lose(*_: object) -> None:
            raise _lost()

        return session

    with pytest.raises(OperationalError):
        insert_retrying_before_commit(factory, _add)


def test_other_database_errors_are_not_retried() -> None:
    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    calls = []

    def broken(session: Session) -> int:
        calls.append(1)
        raise OperationalError("INSERT", {}, Exception("disk I/O error"))

    with pytest.raises(OperationalError):
        insert_retrying_before_commit(lambda: Session(engine), broken)
    assert len(calls) == 1
