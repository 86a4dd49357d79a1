"""Command line: a thin layer over the library. Results on stdout, notices and progress on stderr."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from .config import Config, ConfigError, load_config

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Cross-check news coverage of one event across outlets.")
err = Console(stderr=True, soft_wrap=True)
DB_HELP = "Store: a SQLite file (default recoupe.db) or a URL such as postgresql://user@host:5432/name."
ConfigFile = Annotated[
    Optional[Path],
    typer.Option(
        "--config", envvar="RECOUPE_CONFIG", show_envvar=True, dir_okay=False,
        help="Settings file (TOML, tables as printed by `recoupe config`); options given on the command line win.",
    ),
]


class Format(str, Enum):
    terminal = "terminal"
    json = "json"
    md = "md"
    html = "html"


def _report(notices) -> None:
    for n in notices:
        style = {"error": "bold red", "warning": "yellow", "info": "dim"}[n.level]
        err.print(n.line(), style=style, markup=False, highlight=False)


def _progress() -> Progress:
    return Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=not err.is_terminal,
    )


def _write(text: str, output: Optional[Path]) -> None:
    if output is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return
    tmp = output.with_name(output.name + ".part")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(output)
    err.print(f"written: {output}", style="dim", markup=False, highlight=False)


def _config(summary_words: int | None = None, db: str | None = None, config_file: Path | None = None) -> Config:
    try:
        config = load_config(config_file) if config_file is not None else Config()
    except ConfigError as exc:
        err.print(f"error: {exc}", style="bold red", markup=False, highlight=False)
        raise typer.Exit(2) from None
    if summary_words is not None:
        config.summary.words = summary_words
    if db is not None:
        config.stories.db = str(db)
    return config


def _run_brief(paths: list[str], config: Config, since: list[str] | None):
    from .pipeline import run

    with _progress() as bar:
        task = bar.add_task("analysing articles", total=None)

        def progress(stage: str, done: int, total: int) -> None:
            bar.update(task, completed=done, total=total, description=stage)

        briefing, analysis = run(paths, config, progress=progress, since=since)
    return briefing, analysis


def render(briefing, fmt: Format, console_width: int | None = None) -> str:
    if fmt is Format.json:
        return briefing.model_dump_json(indent=2)
    if fmt is Format.md:
        from .render.markdown import render_markdown

        return render_markdown(briefing)
    if fmt is Format.html:
        from .render.html import render_html

        return render_html(briefing)
    from .render.terminal import render_terminal

    tty = console_width is None and sys.stdout.isatty()
    width = console_width or (Console().width if tty else 110)
    return render_terminal(briefing, width=width, color=tty)


@app.command()
def brief(
    paths: Annotated[Optional[list[str]], typer.Argument(help="Article files or folders.")] = None,
    format: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.terminal,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write to this file.")] = None,
    summary_words: Annotated[Optional[int], typer.Option("--summary-words", help="Summary length in words.")] = None,
    since: Annotated[Optional[list[str]], typer.Option("--since", help="Articles already read: summarise what is new.")] = None,
    story: Annotated[Optional[str], typer.Option("--story", help="Brief a story from the store.")] = None,
    db: Annotated[Optional[str], typer.Option("--db", envvar="RECOUPE_DB", help=DB_HELP, show_envvar=True)] = None,
    config_file: ConfigFile = None,
) -> None:
    """Cross-checked briefing of several articles about one event."""
    config = _config(summary_words, db, config_file)
    if story is not None:
        from .stories import brief_story

        from .store import StoreError

        try:
            briefing = brief_story(story, config)
        except (LookupError, StoreError) as exc:
            err.print(f"error: {exc}", style="bold red", markup=False, highlight=False)
            raise typer.Exit(1) from None
    else:
        if not paths:
            err.print("error: give article files or folders, or --story ID", style="bold red")
            raise typer.Exit(2)
        briefing, _ = _run_brief(paths, config, since)
    _report(briefing.notices)
    if not any(a.analysed for a in briefing.articles):
        err.print("error: no article could be analysed; no briefing made", style="bold red", markup=False, highlight=False)
        raise typer.Exit(1)
    width = None if output is None else 100
    _write(render(briefing, format, width), output)


@app.command()
def summarize(
    paths: Annotated[list[str], typer.Argument(help="Article files or folders.")],
    words: Annotated[int, typer.Option("--words", help="Summary length in words.")] = 100,
    since: Annotated[Optional[list[str]], typer.Option("--since", help="Articles already read.")] = None,
    config_file: ConfigFile = None,
) -> None:
    """Print only the summary, one sentence a line (for scoring tools)."""
    config = _config(words, config_file=config_file)
    briefing, _ = _run_brief(paths, config, since)
    _report(briefing.notices)
    if not briefing.summary:
        err.print("error: no summary could be made", style="bold red")
        raise typer.Exit(1)
    _write("\n".join(s.text for s in briefing.summary), None)


@app.command()
def schema(output: Annotated[Optional[Path], typer.Option("--output", "-o")] = None) -> None:
    """Print the JSON Schema of the briefing."""
    import json

    from .model import Briefing

    _write(json.dumps(Briefing.model_json_schema(), indent=2, ensure_ascii=False), output)


@app.command("config")
def show_config(config_file: ConfigFile = None) -> None:
    """Print every setting (the defaults, or those of --config) as a TOML file to edit and pass back with --config."""
    import tomli_w

    data = _config(config_file=config_file).model_dump(mode="json", exclude_none=True)
    _write(tomli_w.dumps(data), None)


@app.command()
def serve(
    folders: Annotated[Optional[list[Path]], typer.Argument(help="Folders of stories (each subfolder = one story); default: the store.")] = None,
    db: Annotated[Optional[str], typer.Option("--db", envvar="RECOUPE_DB", help=DB_HELP, show_envvar=True)] = None,
    host: Annotated[str, typer.Option("--host", help="Address to bind; keep 127.0.0.1 unless you mean to share it.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535)] = 8000,
    config_file: ConfigFile = None,
) -> None:
    """Browse stories and their briefings in a web browser (read-only; never fetches URLs)."""
    from .web.app import FolderSource, StoreSource, serve as run_server

    config = _config(db=db, config_file=config_file)
    if folders:
        try:
            source = FolderSource(folders, config)
        except LookupError as exc:
            err.print(f"error: {exc}", style="bold red", markup=False, highlight=False)
            raise typer.Exit(2) from None
    else:
        location = config.stories.db
        if "://" not in location and not Path(location).is_file():
            err.print(f"error: no store at {location}: give story folders or --db PATH", style="bold red", markup=False, highlight=False)
            raise typer.Exit(2)
        from .store import StoreError

        try:
            source = StoreSource(config)
        except StoreError as exc:
            err.print(f"error: {exc}", style="bold red", markup=False, highlight=False)
            raise typer.Exit(1) from None
    err.print(f"serving on http://{host}:{port}/ (Ctrl-C to stop)", style="dim", markup=False, highlight=False)
    run_server(source, host=host, port=port, config=config)


@app.command()
def ingest(
    paths: Annotated[list[str], typer.Argument(help="Article files or folders to add to the store.")],
    db: Annotated[Optional[str], typer.Option("--db", envvar="RECOUPE_DB", help=DB_HELP, show_envvar=True)] = None,
    batch_size: Annotated[Optional[int], typer.Option("--batch-size", min=1, help="Articles per transaction (at most).")] = None,
    ray: Annotated[
        Optional[str],
        typer.Option(
            "--ray", metavar="[ADDRESS]",
            help="Analyse and embed on Ray workers: --ray alone starts a local Ray; --ray HOST:PORT joins a cluster.",
        ),
    ] = None,
    ray_workers: Annotated[Optional[int], typer.Option("--ray-workers", min=1, help="Ray workers (default: the cluster's CPUs).")] = None,
    processes: Annotated[
        Optional[int],
        typer.Option("--processes", min=0, help="Worker processes for analysis and embedding (default: one per core; 0: threads in this process)."),
    ] = None,
    config_file: ConfigFile = None,
) -> None:
    """Add articles to the store and group them into stories (already stored articles are skipped)."""
    from .store import Store, StoreError
    from .stories import IngestWorkerError
    from .stories import ingest as run_ingest

    config = _config(db=db, config_file=config_file)
    if batch_size is not None:
        config.stories.batch_size = batch_size
    if processes is not None:
        config.stories.processes = processes
    stages = None
    errors: tuple[type[Exception], ...] = (StoreError, IngestWorkerError)
    if ray is not None:
        from .distributed import RayError, RayOptions, RayStages

        stages = RayStages(RayOptions(address=None if ray == "local" else ray, workers=ray_workers))
        errors += (RayError,)
        try:
            stages.connect()  # before the store is touched: a cluster that does not answer leaves nothing written
        except RayError as exc:
            err.print(f"error: {exc}", style="bold red", markup=False, highlight=False)
            raise typer.Exit(1) from None
    try:
        with Store(config.stories.db, config.stories.busy_timeout) as store, _progress() as bar:
            task = bar.add_task("ingesting articles", total=None)
            report = run_ingest(
                paths, store, config, progress=lambda done, total: bar.update(task, completed=done, total=total), stages=stages
            )
    except errors as exc:
        err.print(f"error: {exc}", style="bold red", markup=False, highlight=False)
        raise typer.Exit(1) from None
    finally:
        if stages is not None:
            stages.shutdown()
    _report(report.notices)
    err.print(report.line(), markup=False, highlight=False)
    if report.unread:  # named on purpose and not read: the job failed, even though the rest is stored
        err.print(f"error: not read: {', '.join(report.unread)}", style="bold red", markup=False, highlight=False)
    if report.read == 0 or report.unread:
        raise typer.Exit(1)


class ListFormat(str, Enum):
    terminal = "terminal"
    json = "json"


@app.command()
def stories(
    format: Annotated[ListFormat, typer.Option("--format", "-f", help="Output format.")] = ListFormat.terminal,
    db: Annotated[Optional[str], typer.Option("--db", envvar="RECOUPE_DB", help=DB_HELP, show_envvar=True)] = None,
    topics: Annotated[bool, typer.Option("--topics", help="Group the stories under their topics.")] = False,
    config_file: ConfigFile = None,
) -> None:
    """List the stories of the store: title, what it is about, dates, articles and outlets."""
    import json

    from .store import StoreError
    from .stories import group_by_topic, list_stories

    try:
        found = list_stories(_config(db=db, config_file=config_file))
    except StoreError as exc:
        err.print(f"error: {exc}", style="bold red", markup=False, highlight=False)
        raise typer.Exit(1) from None
    grouped = group_by_topic(found)
    if format is ListFormat.json:
        data = grouped if topics else [s.model_dump() for s in found]
        _write(json.dumps(data, indent=2, ensure_ascii=False, default=lambda o: o.model_dump()), None)
        return
    from rich.table import Table
    from rich.text import Text

    console = Console(width=None if sys.stdout.isatty() else 160)
    sections = grouped if topics else [{"id": None, "title": None, "stories": found}]
    for section in sections:
        table = Table(show_lines=False, title=None if section["id"] is None else Text(f"{section['id']}  {section['title']}"), title_justify="left")
        for col in ("id", "title", "about", "dates", "articles", "outlets", "open"):
            table.add_column(col)
        for s in section["stories"]:
            dates = s.first_date or "?" if s.first_date == s.last_date else f"{s.first_date or '?'} – {s.last_date or '?'}"
            about = ", ".join(s.entities[:3]) + (f" · {s.place}" if s.place else "") + (f" · {'/'.join(s.languages)}" if len(s.languages) > 1 else "")
            table.add_row(s.id, Text(s.title), Text(about), dates, str(len(s.articles)), str(len(s.outlets)), "" if s.closed else "yes")
        console.print(table)


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="Words to find (case and accents ignored; word* for a prefix).")],
    db: Annotated[Optional[str], typer.Option("--db", envvar="RECOUPE_DB", help=DB_HELP, show_envvar=True)] = None,
    format: Annotated[ListFormat, typer.Option("--format", "-f", help="Output format.")] = ListFormat.terminal,
    limit: Annotated[int, typer.Option("--limit", min=1, help="Most results shown.")] = 20,
    config_file: ConfigFile = None,
) -> None:
    """Find stored articles (and their stories) containing all the words of QUERY."""
    import json

    from .store import StoreError
    from .stories import search as run_search

    try:
        hits = run_search(query, _config(db=db, config_file=config_file), limit)
    except StoreError as exc:
        err.print(f"error: {exc}", style="bold red", markup=False, highlight=False)
        raise typer.Exit(1) from None
    if format is ListFormat.json:
        _write(json.dumps(hits, indent=2, ensure_ascii=False), None)
        return
    if not hits:
        err.print("no article found", markup=False, highlight=False)
        raise typer.Exit(1)
    from rich.text import Text

    from .textsearch import cut

    out = Console(highlight=False, soft_wrap=True)  # bold matches on a terminal, plain text when piped
    for h in hits:
        out.print(Text(f"{h['id']}  {h['outlet']}  {h['date'] or ''}  story {h['story']}\n  {h['title'] or ''}"))
        out.print(Text.assemble("  ", *[(piece, "bold reverse" if hit else "") for piece, hit in cut(h["snippet"], h.get("highlights", []))]))


def _ray_value(args: list[str]) -> list[str]:
    """``--ray`` takes an optional address (``--ray`` alone: a local Ray). Typer options cannot leave
    their value out, so a bare ``--ray`` (followed by an option, a path or nothing) becomes ``--ray local``."""
    out = list(args)
    for i, a in enumerate(out):
        if a == "--ray":
            nxt = out[i + 1] if i + 1 < len(out) else ""
            if not (nxt in ("auto", "local") or (":" in nxt and not nxt.startswith("-") and not Path(nxt).exists())):
                out.insert(i + 1, "local")
            break
    return out


def main() -> None:
    from .e5 import E5FileError
    from .embed import EmbeddingError
    from .learned import ModelError

    sys.argv[1:] = _ray_value(sys.argv[1:])
    try:
        app()
    except KeyboardInterrupt:
        err.print("interrupted", style="bold red")
        sys.exit(130)
    except (ModelError, E5FileError, EmbeddingError) as exc:  # a model file that cannot be used: one line naming it and the fix
        err.print(f"error: {exc}", style="bold red", markup=False, highlight=False)
        sys.exit(1)


if __name__ == "__main__":
    main()
