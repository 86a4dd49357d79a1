"""The command line end to end: exit codes, notices on stderr, the JSON contract."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from recoupe.cli import app
from recoupe.config import Config, load_config
from recoupe.model import Briefing

ROOT = Path(__file__).resolve().parents[1]
SOMMET = ROOT / "examples" / "sommet-vladivostok"
INCENDIE = ROOT / "examples" / "incendie-usine"

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def sommet_json() -> dict:
    result = run("brief", str(SOMMET), "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_json_contract_top_level_and_articles(sommet_json):
    for key in ("articles", "entities", "quotes", "measurements", "timeline", "provenance", "facts",
                "conflicts", "shared_quotes", "reuse", "summary"):
        assert key in sommet_json
    ids = {a["id"] for a in sommet_json["articles"]}
    assert ids == {"courrier-du-matin", "rfi", "radio-canada", "depeche-est", "journal-quotidien"}
    for a in sommet_json["articles"]:
        assert {"id", "outlet", "title", "date", "language", "words", "removed"} <= a.keys()
        assert a["language"] == "fr" and a["words"] > 300


def test_every_span_points_into_the_original_text(sommet_json):
    texts = {a["id"]: a["text"] for a in sommet_json["articles"]}
    spans = [m for e in sommet_json["entities"] for m in e["mentions"]]
    spans += [r["span"] for a in sommet_json["articles"] for r in a["removed"]]
    spans += [q["span"] for q in sommet_json["quotes"]] + [m["span"] for m in sommet_json["measurements"]]
    assert len(spans) > 50
    for s in spans:
        assert texts[s["article"]][s["start"]:s["end"]] == s["text"], s


def test_json_validates_against_the_model(sommet_json):
    Briefing.model_validate(sommet_json)


def test_schema_file_is_current():
    on_disk = json.loads((ROOT / "docs" / "briefing.schema.json").read_text(encoding="utf-8"))
    assert on_disk == Briefing.model_json_schema(), "run `make schema` to regenerate docs/briefing.schema.json"


def test_terminal_and_markdown_formats(tmp_path):
    result = run("brief", str(SOMMET / "rfi.txt"), str(SOMMET / "radio-canada.txt"))
    assert result.exit_code == 0
    assert "RFI" in result.stdout and "radio-canada" in result.stdout
    out = tmp_path / "b.md"
    result = run("brief", str(SOMMET / "rfi.txt"), str(SOMMET / "radio-canada.txt"), "--format", "md", "-o", str(out))
    assert result.exit_code == 0 and result.stdout == ""
    md = out.read_text(encoding="utf-8")
    assert md.startswith("# ") and "| rfi | RFI |" in md


def test_terminal_briefing_is_printed_once_and_o_writes_only_the_file(tmp_path):
    args = ["brief", str(SOMMET / "rfi.txt"), str(SOMMET / "radio-canada.txt")]
    result = run(*args)  # stdout is not a terminal here, as with `recoupe brief ... > f`
    assert result.exit_code == 0
    for section in ("Contradictions", "Résumé", "Articles"):
        assert result.stdout.count(f"─ {section} ─") == 1, section
    out = tmp_path / "b.txt"
    result = run(*args, "-o", str(out))
    assert result.exit_code == 0 and result.stdout == ""
    text = out.read_text(encoding="utf-8")
    assert text.count("─ Articles ─") == 1 and "\x1b[" not in text


def test_ingest_fails_on_a_named_input_it_could_not_read_after_storing_the_rest(tmp_path):
    db = tmp_path / "s.db"
    (tmp_path / "vide.txt").write_text("")
    missing = tmp_path / "absent.txt"
    result = run("ingest", str(SOMMET / "rfi.txt"), str(missing), str(tmp_path / "vide.txt"), "--db", str(db))
    assert result.exit_code == 1
    assert f"{missing}: no such file or folder" in result.stderr and "Traceback" not in result.stderr
    assert "new 1" in result.stderr  # the readable article was stored all the same
    result = run("stories", "--db", str(db), "--format", "json")
    assert [s["articles"] for s in json.loads(result.stdout)] == [["rfi"]]
    assert run("ingest", str(SOMMET / "rfi.txt"), "--db", str(db)).exit_code == 0  # all read: success


def test_ingest_progress_moves_per_article(tmp_path):
    from recoupe.config import Config
    from recoupe.store import Store
    from recoupe.stories import ingest

    config = Config()
    config.stories.db = str(tmp_path / "p.db")
    seen = []
    with Store(config.stories.db) as store:
        ingest([str(SOMMET)], store, config, progress=lambda done, total: seen.append((done, total)))
    assert config.stories.batch_size > 5  # one batch holds the five articles...
    assert [d for d, _ in seen] == [0, 1, 2, 3, 4, 5, 5]  # ...and the bar still moves article by article
    assert {t for _, t in seen} == {5}


def test_ingest_in_worker_processes_or_threads_gives_the_same_stories(tmp_path):
    """``--processes 2`` (the default on a 2-core Linux machine) and ``--processes 0`` (threads here)."""
    out = {}
    for n in ("2", "0"):
        db = tmp_path / f"p{n}.db"
        result = run("ingest", str(SOMMET), str(SOMMET.parent / "incendie-usine"), "--db", str(db), "--batch-size", "3", "--processes", n)
        assert result.exit_code == 0 and "new 11" in result.stderr and "Traceback" not in result.stderr
        out[n] = json.loads(run("stories", "--db", str(db), "--format", "json").stdout)
    assert out["2"] == out["0"] and sum(len(s["articles"]) for s in out["2"]) == 11


def test_folder_without_articles_fails_with_one_line(tmp_path):
    (tmp_path / "notes.bin").write_bytes(b"\x00\x01")
    result = run("brief", str(tmp_path))
    assert result.exit_code == 1
    assert f"{tmp_path}: folder holds no article file" in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_files_reported_and_the_others_still_briefed(tmp_path):
    shutil.copy(SOMMET / "rfi.txt", tmp_path / "rfi.txt")
    shutil.copy(SOMMET / "courrier-du-matin.txt", tmp_path / "courrier.txt")
    (tmp_path / "vide.txt").write_text("")
    (tmp_path / "image.txt").write_bytes(bytes(range(256)) * 8)
    (tmp_path / "casse.json").write_text('{"title": "x", "text": ')
    result = run("brief", str(tmp_path), "--format", "json")
    assert result.exit_code == 0
    briefing = json.loads(result.stdout)
    assert {a["id"] for a in briefing["articles"]} == {"rfi", "courrier"}
    err = result.stderr
    assert f"{tmp_path / 'vide.txt'}: empty file" in err
    assert f"{tmp_path / 'image.txt'}: binary file" in err
    assert f"{tmp_path / 'casse.json'}: malformed JSON" in err
    assert "Traceback" not in err


def test_same_article_twice_is_counted_once(tmp_path):
    shutil.copy(SOMMET / "rfi.txt", tmp_path / "rfi.txt")
    shutil.copy(SOMMET / "rfi.txt", tmp_path / "rfi-copie.txt")
    shutil.copy(SOMMET / "radio-canada.txt", tmp_path / "radio-canada.txt")
    result = run("brief", str(tmp_path), "--format", "json")
    assert result.exit_code == 0
    assert len(json.loads(result.stdout)["articles"]) == 2
    assert "same article as 'rfi" in result.stderr and "counted once" in result.stderr


def test_single_article_still_gives_a_briefing():
    result = run("brief", str(SOMMET / "rfi.txt"), "--format", "json")
    assert result.exit_code == 0
    briefing = json.loads(result.stdout)
    assert len(briefing["articles"]) == 1 and briefing["outlets"] == {"RFI": 1}
    assert "only one source" in result.stderr


def test_non_french_article_kept_out_of_the_analysis():
    result = run("brief", str(INCENDIE), "--format", "json")
    assert result.exit_code == 0
    articles = {a["id"]: a for a in json.loads(result.stdout)["articles"]}
    assert articles["apo-english"]["language"] == "en" and not articles["apo-english"]["analysed"]
    assert "'apo-english' is in language 'en'" in result.stderr
    assert all(a["analysed"] for k, a in articles.items() if k != "apo-english")


def test_missing_path_and_nothing_else_fails():
    result = run("brief", "/nonexistent/article.txt")
    assert result.exit_code == 1
    assert "/nonexistent/article.txt: no such file or folder" in result.stderr


def test_library_api_takes_texts():
    import recoupe

    a = (" date 2024-03-05 Un incendie s'est déclaré dans la nuit de lundi à mardi dans un entrepôt "
         "d'engrais de Saint-Aubin-sur-Loire. La préfète de Loire-Atlantique, Anne-Sophie Kerloc'h, "
         "a ordonné le confinement des habitants dans un rayon de 500 mètres.\n")
    b = ("Incendie à Saint-Aubin\n\nLes habitants de Saint-Aubin-sur-Loire ont été confinés mardi après "
         "l'incendie d'un entrepôt d'engrais, a annoncé la préfète Anne-Sophie Kerloc'h. Le périmètre "
         "s'étend sur un kilomètre autour du site.\n")
    briefing = recoupe.brief([a, b])
    assert [x.id for x in briefing.articles] == ["text-1", "text-2"]
    assert briefing.articles[0].date == "2024-03-05"
    assert any(e.name.startswith("Anne-Sophie Kerloc") for e in briefing.entities)


def test_summary_cites_only_the_outlets_on_its_side_of_a_contradiction(sommet_json):
    """The summary states the main contradiction; each side cites its own outlets, never the other side's."""
    checked = 0
    for s in sommet_json["summary"]:
        own = s["spans"][0]
        for c in sommet_json["conflicts"]:
            sides = [g for g in c["groups"] if any(
                sp["article"] == own["article"] and own["start"] <= sp["start"] and sp["end"] <= own["end"] for sp in g["spans"])]
            if len(sides) != 1:
                continue
            others = {o for g in c["groups"] if g is not sides[0] for o in g["outlets"]} - set(sides[0]["outlets"])
            assert not others & set(s["outlets"]), (s["text"], s["outlets"], c["topic"])
            checked += 1
    assert checked >= 2, "the summary states both sides of the talks' duration"


def test_python_dash_m_runs_the_same_command_line():
    """``python -m recoupe`` is what a user tries when the ``recoupe`` script is not on the PATH."""
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-m", "recoupe", "schema"], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["title"] == json.loads(run("schema").stdout)["title"]


def test_the_rules_conflicts_claim_no_probability(sommet_json):
    """The hand rules (the default) give no probability that two values answer one question: the JSON says
    null rather than a certainty they do not have (on real news they are right about one time in four)."""
    assert sommet_json["conflicts"]
    assert all(c["confidence"] is None for c in sommet_json["conflicts"])


def test_settings_printed_by_config_read_back_unchanged(tmp_path):
    printed = run("config")
    assert printed.exit_code == 0
    f = tmp_path / "recoupe.toml"
    f.write_text(printed.stdout.replace("words = 100\n", "words = 42\n", 1), encoding="utf-8")
    assert load_config(f).summary.words == 42
    f.write_text(printed.stdout, encoding="utf-8")
    assert load_config(f) == Config()


def test_a_settings_file_reaches_the_briefing(tmp_path, sommet_json):
    f = tmp_path / "short.toml"
    f.write_text("[summary]\nwords = 30\n", encoding="utf-8")
    result = runner.invoke(app, ["brief", str(SOMMET), "--format", "json"], env={"RECOUPE_CONFIG": str(f)}, catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    words = sum(len(s["text"].split()) for s in json.loads(result.stdout)["summary"])
    default = sum(len(s["text"].split()) for s in sommet_json["summary"])
    assert 0 < words <= 30 * 1.1 < default


@pytest.mark.parametrize("text, problem", [
    ("[compare]\nembeding_model = 'static'\n", "compare.embeding_model: Extra inputs are not permitted"),
    ("[summary]\nwords = 'many'\n", "summary.words: Input should be a valid integer"),
    ("[summary\nwords = 3\n", "not a TOML file"),
])
def test_a_bad_settings_file_is_one_line_naming_it(tmp_path, text, problem):
    f = tmp_path / "bad.toml"
    f.write_text(text, encoding="utf-8")
    result = run("brief", str(INCENDIE), "--config", str(f))
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and str(f) in lines[0] and problem in lines[0], result.stderr
    assert "Traceback" not in result.stderr
