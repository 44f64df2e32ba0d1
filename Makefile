# The two commands of the README. Both create (or reuse) .venv and install what they need.
PYTHON ?= python3
VENV := .venv
STAMP := $(VENV)/.installed-$(shell sha1sum pyproject.toml | cut -c1-12)

.PHONY: run test fmt clean

$(STAMP): pyproject.toml
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --upgrade pip
	$(VENV)/bin/python -m pip install --quiet -e '.[test]'
	rm -f $(VENV)/.installed-*
	touch $@

run: $(STAMP)  ## build the graph, validate it, answer the stored queries, write build/
	$(VENV)/bin/pdkg build

test: $(STAMP)  ## run the test suite
	$(VENV)/bin/python -m pytest

fmt: $(STAMP)
	$(VENV)/bin/pdkg fmt

clean:
	rm -rf build
