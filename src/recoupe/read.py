"""Read articles from files, folders, records and raw strings into Documents.

Reading never raises on bad input: each problem becomes a Notice naming the file, and the other
inputs are still read.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path

from .config import Config
from .model import Document, Notice


class ReadProblem(Exception):
    """A problem with one input, phrased for the user."""


def decode(data: bytes) -> tuple[str, str]:
    """Decode bytes as UTF-8 (BOM or not), else detect the legacy encoding rather than garble."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if b"\x00" in data[:4096]:
        if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
            return data.decode("utf-16"), "utf-16"
        raise ReadProblem("binary file, not text")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise ReadProblem("binary file, not text")
    encoding = best.encoding
    # charset-normalizer often names a close cousin; cp1252 is what French Windows text is.
    if encoding in {"cp1250", "cp1252", "latin_1", "iso8859_15", "iso8859_1", "cp1254", "mac_roman"}:
        encoding = "cp1252"
    try:
        return data.decode(encoding), encoding
    except (UnicodeDecodeError, LookupError):
        return str(best), best.encoding


_META_PREFIX = re.compile(r"\A[ \t]*date[ \t]+(\d{4}(?:-\d{2}(?:-\d{2})?)?)[ \t]+")
_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.S)


def normalise_date(value: object) -> str | None:
    """An ISO date text (day, month or year precision) from whatever metadata gave."""
    if value is None:
        return None
    text = str(value).strip()
    m = re.match(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", text)
    if m:
        return "-".join(p for p in m.groups() if p)
    import dateparser

    parsed = dateparser.parse(text, settings={"PREFER_DAY_OF_MONTH": "first"})
    return parsed.date().isoformat() if parsed else None


def read_text_document(text: str, doc_id: str, path: str | None, fmt: str, encoding: str = "utf-8") -> Document:
    doc = Document(id=doc_id, text=text, path=path, format=fmt, encoding=encoding)
    m = _FRONT_MATTER.match(text)
    if m:
        import yaml

        try:
            meta = yaml.safe_load(m.group(1)) or {}
        except yaml.YAMLError as exc:
            raise ReadProblem(f"bad YAML front matter ({exc.__class__.__name__})") from None
        if isinstance(meta, dict):
            doc.title = _str(meta.get("title"))
            doc.outlet = _str(meta.get("source") or meta.get("outlet"))
            doc.url = _str(meta.get("url"))
            doc.date = normalise_date(meta.get("date"))
            doc.lang = _str(meta.get("lang") or meta.get("language"))
            doc.body_start = m.end()
    else:
        p = _META_PREFIX.match(text)
        if p:
            doc.date = p.group(1)
    return doc


def _str(value: object) -> str | None:
    return None if value is None else str(value).strip() or None


def _record_document(rec: dict, fallback_id: str, path: str, fmt: str) -> Document:
    text = rec.get("text") or rec.get("body") or rec.get("content")
    if not isinstance(text, str) or not text.strip():
        raise ReadProblem("record has no text or body")
    doc_id = _str(rec.get("id")) or fallback_id
    return Document(
        id=doc_id,
        text=text,
        path=path,
        format=fmt,
        title=_str(rec.get("title")),
        outlet=_str(rec.get("source") or rec.get("outlet")),
        url=_str(rec.get("url")),
        date=normalise_date(rec.get("date")),
        lang=_str(rec.get("lang") or rec.get("language")),
    )


def read_json(text: str, path: Path, notices: list[Notice]) -> list[Document]:
    docs: list[Document] = []
    name = str(path)
    if path.suffix.lower() in (".jsonl", ".ndjson"):
        for lineno, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                notices.append(Notice(file=name, message=f"line {lineno}: malformed JSON ({exc.msg}); line skipped"))
                continue
            if not isinstance(rec, dict):
                notices.append(Notice(file=name, message=f"line {lineno}: not a JSON object; line skipped"))
                continue
            try:
                docs.append(_record_document(rec, f"{path.stem}-{lineno}", name, "jsonl"))
            except ReadProblem as exc:
                notices.append(Notice(file=name, message=f"line {lineno}: {exc}; line skipped"))
        return docs
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ReadProblem(f"malformed JSON ({exc.msg} at line {exc.lineno})") from None
    records = data if isinstance(data, list) else data.get("articles", [data]) if isinstance(data, dict) else None
    if not isinstance(records, list):
        raise ReadProblem("JSON is neither an object nor a list of objects")
    for k, rec in enumerate(records, 1):
        if not isinstance(rec, dict):
            notices.append(Notice(file=name, message=f"record {k}: not a JSON object; skipped"))
            continue
        try:
            fallback = path.stem if len(records) == 1 else f"{path.stem}-{k}"
            docs.append(_record_document(rec, fallback, name, "json"))
        except ReadProblem as exc:
            notices.append(Notice(file=name, message=f"record {k}: {exc}; skipped"))
    return docs


def read_html(text: str, path: Path) -> list[Document]:
    import trafilatura

    result = trafilatura.bare_extraction(text, with_metadata=True, include_comments=False, include_tables=False)
    body = getattr(result, "text", None) if result is not None else None
    if not body or not body.strip():
        raise ReadProblem("HTML page has no main text")
    return [
        Document(
            id=path.stem,
            text=body,
            path=str(path),
            format="html",
            title=getattr(result, "title", None),
            outlet=getattr(result, "sitename", None),
            url=getattr(result, "url", None),
            date=normalise_date(getattr(result, "date", None)),
            lang=getattr(result, "language", None),
        )
    ]


def read_feed(text: str, path: Path, config: Config, notices: list[Notice]) -> list[Document]:
    import feedparser

    feed = feedparser.parse(text)
    if not feed.entries:
        raise ReadProblem("feed has no items")
    outlet = feed.feed.get("title")
    docs = []
    for k, entry in enumerate(feed.entries, 1):
        html = ""
        if entry.get("content"):
            html = entry["content"][0].get("value", "")
        html = html or entry.get("summary", "")
        body = _html_to_text(html)
        if len(body.split()) < config.read.min_words:
            notices.append(Notice(level="info", file=str(path), message=f"item {k} has no full text; skipped"))
            continue
        date = None
        for key in ("published_parsed", "updated_parsed"):
            if entry.get(key):
                t = entry[key]
                date = f"{t.tm_year:04d}-{t.tm_mon:02d}-{t.tm_mday:02d}"
                break
        docs.append(
            Document(
                id=_str(entry.get("id")) and _slug(entry.get("id")) or f"{path.stem}-{k}",
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
        raise ReadProblem("feed has no item with full text")
    return docs


def _slug(value: str) -> str:
    value = re.sub(r"^[a-z]+://", "", value)
    return re.sub(r"[^\w.-]+", "-", value).strip("-")[:80]


def _html_to_text(html: str) -> str:
    if "<" not in html:
        return html.strip()
    import lxml.html

    try:
        root = lxml.html.fromstring(html)
    except Exception:  # lxml raises several unrelated types on junk
        return re.sub(r"<[^>]+>", " ", html).strip()
    blocks = [el.text_content().strip() for el in root.iter("p", "h2", "h3", "li")]
    blocks = [b for b in blocks if b]
    return "\n\n".join(blocks) if blocks else root.text_content().strip()


def _looks_like_feed(text: str) -> bool:
    head = text[:2000].lower()
    return "<rss" in head or "<feed" in head or "<rdf:rdf" in head


def read_file(path: Path, config: Config, notices: list[Notice]) -> list[Document]:
    """Documents of one file; raises ReadProblem when the whole file is unusable."""
    size = path.stat().st_size
    if size == 0:
        raise ReadProblem("empty file")
    if size > config.read.max_file_bytes:
        raise ReadProblem(f"file too large ({size / 1e6:.1f} MB > {config.read.max_file_bytes / 1e6:.1f} MB limit); skipped")
    text, encoding = decode(path.read_bytes())
    if not text.strip():
        raise ReadProblem("empty file")
    suffix = path.suffix.lower()
    if suffix in config.read.extensions_json:
        return read_json(text, path, notices)
    if suffix in config.read.extensions_feed or (suffix in config.read.extensions_html and _looks_like_feed(text)):
        return read_feed(text, path, config, notices)
    if suffix in config.read.extensions_html:
        return read_html(text, path)
    if suffix in config.read.extensions_text or suffix == "":
        return [read_text_document(text, path.stem, str(path), "md" if suffix in (".md", ".markdown") else "txt", encoding)]
    raise ReadProblem(f"unknown file type '{suffix}'")


def iter_files(path: Path, config: Config) -> Iterable[Path]:
    known = (
        config.read.extensions_text + config.read.extensions_json + config.read.extensions_html + config.read.extensions_feed
    )
    for p in sorted(path.rglob("*")):
        if p.is_file() and p.suffix.lower() in known and not p.name.startswith("."):
            if p.name in ("answers.yaml", "README.md") or any(part.startswith(".") for part in p.relative_to(path).parts):
                continue
            yield p


def read_inputs(inputs: Iterable[object], config: Config | None = None) -> tuple[list[Document], list[Notice]]:
    """Documents from paths (files or folders), raw strings, dicts (records) or Documents."""
    config = config or Config()
    docs: list[Document] = []
    notices: list[Notice] = []
    for k, item in enumerate(inputs, 1):
        if isinstance(item, Document):
            docs.append(item)
            continue
        if isinstance(item, dict):
            try:
                docs.append(_record_document(item, f"record-{k}", f"<record {k}>", "json"))
            except ReadProblem as exc:
                notices.append(Notice(file=f"<record {k}>", message=str(exc)))
            continue
        if isinstance(item, str) and ("\n" in item or len(item) > 400) and not Path(item).exists():
            docs.append(read_text_document(item.lstrip("\ufeff"), f"text-{k}", None, "txt"))
            continue
        path = Path(item)  # type: ignore[arg-type]
        if not path.exists():
            notices.append(Notice(level="error", file=str(path), message="no such file or folder"))
            continue
        files = list(iter_files(path, config)) if path.is_dir() else [path]
        if path.is_dir() and not files:
            notices.append(Notice(level="error", file=str(path), message="folder holds no readable article file"))
        before = len(docs)
        for f in files:
            try:
                docs.extend(read_file(f, config, notices))
            except ReadProblem as exc:
                notices.append(Notice(file=str(f), message=str(exc)))
            except OSError as exc:
                notices.append(Notice(file=str(f), message=f"cannot read ({exc.strerror or exc})"))
        if path.is_dir() and files and len(docs) == before:
            notices.append(Notice(level="error", file=str(path), message="folder holds no readable article"))
    return docs, notices
