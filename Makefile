# The two commands of the README. Both create (or reuse) .venv and install what they need.
PYTHON ?= python3
VENV := .venv
STAMP := $(VENV)/.installed-$(shell sha1sum pyproject.toml | cut -c1-12)

.PHONY: run serve test test-all lint fmt clean

$(STAMP): pyproject.toml
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --upgrade pip
	$(VENV)/bin/python -m pip install --quiet -e '.[test,analysis,lint]'
	rm -f $(VENV)/.installed-*
	touch $@

# The browser libraries the published site vendors (Leaflet, YASGUI), pinned by web/package-lock.json.
NODE_STAMP := web/node_modules/.installed

$(NODE_STAMP): web/package.json web/package-lock.json
	npm ci --prefix web --ignore-scripts --no-audit --no-fund
	touch $@

run: $(STAMP) $(NODE_STAMP)  ## build the graph, validate it, answer the stored queries, write build/ and the site build/site/
	$(VENV)/bin/pdkg build

serve: $(STAMP)  ## serve build/site/ with its SPARQL endpoint (after make run)
	$(VENV)/bin/pdkg serve

test: $(STAMP) $(NODE_STAMP)  ## run the tests: every truth test; the heavy ones (slow, site, scale, browser, fuzz) are left to test-all
	$(VENV)/bin/python -m pytest

test-all: $(STAMP) $(NODE_STAMP)  ## run every test, as CI does
	CI=true $(VENV)/bin/python -m pytest

lint: $(STAMP)  ## ruff and mypy, as CI runs them
	$(VENV)/bin/ruff check src tests
	$(VENV)/bin/mypy

fmt: $(STAMP)
	$(VENV)/bin/pdkg fmt

clean:
	rm -rf build
