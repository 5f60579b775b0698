"""manage.py plan --format config: a folder or a zip of the export; refusals exit with status 2."""

import io
import json
import zipfile

import pytest
from django.core.management import CommandError, call_command

from planner import export
from tests.export_helpers import example_answers, plan_for

P8 = "p8-hr-suite-mixed-roster"


def write_answers(tmp_path, answers):
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(answers))
    return str(path)


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("plan", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def expected_files(answers):
    return export.config_files(plan_for(answers, name=answers["company_name"]))


@pytest.mark.django_db
def test_config_to_a_folder_writes_every_file(tmp_path):
    answers = example_answers()[P8]
    folder = tmp_path / "peoplegrid-config"
    _, err = run(
        "--answers", write_answers(tmp_path, answers), "--format", "config", "--out", str(folder)
    )
    expected = expected_files(answers)
    written = {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in folder.rglob("*")
        if path.is_file()
    }
    assert written == expected
    assert f"{len(expected)} files" in err


@pytest.mark.django_db
def test_config_to_a_zip_writes_the_deterministic_zip(tmp_path):
    answers = example_answers()[P8]
    target = tmp_path / "peoplegrid-auth0-config.zip"
    run("--answers", write_answers(tmp_path, answers), "--format", "config", "--out", str(target))
    expected = expected_files(answers)
    assert target.read_bytes() == export.zip_bytes(expected)
    assert zipfile.ZipFile(target).namelist() == sorted(expected)


@pytest.mark.django_db
def test_config_needs_out(tmp_path):
    answers = write_answers(tmp_path, example_answers()[P8])
    with pytest.raises(CommandError) as error:
        run("--answers", answers, "--format", "config")
    assert error.value.returncode == 2
    assert "--out" in str(error.value)


@pytest.mark.django_db
def test_config_out_that_is_a_file_is_refused(tmp_path):
    answers = write_answers(tmp_path, example_answers()[P8])
    existing = tmp_path / "notes.txt"
    existing.write_text("keep me")
    with pytest.raises(CommandError) as error:
        run("--answers", answers, "--format", "config", "--out", str(existing))
    assert error.value.returncode == 2
    assert existing.read_text() == "keep me"


@pytest.mark.django_db
def test_refused_export_lists_the_problems_and_writes_nothing(tmp_path):
    answers = {**example_answers()[P8], "company_name": "Peoplegrid @@ENV@@"}
    target = tmp_path / "out.zip"
    with pytest.raises(CommandError) as error:
        run(
            "--answers",
            write_answers(tmp_path, answers),
            "--format",
            "config",
            "--out",
            str(target),
        )
    assert error.value.returncode == 2
    message = str(error.value)
    assert "cannot be exported" in message and "“@@”" in message
    assert not target.exists()
