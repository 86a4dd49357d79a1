"""recoupe: cross-check news coverage of one event across outlets."""

from .config import Config
from .model import Briefing

__version__ = "0.1.0"
__all__ = ["Briefing", "Config", "brief", "__version__"]


def brief(inputs, config: Config | None = None, **kwargs) -> Briefing:
    """Briefing of the articles in ``inputs`` (paths, folders, texts or records)."""
    from .pipeline import brief as _brief

    return _brief(inputs, config, **kwargs)
