"""Read articles from files, folders, records and raw strings into Documents.

Reading never raises on bad input: each problem becomes a Notice naming the file, and the other
inputs are still read.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable
from pathlib import Path

from .config import Config
from .model import Document, Notice


class ReadProblem(Exception):
    """A problem with one input, phrased for the user."""


_WESTERN = {"cp1250", "cp1252", "latin_1", "iso8859_15", "iso8859_1", "iso8859_2", "cp1254", "mac_roman", "cp850", "ascii"}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f\ufffd]")
_C1 = re.compile(r"[\x80-\x9f]")


def _fix_c1(text: str) -> str:
    """UTF-8 text carrying C1 controls (U+0092...) holds cp1252 punctuation converted as latin-1:
    put back the ’, œ, « » it meant, one character for one so offsets are unchanged."""
    if not _C1.search(text):
        return text

    def repl(m: re.Match) -> str:
        try:
            return bytes([ord(m.group())]).decode("cp1252")
        except UnicodeDecodeError:
            return m.group()

    return _C1.sub(repl, text)


def _looks_binary(text: str) -> bool:
    """Many control characters (or replacement marks) mean the bytes were not text."""
    sample = text[:20000]
    return bool(sample) and len(_CONTROL.findall(sample)) > max(2, len(sample) // 200)


def _french_latin(text: str) -> float:
    """Share of non-ASCII characters that belong to Western European text (é, ’, œ, «...)."""
    non_ascii = [c for c in text if ord(c) > 127]
    if not non_ascii:
        return 1.0
    ok = sum(1 for c in non_ascii if "\u00a0" <= c <= "\u00ff" or c in "’‘“”„–—…œŒ€•‹›™ŠšŽžŸ")
    return ok / len(non_ascii)


def decode(data: bytes) -> tuple[str, str]:
    """Decode bytes as UTF-8 (BOM or not), else detect the legacy encoding rather than garble.

    French files that are not UTF-8 are nearly always cp1252 (Windows) or latin-1;
    charset-normalizer settles doubtful cases. Binary data raises ReadProblem.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
        text = data.decode("utf-8", errors="replace")
        if _looks_binary(text):
            raise ReadProblem("binary file, not text")
        return _fix_c1(text), "utf-8-sig"
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise ReadProblem("binary file, not text") from None
    if b"\x00" in data[:8192]:
        raise ReadProblem("binary file, not text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        if _looks_binary(text):
            raise ReadProblem("binary file, not text")
        return _fix_c1(text), "utf-8"
    try:
        cp = data.decode("cp1252")
    except UnicodeDecodeError:
        cp = None
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    if best is None:
        if cp is not None and not _looks_binary(cp) and _french_latin(cp) > 0.9:
            return cp, "cp1252"
        raise ReadProblem("binary file, not text")
    encoding = best.encoding
    if cp is not None and (encoding in _WESTERN or _french_latin(cp) > 0.9):
        text, encoding = cp, "cp1252"
    else:
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            text = str(best)
    if _looks_binary(text):
        raise ReadProblem("binary file, not text")
    return text, encoding


_META_PREFIX = re.compile(r"\A[ \t]*date[ \t]+(\d{4}(?:-\d{2}(?:-\d{2})?)?)[ \t]+")
_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.S)


def normalise_date(value: object) -> str | None:
    """An ISO date text (day, month or year precision) from whatever metadata gave; None when
    the value is no date ("31 février" or junk are dropped rather than guessed)."""
    if value is None:
        return None
    text = str(value).strip()
    if not text:
        return None
    m = re.match(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?![\d/])", text)
    if m:
        year, month, day = m.groups()
        if month and not 1 <= int(month) <= 12:
            return year
        if day and not 1 <= int(day) <= 31:
            day = None
        return "-".join(p for p in (year, month and f"{int(month):02d}", day and f"{int(day):02d}") if p)
    import dateparser

    try:
        parsed = dateparser.parse(
            text, languages=["fr", "en"], settings={"PREFER_DAY_OF_MONTH": "first", "DATE_ORDER": "DMY"}
        )
    except Exception:  # dateparser raises on some odd inputs
        return None
    return parsed.date().isoformat() if parsed else None


def read_text_document(
    text: str, doc_id: str, path: str | None, fmt: str, encoding: str = "utf-8", notices: list[Notice] | None = None
) -> Document:
    """A .txt/.md article: YAML front matter, or a bare " date YYYY-MM[-DD] " prefix, gives metadata."""
    doc = Document(id=doc_id, text=text, path=path, format=fmt, encoding=encoding)
    m = _FRONT_MATTER.match(text)
    if m:
        import yaml

        try:
            meta = yaml.safe_load(m.group(1)) or {}
        except yaml.YAMLError as exc:
            meta = None
            if notices is not None:
                notices.append(Notice(file=path or doc_id, message=f"front matter is not valid YAML ({exc.__class__.__name__}); read as text"))
        if isinstance(meta, dict):
            doc.title = _str(meta.get("title"))
            doc.outlet = _name(meta.get("source") or meta.get("outlet") or meta.get("sitename"))
            doc.url = _str(meta.get("url"))
            doc.date = normalise_date(meta.get("date"))
            doc.lang = _str(meta.get("lang") or meta.get("language"))
            doc.body_start = m.end()
    else:
        p = _META_PREFIX.match(text)
        if p:
            doc.date = normalise_date(p.group(1))
    return doc


def _str(value: object) -> str | None:
    return None if value is None or isinstance(value, (dict, list)) else str(value).strip() or None


def _name(value: object) -> str | None:
    """An outlet name from a string or a {"name": ...} object (NewsAPI style)."""
    if isinstance(value, dict):
        value = value.get("name") or value.get("title")
    return _str(value)


def _record_document(rec: dict, fallback_id: str, path: str, fmt: str, title_only: bool = False) -> Document:
    text = rec.get("text") or rec.get("body") or rec.get("content")
    if isinstance(text, list) and all(isinstance(t, str) for t in text):
        text = "\n\n".join(text)  # a list of paragraphs
    if not isinstance(text, str) or not text.strip():
        # a news alert is often a title alone: where asked (the story stream), it stands for the text
        text = _str(rec.get("title")) if title_only else None
        if not text:
            raise ReadProblem("record has no text or body")
    doc_id = _str(rec.get("id")) or fallback_id
    return Document(
        id=doc_id,
        text=text.lstrip("\ufeff"),
        path=path,
        format=fmt,
        title=_str(rec.get("title")),
        outlet=_name(rec.get("source") or rec.get("outlet")),
        url=_str(rec.get("url")),
        date=normalise_date(rec.get("date") or rec.get("published")),
        lang=_str(rec.get("lang") or rec.get("language")),
    )


def read_json(text: str, path: Path, notices: list[Notice], title_only: bool = False) -> list[Document]:
    """Records of a .json file (an object, a list, or {"articles": [...]}) or of a .jsonl file
    (one object a line; malformed lines are skipped, the good ones kept)."""
    docs: list[Document] = []
    name = str(path)
    if path.suffix.lower() in (".jsonl", ".ndjson"):
        bad: list[str] = []
        for lineno, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                bad.append(f"line {lineno}: malformed JSON ({exc.msg})")
                continue
            if not isinstance(rec, dict):
                bad.append(f"line {lineno}: not a JSON object")
                continue
            try:
                docs.append(_record_document(rec, f"{path.stem}-{lineno}", name, "jsonl", title_only))
            except ReadProblem as exc:
                bad.append(f"line {lineno}: {exc}")
        for problem in bad[:3]:
            notices.append(Notice(file=name, message=f"{problem}; line skipped"))
        if len(bad) > 3:
            notices.append(Notice(file=name, message=f"{len(bad) - 3} more bad lines skipped"))
        if not docs and not bad:
            raise ReadProblem("no JSON record in the file")
        return docs
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ReadProblem(f"malformed JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})") from None
    if isinstance(data, dict) and isinstance(data.get("articles"), list):
        records = data["articles"]
    elif isinstance(data, dict):
        records = [data]
    elif isinstance(data, list):
        records = data
    else:
        raise ReadProblem("JSON is neither an object nor a list of objects")
    if not records:
        raise ReadProblem("JSON holds no record")
    if len(records) == 1 and isinstance(records[0], dict):
        try:
            return [_record_document(records[0], path.stem, name, "json", title_only)]
        except ReadProblem as exc:
            raise ReadProblem(f"JSON {exc}") from None
    for k, rec in enumerate(records, 1):
        if not isinstance(rec, dict):
            notices.append(Notice(file=name, message=f"record {k}: not a JSON object; skipped"))
            continue
        try:
            docs.append(_record_document(rec, f"{path.stem}-{k}", name, "json", title_only))
        except ReadProblem as exc:
            notices.append(Notice(file=name, message=f"record {k}: {exc}; skipped"))
    return docs


_HTML_BLOCKS = ("h1", "h2", "h3", "h4", "p", "figcaption", "li", "blockquote", "pre")
_HTML_SKIP = "//script|//style|//noscript|//nav|//footer|//form|//button|//aside|//header[not(ancestor::article)]"


def _space(value: str) -> str:
    return " ".join(value.split())


def _html_blocks(html: str, main: list[str]) -> list[str]:
    """The article's blocks in page order: the main text trafilatura chose, plus the title, byline
    and photo captions lying among them, so that cleaning can remove those visibly.

    Falls back to trafilatura's lines when the page does not map onto them cleanly.
    """
    import lxml.html

    try:
        root = lxml.html.fromstring(html)
    except Exception:  # lxml raises several unrelated types on junk
        return main
    for el in root.xpath(_HTML_SKIP):
        el.drop_tree()
    wanted = {_space(line) for line in main}
    blocks: list[tuple[str, str]] = []
    for el in root.iter(*_HTML_BLOCKS):
        if any(a.tag in _HTML_BLOCKS for a in el.iterancestors()):
            continue
        value = _space(el.text_content())
        if value:
            blocks.append((el.tag, value))
    hits = [k for k, (_, value) in enumerate(blocks) if value in wanted]
    if not hits or len({blocks[k][1] for k in hits}) < 0.9 * len(wanted):
        return main
    first, last = hits[0], hits[-1]
    out = []
    for tag, value in blocks[first : last + 1]:
        # main text, or a caption / short line (byline, furniture) trafilatura left out
        if value in wanted or tag == "figcaption" or (tag == "p" and len(value.split()) <= 30):
            out.append(value)
    return out


def read_html(text: str, path: Path, min_words: int = 20) -> list[Document]:
    """Main text and metadata of a web page, by trafilatura."""
    import trafilatura

    try:
        result = trafilatura.bare_extraction(text, with_metadata=True, include_comments=False, include_tables=False)
    except Exception as exc:  # trafilatura can fail deep inside lxml on broken pages
        raise ReadProblem(f"HTML page could not be parsed ({exc.__class__.__name__})") from None
    body = getattr(result, "text", None) if result is not None else None
    if not body or len(body.split()) < min_words:
        raise ReadProblem("HTML page has no main text" + (f" (only {len(body.split())} words found)" if body and body.strip() else ""))
    main = [line.strip() for line in body.splitlines() if line.strip()]
    return [
        Document(
            id=path.stem,
            text="\n\n".join(_html_blocks(text, main)),
            path=str(path),
            format="html",
            title=_str(getattr(result, "title", None)),
            outlet=_str(getattr(result, "sitename", None)),
            url=_str(getattr(result, "url", None)),
            date=normalise_date(getattr(result, "date", None)),
            lang=_str(getattr(result, "language", None)),
        )
    ]


def read_feed(text: str, path: Path, config: Config, notices: list[Notice]) -> list[Document]:
    """Articles of an RSS/Atom feed: items carrying their full text; teasers are skipped."""
    import feedparser

    try:
        feed = feedparser.parse(text)
    except Exception as exc:  # feedparser is lenient, but sax errors can still escape on junk
        raise ReadProblem(f"feed could not be parsed ({exc.__class__.__name__})") from None
    if not feed.entries:
        if feed.get("bozo") and not feed.get("version"):
            raise ReadProblem("not a readable RSS/Atom feed")
        raise ReadProblem("feed has no items")
    outlet = feed.feed.get("title")
    docs = []
    teasers = 0
    for k, entry in enumerate(feed.entries, 1):
        content = ""
        if entry.get("content"):
            content = " ".join(c.get("value", "") for c in entry["content"])
        full = _html_to_text(content) if content.strip() else ""
        summary = _html_to_text(entry.get("summary", "") or "")
        body = full if len(full.split()) >= len(summary.split()) else summary
        words = len(body.split())
        if words < config.read.min_words or (not full and words < config.read.feed_teaser_max_words):
            teasers += 1
            label = _str(entry.get("title")) or f"item {k}"
            notices.append(Notice(level="info", file=str(path), message=f"item '{label[:60]}' has only a teaser ({words} words); skipped"))
            continue
        date = None
        for key in ("published_parsed", "updated_parsed"):
            if entry.get(key):
                t = entry[key]
                date = f"{t.tm_year:04d}-{t.tm_mon:02d}-{t.tm_mday:02d}"
                break
        docs.append(
            Document(
                id=_item_id(entry, f"{path.stem}-{k}"),
                text=body,
                path=str(path),
                format="feed",
                title=_str(entry.get("title")),
                outlet=_str(outlet),
                url=_str(entry.get("link")),
                date=date,
                lang=_str(entry.get("language") or feed.feed.get("language")),
            )
        )
    if not docs:
        raise ReadProblem(f"feed has no item with full text ({teasers} teaser{'s' if teasers != 1 else ''} skipped)")
    return docs


def _item_id(entry: dict, fallback: str) -> str:
    """A readable id for a feed item: the last part of its URL or guid ("esterel-incendie")."""
    for key in ("link", "id"):
        value = _str(entry.get(key))
        if value:
            last = re.sub(r"\.(?:s?html?|php|aspx?)$", "", value.split("?")[0].rstrip("/").rsplit("/", 1)[-1])
            slug = re.sub(r"[^\w.-]+", "-", last).strip("-.")[:80]
            if slug and not re.fullmatch(r"[\w-]+\.(?:com|fr|org|net|example)", slug):
                return slug
    return fallback


def _html_to_text(html: str) -> str:
    """Plain text of a feed item's HTML: one paragraph per block element."""
    if "<" not in html:
        return html.strip()
    import lxml.html

    try:
        root = lxml.html.fromstring(html)
    except Exception:  # lxml raises several unrelated types on junk
        return re.sub(r"<[^>]+>", " ", html).strip()
    blocks = [
        _space(el.text_content())
        for el in root.iter(*_HTML_BLOCKS)
        if not any(a.tag in _HTML_BLOCKS for a in el.iterancestors())
    ]
    blocks = [b for b in blocks if b]
    return "\n\n".join(blocks) if blocks else _space(root.text_content())


def _looks_like_feed(text: str) -> bool:
    head = text[:2000].lower()
    return "<rss" in head or "<feed" in head or "<rdf:rdf" in head


def read_file(path: Path, config: Config, notices: list[Notice]) -> list[Document]:
    """Documents of one file; raises ReadProblem when the whole file is unusable."""
    size = path.stat().st_size
    if size == 0:
        raise ReadProblem("empty file")
    if size > config.read.max_file_bytes:
        raise ReadProblem(
            f"file too large ({size / 1e6:.1f} MB, limit {config.read.max_file_bytes / 1e6:.1f} MB); not read"
        )
    text, encoding = decode(path.read_bytes())
    if not text.strip():
        raise ReadProblem("empty file (white space only)")
    suffix = path.suffix.lower()
    if suffix in config.read.extensions_json:
        return read_json(text, path, notices, config.read.title_only_records)
    if suffix in config.read.extensions_feed or (suffix in config.read.extensions_html and _looks_like_feed(text)):
        return read_feed(text, path, config, notices)
    if suffix in config.read.extensions_html:
        return read_html(text, path, config.read.min_words)
    if suffix in config.read.extensions_text or suffix == "":
        fmt = "md" if suffix in (".md", ".markdown") else "txt"
        return [read_text_document(text, path.stem, str(path), fmt, encoding, notices)]
    # an unknown extension given by name: read it by what it holds
    head = text.lstrip()[:500].lower()
    if _looks_like_feed(text):
        return read_feed(text, path, config, notices)
    if head.startswith(("<!doctype html", "<html")):
        return read_html(text, path, config.read.min_words)
    if head.startswith(("{", "[")):
        raise ReadProblem(f"unknown file type '{suffix}' (looks like JSON: name it .json or .jsonl)")
    return [read_text_document(text, path.stem, str(path), "txt", encoding, notices)]


def iter_files(path: Path, config: Config) -> Iterable[Path]:
    """Article files under a folder, in name order; hidden files and the answer keys are skipped."""
    known = set(
        config.read.extensions_text + config.read.extensions_json + config.read.extensions_html + config.read.extensions_feed
    )
    for p in sorted(path.rglob("*")):
        rel = p.relative_to(path).parts
        if any(part.startswith(".") for part in rel) or p.name.lower() in _NOT_ARTICLES:
            continue
        if p.suffix.lower() in known and p.is_file():
            yield p


_NOT_ARTICLES = {"answers.yaml", "readme.md", "readme.txt", "license", "license.txt", "license.md", "changelog.md"}


def _unique(doc: Document, seen: set[str]) -> Document:
    """Article ids are keys downstream: a repeated id gets a numbered suffix."""
    base, n = doc.id, 1
    while doc.id in seen:
        n += 1
        doc.id = f"{base}-{n}"
    seen.add(doc.id)
    return doc


def _is_text(item: str) -> bool:
    """A string given to the library is an article text, not a path: several lines, or a long
    string, or prose (eight words or more) that names no existing file."""
    if "\n" in item or len(item) > 400:
        return True
    if len(item.split()) < 8:
        return False
    try:
        return not Path(item).exists()
    except OSError:  # a name the file system refuses is no path of ours
        return True


def read_inputs(inputs: Iterable[object], config: Config | None = None) -> tuple[list[Document], list[Notice]]:
    """Documents from paths (files or folders), raw strings, dicts (records) or Documents.

    Never raises on bad input: each problem is one Notice naming the input, the rest is read.
    """
    config = config or Config()
    docs: list[Document] = []
    notices: list[Notice] = []
    if isinstance(inputs, (str, Path)):
        inputs = [inputs]
    for k, item in enumerate(inputs, 1):
        if isinstance(item, Document):
            docs.append(item)
            continue
        if isinstance(item, dict):
            try:
                docs.append(_record_document(item, f"record-{k}", f"<record {k}>", "json", config.read.title_only_records))
            except ReadProblem as exc:
                notices.append(Notice(file=f"<record {k}>", message=str(exc)))
            continue
        if isinstance(item, str) and _is_text(item):
            text = item.lstrip("\ufeff")
            if text.strip():
                docs.append(read_text_document(text, f"text-{k}", None, "txt"))
            else:
                notices.append(Notice(file=f"<text {k}>", message="empty text"))
            continue
        if not isinstance(item, (str, Path)):
            notices.append(Notice(level="error", file=f"<input {k}>", message=f"cannot read a {type(item).__name__}"))
            continue
        path = Path(item)
        try:
            exists, is_dir = path.exists(), path.is_dir()
        except OSError as exc:  # e.g. a name too long for the file system
            notices.append(Notice(level="error", file=str(item)[:200], message=f"cannot access ({exc.strerror or exc})"))
            continue
        if not exists:
            notices.append(Notice(level="error", file=str(path), message="no such file or folder"))
            continue
        files = list(iter_files(path, config)) if is_dir else [path]
        if is_dir and not files:
            notices.append(Notice(level="error", file=str(path), message="folder holds no article file (.txt, .md, .json, .jsonl, .html, .xml)"))
            continue
        before = len(docs)
        for f in files:
            try:
                docs.extend(read_file(f, config, notices))
            except ReadProblem as exc:
                notices.append(Notice(file=str(f), message=str(exc)))
            except OSError as exc:
                notices.append(Notice(file=str(f), message=f"cannot read ({exc.strerror or exc})"))
            except Exception as exc:  # a reader bug must not stop the other files
                notices.append(Notice(level="error", file=str(f), message=f"could not be read ({exc.__class__.__name__}: {exc})"[:300]))
        if is_dir and len(docs) == before:
            notices.append(Notice(level="error", file=str(path), message="folder holds no readable article"))
    seen: set[str] = set()
    docs = [_unique(d, seen) for d in docs]
    return docs, notices


def unread_paths(inputs: Iterable[object], docs: list[Document]) -> list[str]:
    """The paths among ``inputs`` that gave no document: missing, unreadable, empty or holding no
    article. A command fails on them (after doing the rest): the user named them on purpose."""
    if isinstance(inputs, (str, Path)):
        inputs = [inputs]
    read = [d.path for d in docs if d.path]
    out = []
    for item in inputs:
        if isinstance(item, Path) or (isinstance(item, str) and not _is_text(item)):
            name = str(Path(item))
            if not any(p == name or p.startswith(name.rstrip(os.sep) + os.sep) for p in read):
                out.append(name)
    return out
