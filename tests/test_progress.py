"""Progress of long builds: shown on a terminal after a while, never in logs or with -q."""

from __future__ import annotations

import io

import pytest

from briefgen.build.progress import Progress
from briefgen.cli import main
from tests.conftest import MakeSite


class Terminal(io.StringIO):
    """A stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


class Clock:
    """A clock the test moves."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_long_build_shows_its_stage_and_count_then_clears_the_line() -> None:
    terminal, clock = Terminal(), Clock()
    progress = Progress(terminal, clock=clock)
    advance = progress.stage("rendering articles", 10_000)
    advance(50)
    assert terminal.getvalue() == ""  # a short build shows nothing
    clock.now += 2.5
    advance(4_000)
    assert terminal.getvalue() == "\rrendering articles 4,050/10,000"
    clock.now += 0.01
    advance(50)  # too soon to redraw
    assert terminal.getvalue().endswith("4,050/10,000")
    progress.stage("writing")
    assert terminal.getvalue().endswith("\rwriting" + " " * 24)
    progress.finish()
    assert terminal.getvalue().endswith("\r" + " " * 31 + "\r")


def test_nothing_is_shown_off_a_terminal() -> None:
    stream, clock = io.StringIO(), Clock()
    progress = Progress(stream, clock=clock)
    clock.now += 10
    progress.stage("rendering pages", 5)(5)
    progress.finish()
    assert stream.getvalue() == ""


def test_the_command_line_takes_jobs_and_stays_quiet_in_a_log(
    make_site: MakeSite, capsys: pytest.CaptureFixture[str]
) -> None:
    site = make_site({"content/a.md": "# A\n\nText.\n", "content/a.yaml": "date: 2022-01-01\n"})
    assert main(["build", "--site", str(site), "--jobs", "2"]) == 0
    assert "\r" not in capsys.readouterr().err
    with pytest.raises(SystemExit) as refused:
        main(["build", "--site", str(site), "--jobs", "0"])
    assert refused.value.code == 2
    assert "not a number of processes" in capsys.readouterr().err
