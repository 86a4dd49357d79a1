"""``ingest --ray``: the per-article stages on a real local Ray (2 workers), placement in order here:
the stories must be identical to the single-process ingest's. Few and small tests (Ray starts in
about ten seconds and each worker loads the models once)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from recoupe.cli import _ray_value, app
from recoupe.config import Config
from recoupe.store import Store
from recoupe.stories import ingest, list_stories

HERE = Path(__file__).parent
# 31 articles: three invented events, eight same-day articles, the two bundled examples
INPUTS = [str(HERE / "fixtures" / "stories"), str(HERE / "fixtures" / "stories-same-day"), str(HERE.parent / "examples")]


@pytest.fixture(scope="module")
def local_ray():
    ray = pytest.importorskip("ray", reason="Ray tests skipped: ray is not installed (pip install 'recoupe[ray]')")
    import logging

    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, logging_level=logging.ERROR)
    yield ray
    ray.shutdown()


def _config(db: Path) -> Config:
    c = Config()
    c.stories.db = str(db)
    c.stories.batch_size = 4  # several batches per worker: order and back-pressure matter
    return c


def _rows(db: Path) -> list[tuple]:
    con = sqlite3.connect(db)
    rows = con.execute(
        "SELECT id, story_id, seq, lemmas, lead_lemmas, entities, entity_names, embedding, sentences, mentions FROM articles ORDER BY seq"
    ).fetchall()
    con.close()
    return rows


def test_ray_ingest_gives_the_stories_of_the_single_process_ingest(local_ray, tmp_path):
    from recoupe.distributed import RayOptions, RayStages

    plain, distributed = _config(tmp_path / "plain.db"), _config(tmp_path / "ray.db")
    with Store(plain.stories.db) as store:
        ref = ingest(INPUTS, store, plain)
    seen: list[tuple[int, int]] = []
    stages = RayStages(RayOptions(workers=2, in_flight=1))
    with Store(distributed.stories.db) as store:
        report = ingest(INPUTS, store, distributed, progress=lambda d, t: seen.append((d, t)), stages=stages)
    assert (report.read, report.new, report.rejected) == (ref.read, ref.new, ref.rejected) == (31, 31, 0)
    assert len(stages._actors) == 0  # the workers were ended with the ingest
    assert [s.model_dump() for s in list_stories(distributed)] == [s.model_dump() for s in list_stories(plain)]
    assert _rows(tmp_path / "ray.db") == _rows(tmp_path / "plain.db")  # features and embeddings too, byte for byte
    assert seen[-1] == (31, 31) and len({d for d, _ in seen}) > 3  # the progress bar moves batch by batch
    assert any(k.endswith("(workers)") for k in report.timings)


def test_ray_value_is_optional_on_the_command_line():
    assert _ray_value(["ingest", "a", "--ray"]) == ["ingest", "a", "--ray", "local"]
    assert _ray_value(["ingest", "--ray", "a", "--db", "x"]) == ["ingest", "--ray", "local", "a", "--db", "x"]
    assert _ray_value(["ingest", "a", "--ray", "--batch-size", "2"]) == ["ingest", "a", "--ray", "local", "--batch-size", "2"]
    assert _ray_value(["ingest", "a", "--ray", "10.0.0.5:6379"]) == ["ingest", "a", "--ray", "10.0.0.5:6379"]
    assert _ray_value(["ingest", "a", "--ray", "auto"]) == ["ingest", "a", "--ray", "auto"]


@pytest.mark.parametrize("address, expected", [("127.0.0.1:1", "does not answer"), ("nohost", "is not host:port")])
def test_ray_address_that_does_not_answer_fails_in_one_line_before_the_store(tmp_path, address, expected):
    pytest.importorskip("ray", reason="Ray tests skipped: ray is not installed")
    db = tmp_path / "never.db"
    result = CliRunner().invoke(app, ["ingest", INPUTS[0], "--db", str(db), "--ray", address])
    assert result.exit_code == 1
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and expected in lines[0] and address in lines[0], result.stderr
    assert not db.exists()  # nothing written, not even an empty store
