"""`dossier people import FILE.csv` against the real server: bad rows by their line in the file."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from dossier.cli import app
from tests.factories import new_org


async def test_people_import_command_reports_file_lines(api_url, db, backend, tmp_path: Path):
    created = await new_org(db, backend.settings)
    path = tmp_path / "people.csv"
    path.write_text(
        "Full Name,Title,Company Domain,Country\n"
        "Ada Byron,CTO,engines.example,GB\n"
        "\n"
        '"Grace ""Amazing"" Hopper","Rear Admiral,\nComputing",navy.example,Atlantis\n'
        "Alan Turing,Researcher,bletchley.example,GB\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(app, ["people", "import", str(path), "--url", api_url, "--key", created.key,
                                      "--chunk", "2"])  # fmt: skip
    assert result.exit_code == 1, result.output
    assert "line 4: country: unknown country: Atlantis" in result.output
    assert "2 of 3 rows imported (2 new, 0 updated), 1 rejected" in result.output
