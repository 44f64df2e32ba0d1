"""The table loader: derived defaults, errors as file:row:column, the generated column docs."""

from __future__ import annotations

from paradiplomacy.mapping import table_docs


def test_docs_tables_md_is_generated_from_the_mappings(project):
    assert (project.root / "docs" / "tables.md").read_text(encoding="utf-8") == table_docs(), (
        "run: .venv/bin/python -m paradiplomacy.mapping > docs/tables.md"
    )
