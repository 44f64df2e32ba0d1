"""Generated and written docs cover every command and every stored query."""

from __future__ import annotations

from paradiplomacy.build import answer_all, render_answers
from paradiplomacy.cli import app
from paradiplomacy.query.catalogue import catalogue


def test_the_readme_documents_every_command(project):
    readme = (project.root / "README.md").read_text(encoding="utf-8")
    commands = sorted(c.name or c.callback.__name__ for c in app.registered_commands)
    assert {"build", "validate", "query", "fmt", "bench"} <= set(commands)
    assert [c for c in commands if f"`pdkg {c}" not in readme] == []


def test_the_answers_page_answers_every_stored_question_with_its_sources(project, runner):
    page = render_answers(answer_all(project, runner), runner)
    ids = [q.id for q in catalogue(project).values() if q.kind == "cq"]
    assert [i for i in ids if f"## {i}:" not in page] == []
    assert "DIFFERS" not in page
    # 001 defaults to Tehran; its Bangkok row rests on Table 1, row Tehran, of the paper.
    bangkok = next(line for line in page.splitlines() if "/city/bangkok" in line)
    assert "004-dehshiri-khorrami-1397, Table 1, row Tehran" in bangkok
