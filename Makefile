# Two entry points: `make demo` (set up, then brief the bundled examples) and `make test`.
PYTHON ?= python3
VENV   ?= .venv
PY      = $(VENV)/bin/python
STAMP   = $(VENV)/.installed

.PHONY: setup demo test bench schema clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: setup
	$(VENV)/bin/recoupe brief examples/sommet-vladivostok
	$(VENV)/bin/recoupe brief examples/incendie-usine --format md -o briefing-incendie.md
	$(VENV)/bin/recoupe brief examples/sommet-vladivostok --format html -o briefing-sommet.html

test: setup
	bash scripts/system-deps.sh
	$(PY) -m pytest

schema: setup
	$(VENV)/bin/recoupe schema -o docs/briefing.schema.json

bench: setup
	$(PY) bench/brief_vs_spacy.py

clean:
	rm -rf $(VENV) .pytest_cache build dist src/*.egg-info
