"""Every JSON endpoint and its errors, over a hand-built corpus in tmp_path."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from narrascope.api import create_app
from narrascope.errors import SchemaError
from narrascope.settings import Settings
from tests.api.corpus_builder import NARRATIVES, OUTLETS


def assert_error(response: object, status: int, code: str) -> dict[str, str]:
    assert response.status_code == status, response.text  # type: ignore[attr-defined]
    body = response.json()  # type: ignore[attr-defined]
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}
    assert body["error"]["code"] == code and body["error"]["message"]
    assert "Traceback" not in response.text  # type: ignore[attr-defined]
    return body["error"]  # type: ignore[no-any-return]


def test_articles_page_and_filters(client: TestClient) -> None:
    body = client.get("/api/articles", params={"limit": 5}).json()
    assert body["total"] == 24 and len(body["items"]) == 5 and body["limit"] == 5
    second = client.get("/api/articles", params={"limit": 5, "offset": 5}).json()
    assert not {i["id"] for i in body["items"]} & {i["id"] for i in second["items"]}
    by_outlet = client.get("/api/articles", params={"outlet": OUTLETS[0], "limit": 100}).json()
    assert by_outlet["total"] == 8 and {i["source"] for i in by_outlet["items"]} == {OUTLETS[0]}
    by_narrative = client.get("/api/articles", params={"narrative": NARRATIVES[1]}).json()
    assert by_narrative["total"] == 8
    dated = client.get("/api/articles", params={"date_from": "2025-01-01", "date_to": "2025-01-03"}).json()
    assert dated["total"] and all("2025-01-01" <= i["published"] <= "2025-01-03" for i in dated["items"])
    role = client.get("/api/articles", params={"entity": "Q2", "role": "Antagonist"}).json()
    assert role["total"] == 12
    found = client.get("/api/articles", params={"q": "grain", "language": "en"}).json()
    assert found["total"] == 24


@pytest.mark.parametrize(
    "params",
    [
        {"limit": 0},
        {"limit": 501},
        {"limit": "many"},
        {"offset": -1},
        {"date_from": "yesterday"},
        {"q": "x" * 201},
    ],
)
def test_invalid_parameters_are_422_with_a_message(client: TestClient, params: dict[str, object]) -> None:
    error = assert_error(client.get("/api/articles", params=params), 422, "invalid")
    assert next(iter(params)) in error["message"]


def test_article_detail_and_404(client: TestClient) -> None:
    first = client.get("/api/articles", params={"limit": 1}).json()["items"][0]
    body = client.get(f"/api/articles/{first['id']}").json()
    assert body["article"]["id"] == first["id"]
    analysis = body["analysis"]
    assert analysis["narratives"][0]["evidence"] and analysis["mentions"][0]["role"]["main"]
    assert analysis["quotes"] and analysis["explanation"]["text"]
    assert_error(client.get("/api/articles/nope"), 404, "not_found")


def test_search(client: TestClient) -> None:
    hits = client.get("/api/search", params={"q": "grain exports"}).json()["hits"]
    assert hits and "⟦" in hits[0]["snippet"]
    assert client.get("/api/search", params={"q": '"; DROP TABLE articles; --'}).status_code == 200
    assert_error(client.get("/api/search"), 422, "invalid")


def test_aggregates(client: TestClient) -> None:
    assert client.get("/api/health").json() == {"status": "ok", "articles": 24}
    assert client.get("/api/counts").json()["outlets"] == {o: 8 for o in OUTLETS}
    assert client.get("/api/narratives").json()["counts"][NARRATIVES[0]] == 8
    sub = client.get("/api/narratives", params={"level": "subnarrative"}).json()
    assert sub["level"] == "subnarrative" and len(sub["counts"]) == 3
    weekly = client.get("/api/narratives/trends", params={"by": "week"}).json()["groups"]
    assert all(k.startswith("2025-W") or k.startswith("2024-W") for k in weekly)
    outlets = client.get("/api/narratives/trends", params={"by": "outlet"}).json()["groups"]
    assert set(outlets) == set(OUTLETS)
    assert client.get("/api/roles").json()["counts"]["main"] == {"Antagonist": 12, "Protagonist": 12}
    assert set(client.get("/api/roles", params={"by": "outlet"}).json()["counts"]) == set(OUTLETS)
    overview = client.get("/api/overview").json()
    assert {"counts", "narratives", "weekly", "by_outlet", "roles", "entities"} <= set(overview)
    assert_error(client.get("/api/narratives", params={"level": "coarse"}), 422, "invalid")
    assert_error(client.get("/api/roles", params={"by": "week"}), 422, "invalid")


def test_entities_and_quotes(client: TestClient) -> None:
    top = client.get("/api/entities").json()["items"]
    assert {e["entity_id"] for e in top} == {"Q1", "Q2"}
    entity = client.get("/api/entities/Maria Keller").json()
    assert entity["entity_id"] == "Q1" and entity["main_roles_per_outlet"] and entity["quotes"]
    assert entity["descriptors_per_outlet"]
    assert_error(client.get("/api/entities/Nobody"), 404, "not_found")
    quotes = client.get("/api/quotes", params={"entity": "Q2", "limit": 3}).json()["items"]
    assert len(quotes) == 3 and all(q["speaker_id"] == "Q2" for q in quotes)


def test_stories_and_compare(client: TestClient) -> None:
    items = client.get("/api/stories").json()["items"]
    assert {s["id"] for s in items} == {"s1", "s2"} and all(s["articles"] == 12 for s in items)
    story = client.get("/api/stories/s1").json()
    assert len(story["articles"]) == 12 and story["timeline"] and story["narratives_per_outlet"]
    assert_error(client.get("/api/stories/zzz"), 404, "not_found")
    assert client.get("/api/compare").status_code == 200


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet", "semeval-st1", "semeval-st2", "semeval-st3"])
def test_exports(client: TestClient, fmt: str) -> None:
    response = client.get("/api/export", params={"format": fmt, "outlet": OUTLETS[1], "limit": 500})
    assert response.status_code == 200 and response.content
    if fmt == "jsonl":
        rows = [json.loads(line) for line in response.text.splitlines()]
        assert len(rows) == 8 and {r["source"] for r in rows} == {OUTLETS[1]}
    if fmt == "parquet":
        assert response.content[:4] == b"PAR1"


def test_export_rejects_unknown_format(client: TestClient) -> None:
    assert_error(client.get("/api/export", params={"format": "xml"}), 422, "invalid")


def test_ingest_runs_a_background_job(client: TestClient) -> None:
    posted = {
        "articles": [{"title": "Fresh news", "text": "A new article about grain.", "source": "New Outlet"}]
    }
    response = client.post("/api/ingest", json=posted)
    assert response.status_code == 202
    job_id = response.json()["id"]
    client.app.state.jobs.wait()  # type: ignore[attr-defined]
    job = client.get(f"/api/jobs/{job_id}").json()
    assert job["status"] == "done", job
    assert job["summary"]["analysed"] == 1
    deadline = time.monotonic() + 10
    while client.get("/api/counts").json()["articles"] != 25 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert client.get("/api/articles", params={"outlet": "New Outlet"}).json()["total"] == 1
    assert_error(client.get("/api/jobs/unknown"), 404, "not_found")


@pytest.mark.parametrize(
    "body",
    [{}, {"articles": [{"title": "no text"}]}, {"urls": ["file:///etc/passwd"]}, {"articles": "x"}],
)
def test_ingest_rejects_bad_bodies(client: TestClient, body: dict[str, object]) -> None:
    assert_error(client.post("/api/ingest", json=body), 422, "invalid")


def test_ingest_rejects_malformed_json_and_forms(client: TestClient) -> None:
    headers = {"content-type": "application/json"}
    assert_error(client.post("/api/ingest", content=b"{not json", headers=headers), 422, "invalid")
    assert client.post("/api/ingest", data={"urls": "https://x.org"}).status_code == 422


def test_oversized_body_is_413(client: TestClient) -> None:
    big = {"articles": [{"text": "x" * 1_100_000}]}
    assert_error(client.post("/api/ingest", json=big), 413, "too_large")


def test_chunked_oversized_body_is_413(make_client: object) -> None:
    small = make_client(max_body=1000)  # type: ignore[operator]

    def chunks() -> object:
        for _ in range(10):
            yield b"x" * 500

    response = small.post("/api/ingest", content=chunks(), headers={"content-type": "application/json"})
    assert_error(response, 413, "too_large")


def test_unknown_route_and_method(client: TestClient) -> None:
    assert_error(client.get("/api/nothing"), 404, "not_found")
    assert_error(client.delete("/api/articles"), 405, "method_not_allowed")


def test_openapi_published(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    assert {"/api/articles", "/api/articles/{article_id}", "/api/ingest", "/api/export"} <= set(
        schema["paths"]
    )
    assert not any(p.startswith("/articles") for p in schema["paths"])  # HTML pages stay out


def test_missing_database_is_a_clear_startup_error(tmp_path: Path) -> None:
    with pytest.raises(SchemaError, match="no narrascope database"):
        create_app(Settings(db=str(tmp_path / "absent.db")))


def test_newer_schema_is_a_clear_startup_error(db_path: str) -> None:
    import sqlite3

    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = 'ffff_from_the_future'")
    with pytest.raises(SchemaError, match="newer than this narrascope"):
        create_app(Settings(db=db_path))
