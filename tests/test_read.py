"""Reading: every supported format, encodings, and each kind of bad input as one Notice."""

from __future__ import annotations

import os
from pathlib import Path

from recoupe.config import Config
from recoupe.read import read_inputs

FIX = Path(__file__).parent / "fixtures" / "read"


def _read(*paths):
    return read_inputs([str(p) for p in paths], Config())


def _only_notice(notices, name: str):
    mine = [n for n in notices if name in n.file]
    assert len(mine) == 1, [n.line() for n in notices]
    line = mine[0].line()
    assert "\n" not in line and "Traceback" not in line
    return mine[0]


def test_markdown_front_matter():
    docs, notices = _read(FIX / "article.md")
    assert not notices
    (d,) = docs
    assert d.id == "article" and d.format == "md"
    assert d.title == "Grève à la SNCF : le trafic fortement perturbé jeudi"
    assert d.outlet == "Le Matin de Lyon" and d.date == "2024-02-08" and d.lang == "fr"
    assert d.url == "https://www.matin-lyon.example/greve-sncf"
    assert d.text.startswith("---\n") and d.text[d.body_start :].lstrip().startswith("Le trafic ferroviaire")


def test_text_date_prefix():
    (d,), notices = _read(FIX / "prefixe-date.txt")
    assert not notices and d.id == "prefixe-date" and d.date == "2024-01-15"
    assert d.text.startswith(" date 2024-01-15 Le conseil municipal")


def test_utf8_bom_crlf(tmp_path):
    raw = "Titre du jour\r\n\r\nL’été s’annonce « chaud », dit-on à Besançon.\r\n".encode("utf-8-sig")
    (tmp_path / "bom.txt").write_bytes(raw)
    (d,), notices = _read(tmp_path / "bom.txt")
    assert not notices
    assert d.text == "Titre du jour\r\n\r\nL’été s’annonce « chaud », dit-on à Besançon.\r\n"  # BOM gone, CRLF kept


def test_cp1252_detected_not_garbled(tmp_path):
    text = "Le cœur de l’été\r\n\r\nÀ Nîmes, « l’œuvre » a été dévoilée — enfin. Les élèves ont été très émus par ce chef-d’œuvre.\r\n"
    (tmp_path / "ancien.txt").write_bytes(text.encode("cp1252"))
    (d,), notices = _read(tmp_path / "ancien.txt")
    assert not notices
    assert d.text == text
    for ch in ("é", "’", "œ", "«", "—"):
        assert ch in d.text
    assert d.encoding == "cp1252"


def test_latin1_detected(tmp_path):
    text = "Le préfet a ordonné l'évacuation du quartier de la gare à Orléans, où une fuite de gaz a été signalée."
    (tmp_path / "latin.txt").write_bytes(text.encode("latin-1"))
    (d,), _ = _read(tmp_path / "latin.txt")
    assert d.text == text


def test_json_articles_wrapper_and_record_without_text():
    docs, notices = _read(FIX / "depeches.json")
    assert [d.id for d in docs] == ["afp-crue-1", "afp-crue-2"]
    assert docs[0].title.startswith("Crue de la Seine") and docs[0].outlet == "AFP" and docs[0].format == "json"
    assert docs[1].date == "2024-01-09"  # "9 janvier 2024" parsed
    n = _only_notice(notices, "depeches.json")
    assert "record 2" in n.message and "no text" in n.message


def test_json_single_object_and_list(tmp_path):
    body = "Le Conseil constitutionnel a validé vendredi l'essentiel de la loi, à l'exception de six articles jugés contraires à la Constitution."
    (tmp_path / "un.json").write_text('{"title": "Loi validée", "text": "%s", "source": "Le Soir"}' % body, encoding="utf-8")
    (tmp_path / "liste.json").write_text('[{"id": "a1", "text": "%s"}, {"id": "a2", "body": "%s"}]' % (body, body), encoding="utf-8")
    docs, notices = _read(tmp_path / "un.json", tmp_path / "liste.json")
    assert not notices
    assert [d.id for d in docs] == ["un", "a1", "a2"]
    assert docs[0].outlet == "Le Soir"


def test_json_record_without_text_is_one_notice(tmp_path):
    (tmp_path / "vide.json").write_text('{"title": "Rien", "source": "X"}', encoding="utf-8")
    docs, notices = _read(tmp_path / "vide.json")
    assert not docs
    assert "no text" in _only_notice(notices, "vide.json").message


def test_jsonl_malformed_lines_skipped_good_kept():
    docs, notices = _read(FIX / "depeches.jsonl")
    assert [d.id for d in docs] == ["ouest-1", "ouest-4"]
    assert docs[1].text.startswith("La SNCF a suspendu")  # "body" field
    mine = [n.message for n in notices]
    assert any("line 2" in m and "malformed JSON" in m for m in mine)
    assert any("line 3" in m and "no text" in m for m in mine)


def test_malformed_json_file(tmp_path):
    (tmp_path / "casse.json").write_text('{"title": "A", "text": "B",', encoding="utf-8")
    docs, notices = _read(tmp_path / "casse.json")
    assert not docs and "malformed JSON" in _only_notice(notices, "casse.json").message


def test_html_main_text_and_metadata():
    (d,), notices = _read(FIX / "page-article.html")
    assert not notices
    assert d.format == "html" and d.id == "page-article"
    assert d.title == "Le lac d'Annecy interdit à la baignade après une pollution"
    assert d.outlet == "Le Dauphiné Alpin" and d.date == "2023-07-18"
    assert d.url == "https://www.dauphine-alpin.example/haute-savoie/lac-annecy-baignade"
    assert "La baignade est interdite depuis lundi soir" in d.text
    assert "Haute-Savoie</a>" not in d.text and "Tous droits réservés" not in d.text  # nav, footer out
    # caption and byline are kept in the text so cleaning removes them visibly
    assert "MARC DURAND / AFP" in d.text and "Publié le 18 juillet" in d.text


def test_html_without_main_text():
    docs, notices = _read(FIX / "page-vide.html")
    assert not docs and "no main text" in _only_notice(notices, "page-vide.html").message


def test_feed_full_items_kept_teasers_skipped():
    docs, notices = _read(FIX / "flux.xml")
    (d,) = docs
    assert d.format == "feed" and d.outlet == "Nice Littoral" and d.date == "2023-08-16"
    assert d.id == "esterel-incendie" and d.title.startswith("Incendie dans le massif")
    assert "Près de 600 pompiers" in d.text
    n = _only_notice(notices, "flux.xml")
    assert n.level == "info" and "teaser" in n.message and "tramway" in n.message


def test_feed_without_items():
    docs, notices = _read(FIX / "flux-vide.xml")
    assert not docs and "no items" in _only_notice(notices, "flux-vide.xml").message


def test_empty_file(tmp_path):
    (tmp_path / "vide.txt").write_bytes(b"")
    (tmp_path / "blanc.txt").write_text("  \n\n \t\n", encoding="utf-8")
    docs, notices = _read(tmp_path / "vide.txt", tmp_path / "blanc.txt", FIX / "prefixe-date.txt")
    assert [d.id for d in docs] == ["prefixe-date"]  # other files still read
    assert "empty" in _only_notice(notices, "vide.txt").message
    assert "empty" in _only_notice(notices, "blanc.txt").message


def test_binary_files(tmp_path):
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4
    (tmp_path / "photo.txt").write_bytes(png)
    rand = bytes((i * 7919 + 13) % 251 for i in range(5000))
    rand = rand.replace(b"\x00", b"\x01")  # no NUL byte: detection must not rely on it alone
    (tmp_path / "bruit.txt").write_bytes(rand)
    docs, notices = _read(tmp_path / "photo.txt", tmp_path / "bruit.txt")
    assert not docs
    assert "binary" in _only_notice(notices, "photo.txt").message
    assert "binary" in _only_notice(notices, "bruit.txt").message


def test_huge_file_refused_by_size(tmp_path):
    big = tmp_path / "enorme.txt"
    with open(big, "wb") as f:  # sparse: 50 MB announced, nothing written
        f.truncate(50 * 1024 * 1024)
    assert os.path.getsize(big) == 50 * 1024 * 1024
    docs, notices = _read(big, FIX / "prefixe-date.txt")
    assert len(docs) == 1
    assert "too large" in _only_notice(notices, "enorme.txt").message


def test_folder_without_readable_article(tmp_path):
    (tmp_path / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    (tmp_path / "notes.yaml").write_text("a: 1\n", encoding="utf-8")
    docs, notices = _read(tmp_path)
    assert not docs
    n = _only_notice(notices, str(tmp_path))
    assert n.level == "error" and "folder" in n.message


def test_folder_whose_files_all_fail(tmp_path):
    (tmp_path / "a.txt").write_bytes(b"")
    docs, notices = _read(tmp_path)
    assert not docs
    assert any(n.file == str(tmp_path) and "no readable article" in n.message for n in notices)


def test_missing_path_and_others_still_read(tmp_path):
    docs, notices = _read(tmp_path / "absent.txt", FIX / "prefixe-date.txt")
    assert len(docs) == 1
    assert "no such file" in _only_notice(notices, "absent.txt").message


def test_folder_reads_every_format_and_ids_are_unique(tmp_path):
    docs, notices = _read(FIX)
    ids = [d.id for d in docs]
    assert len(ids) == len(set(ids))
    assert {"article", "prefixe-date", "afp-crue-1", "ouest-1", "page-article", "esterel-incendie"} <= set(ids)
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "article.txt").write_text("Un article homonyme, écrit à Tours, qui parle du marché couvert rénové.", encoding="utf-8")
    docs, _ = _read(FIX / "article.md", tmp_path / "x")
    assert [d.id for d in docs] == ["article", "article-2"]


def test_raw_strings_and_records():
    docs, notices = read_inputs(
        ["\ufeffLe Sénat a adopté mardi le projet de loi.\nUn second paragraphe suit.", {"id": "r1", "text": "Le texte du record."}, {"title": "sans texte"}]
    )
    assert [d.id for d in docs] == ["text-1", "r1"]
    assert not docs[0].text.startswith("\ufeff")
    assert len(notices) == 1 and "no text" in notices[0].message


def test_a_one_line_text_is_read_as_text_and_a_short_name_as_a_path(tmp_path):
    one_line = "Le groupe a publié une perte de 751 millions d'euros, selon son directeur financier."
    docs, notices = read_inputs([one_line, str(tmp_path / "absent.txt")])
    assert [d.text for d in docs] == [one_line] and docs[0].id == "text-1"
    assert [n.line() for n in notices] == [f"error: {tmp_path / 'absent.txt'}: no such file or folder"]
