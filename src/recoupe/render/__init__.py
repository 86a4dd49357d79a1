"""Renderers: the same Briefing as terminal text, Markdown or a self-contained HTML page."""
