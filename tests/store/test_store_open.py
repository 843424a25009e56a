"""Opening databases (migrations, version checks, clear errors) and concurrent writers."""

from __future__ import annotations

import multiprocessing
import socket
import threading
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from narrascope.errors import SchemaError, StoreError
from narrascope.records import Article, ArticleAnalysis, Mention, NarrativeLabel
from narrascope.store import Store, open_store
from narrascope.store.migrate import current_revisions, head_revision


def test_new_database_is_migrated_to_head(store: Store) -> None:
    with store.engine.connect() as conn:
        assert current_revisions(conn) == (head_revision(),)


def test_reopening_keeps_data(db_url: str, full_pair: Any) -> None:
    with open_store(db_url) as first:
        first.save([full_pair])
    with open_store(db_url, create=False) as again:
        assert again.analysis(full_pair[0].id) == full_pair[1]


def test_schema_newer_than_code_is_refused(db_url: str) -> None:
    with open_store(db_url) as store, store.engine.begin() as conn:
        conn.execute(sa.text("UPDATE alembic_version SET version_num = '9999_future'"))
    with pytest.raises(SchemaError, match="newer than this narrascope"):
        open_store(db_url)


def test_missing_database_without_create(db_url: str) -> None:
    with pytest.raises(SchemaError, match="no narrascope database at"):
        open_store(db_url, create=False)


def test_missing_sqlite_file_is_not_created(tmp_path: Path) -> None:
    path = tmp_path / "absent.db"
    with pytest.raises(SchemaError, match=f"no narrascope database at {path}"):
        open_store(str(path), create=False)
    assert not path.exists()


def test_foreign_database_is_refused(db_url: str) -> None:
    engine = sa.create_engine(db_url if "://" in db_url else f"sqlite:///{db_url}")
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE something_else (x INTEGER)"))
    engine.dispose()
    with pytest.raises(SchemaError, match="not a narrascope database"):
        open_store(db_url)


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_unreachable_postgres_is_a_one_line_store_error() -> None:
    url = f"postgresql+psycopg://someone:secret@127.0.0.1:{_closed_port()}/nowhere"
    with pytest.raises(StoreError) as caught:
        open_store(url)
    message = str(caught.value)
    assert "\n" not in message
    assert "cannot open database" in message and "secret" not in message


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///:memory:"])
def test_in_memory_sqlite_is_one_database_for_all_threads(url: str, full_pair: Any) -> None:
    with open_store(url) as store:
        thread = threading.Thread(target=store.save, args=([full_pair],))
        thread.start()
        thread.join()
        assert store.analysis(full_pair[0].id) == full_pair[1]
        assert [h.id for h in store.search("minister")] == [full_pair[0].id]


def test_unknown_backend_is_a_store_error() -> None:
    with pytest.raises(StoreError, match="unsupported database"):
        open_store("mysql://localhost/db")


def _corpus(n: int = 30) -> list[tuple[Article, ArticleAnalysis]]:
    pairs = []
    for i in range(n):
        article = Article(title=f"Title {i}", text=f"Body number {i} with words", source=f"o{i % 3}")
        analysis = ArticleAnalysis(
            article_id=article.id,
            pipeline_version="v1",
            narratives=[NarrativeLabel(f"N{i % 4}", "narrative", 0.5)],
            mentions=[Mention(0, 5, "Title", "MISC", f"E{i}")],
            embedding=[float(i)] * 8,
        )
        pairs.append((article, analysis))
    return pairs


def _save_repeatedly(url: str, reverse: bool) -> None:
    pairs = _corpus()
    if reverse:
        pairs.reverse()
    with open_store(url) as store:
        for start in range(0, len(pairs), 7):
            store.save(pairs[start : start + 14])


def _assert_saved_once(url: str) -> None:
    with open_store(url, create=False) as store, store.engine.connect() as conn:
        for table, expected in (
            ("articles", 30),
            ("analyses", 30),
            ("narrative_labels", 30),
            ("mentions", 30),
        ):
            assert conn.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar_one() == expected, table
        assert len(store.search("words", limit=100)) == 30


def test_two_threads_save_the_same_articles(db_url: str) -> None:
    errors: list[BaseException] = []

    def work(reverse: bool) -> None:
        try:
            _save_repeatedly(db_url, reverse)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(flag,)) for flag in (False, True, False)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    _assert_saved_once(db_url)


def test_two_processes_save_the_same_articles(db_url: str) -> None:
    open_store(db_url).close()
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_save_repeatedly, args=(db_url, flag)) for flag in (False, True)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    assert [w.exitcode for w in workers] == [0, 0]
    _assert_saved_once(db_url)
