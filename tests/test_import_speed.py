"""briefpack import reads hostile agendas in linear time: no line can make it crawl.

Each input below made one of the importer's former regular expressions
backtrack: a heading with 10,000 spaces took over two minutes.  Read once,
left to right, each takes milliseconds; the bound of a second is generous.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest

from briefpack.authoring.agenda_lines import parse_date, parse_session, parse_speakers
from briefpack.authoring.importer import import_file, import_markdown

from conftest import BUNDLED_SOURCE

SIZE = 100_000
BOUND = 1.0
DAY = "# T\n## 2025-10-23\n"
SESSION = DAY + "### S (9:00 - 10:00)\n#### 1. Q\n"


def seconds_to_import(text: str) -> float:
    started = time.perf_counter()
    import_markdown(text, "agenda.md")
    return time.perf_counter() - started


@pytest.mark.parametrize(
    "text",
    [
        # The heading pattern (#{1,6})\s+(.*?)\s*#*\s*$
        pytest.param("# T" + " " * SIZE + "B\n", id="heading-spaces"),
        pytest.param("## " + "# " * (SIZE // 2) + "x\n", id="heading-hashes"),
        # The session pattern (.*?)\s*\(\s*TIME\s*-\s*TIME\s*\)
        pytest.param(DAY + "### Session 1: A" + " " * SIZE + "B\n", id="session-spaces"),
        pytest.param(DAY + "### A (" + " " * SIZE + "9 - 10)\n", id="session-inner-spaces"),
        pytest.param(DAY + "### " + "(" * SIZE + "\n", id="session-parentheses"),
        pytest.param(DAY + "### " + "( " * (SIZE // 2) + ")\n", id="session-open-close"),
        pytest.param(DAY + "### A (" + "9" * SIZE + " - 10)\n", id="session-digits"),
        pytest.param(DAY + "### A (" + "9:" * (SIZE // 2) + ")\n", id="session-colons"),
        pytest.param(DAY + "### " + "Session: " * (SIZE // 9) + "(9 - 10)\n", id="session-labels"),
        # The date patterns: a weekday, day and month words, ISO dates
        pytest.param("# T\n## " + "a" * SIZE + "\n", id="date-letters"),
        pytest.param("# T\n## " + "1" * SIZE + "\n", id="date-digits"),
        pytest.param("# T\n## 1" + " " * SIZE + "x\n", id="date-spaces"),
        pytest.param("# T\n## " + "1 " * (SIZE // 2) + "\n", id="date-digits-and-spaces"),
        pytest.param("# T\n## " + "1 of " * (SIZE // 5) + "\n", id="date-of"),
        pytest.param("# T\n## " + "Thursday, " * (SIZE // 10) + "\n", id="date-weekdays"),
        pytest.param("# T\n## " + "Oct " * (SIZE // 4) + "\n", id="date-months"),
        pytest.param("# T\n## " + "2025-" * (SIZE // 5) + "\n", id="date-dashes"),
        pytest.param("# T\n## " + "1:" * (SIZE // 2) + "\n", id="date-colons"),
        # The field, question-number and speaker patterns
        pytest.param(SESSION + "**Context" + " " * SIZE + ":x\n", id="field-spaces"),
        pytest.param(SESSION + "**Question:" + " " * SIZE + "x\n", id="field-colon-spaces"),
        pytest.param(SESSION + "#### " + "1" * SIZE + ".x\n", id="question-digits"),
        pytest.param(SESSION + "#### Q" + "1" * SIZE + ":\n", id="question-q-digits"),
        pytest.param(SESSION + "**Speakers:** " + "(" * SIZE + "\n", id="speakers-open"),
        pytest.param(SESSION + "**Speakers:** a " + "(" * SIZE + ")\n", id="speakers-nested"),
        pytest.param(
            SESSION + "**Speakers:** " + "a (b), " * (SIZE // 7) + "\n", id="speakers-many"
        ),
        pytest.param(SESSION + "**Speakers:** A" + " " * SIZE + "(B)\n", id="speakers-spaces"),
        pytest.param("---" + "-" * SIZE + "x\n", id="rule-dashes"),
    ],
)
def test_a_100_kb_line_that_made_a_pattern_backtrack_imports_within_a_second(text: str) -> None:
    assert len(text) > SIZE
    assert seconds_to_import(text) < BOUND


@pytest.mark.parametrize(
    ("parse", "text"),
    [
        # Each of these took over 5 s (most: minutes) in the function alone.
        pytest.param(parse_date, "a" * SIZE, id="date-one-long-word"),
        pytest.param(parse_date, "1 " + "a" * SIZE + " x", id="date-day-and-long-word"),
        pytest.param(parse_session, "A" + " " * SIZE + "B", id="session-title-spaces"),
        pytest.param(parse_session, "A (" + " " * SIZE + "x)", id="session-open-spaces"),
        pytest.param(parse_session, "A (9" + " " * SIZE + "x)", id="session-time-spaces"),
        pytest.param(parse_session, "A (9 -" + " " * SIZE + "x)", id="session-dash-spaces"),
        pytest.param(parse_speakers, "(" * SIZE, id="speakers-parentheses"),
        pytest.param(parse_speakers, "A" + " " * SIZE + "(x", id="speakers-unclosed-role"),
        pytest.param(parse_speakers, "a(" * (SIZE // 2), id="speakers-open-after-letters"),
    ],
)
def test_each_reader_takes_a_100_kb_hostile_string_within_a_second(
    parse: Callable[[str], object], text: str
) -> None:
    started = time.perf_counter()
    parse(text)
    assert time.perf_counter() - started < BOUND


def test_a_session_heading_with_10000_spaces_imports_whole_within_a_second(
    tmp_path: Path,
) -> None:
    # The attack as reported, through the whole import: read, write YAML, validate.
    heading = "### Session 1: DevOps Culture at Amazon (9:00 AM - 10:00 AM)\n"
    source = tmp_path / "agenda.md"
    hostile = "### Session 1: A" + " " * 10_000 + "B (9:00 AM - 10:00 AM)\n"
    text = BUNDLED_SOURCE.read_text(encoding="utf-8")
    assert heading in text
    source.write_text(text.replace(heading, hostile, 1), encoding="utf-8")
    started = time.perf_counter()
    target, skipped = import_file(source, tmp_path / "agenda.yaml", strict=True, force=False)
    assert time.perf_counter() - started < BOUND
    assert skipped == []
    assert "A" + " " * 10_000 + "B" in target.read_text(encoding="utf-8")


def test_the_same_heading_without_times_is_skipped_within_a_second() -> None:
    started = time.perf_counter()
    result = import_markdown(DAY + "### Session 1: A" + " " * 10_000 + "B\n", "agenda.md")
    assert time.perf_counter() - started < BOUND
    assert [problem.message.split(":")[1] for problem in result.skipped] == [
        " a session heading without '(start - end)' times"
    ]


def test_long_lines_are_still_read_for_what_they_say() -> None:
    # Linear reading must not mean giving up on long lines: they keep their meaning.
    spaces = " " * SIZE
    result = import_markdown(
        f"# Title{spaces}#\n## Thursday,{spaces}23rd of{spaces}October{spaces}2025\n"
        f"### Session 1: A{spaces}B{spaces}({spaces}9:00{spaces}-{spaces}10:00 AM{spaces})\n"
        f"#### 1.{spaces}Question\n**Speakers:** Ana{spaces}(Chair{spaces})\n",
        "agenda.md",
    )
    assert result.skipped == []
    assert result.pack["title"] == "Title"
    (day,) = result.pack["days"]
    assert day["date"] == "2025-10-23"
    (session,) = day["sessions"]
    assert (session["label"], session["title"]) == ("Session 1", f"A{spaces}B")
    assert (session["start"], session["end"]) == ("09:00", "10:00")
    assert session["questions"] == [{"title": "Question"}]
    assert session["speakers"] == [{"name": "Ana", "role": "Chair"}]


def test_a_24_hour_start_before_a_pm_end_is_read_not_a_crash() -> None:
    # "13:00 - 5:00 PM": the start cannot take the end's PM, so it stays 24-hour
    # (this was an AssertionError, reported as an internal error).
    session = parse_session("Review (13:00 - 5:00 PM)")
    assert session is not None
    assert (session["start"], session["end"]) == ("13:00", "17:00")


# ---------------------------------------------------------------- at scale


def test_800_kb_of_continued_lines_import_within_two_seconds() -> None:
    # Each continued line copied the field's text so far: 800 KB took 8 s, 400 KB 1.8 s.
    lines = SIZE * 4
    text = SESSION + "**Context:** c\n" + "a\n" * lines + "\n**Question:** q\n"
    assert len(text) > 800_000
    started = time.perf_counter()
    result = import_markdown(text, "agenda.md")
    assert time.perf_counter() - started < 2.0
    (question,) = result.pack["days"][0]["sessions"][0]["questions"]
    assert question["context"] == "c" + "\na" * lines
    assert question["question"] == "q"


def test_continued_lines_and_paragraphs_join_as_they_did() -> None:
    text = SESSION + (
        "**Context:**\nfirst\nsecond  \n\nnew paragraph\n"
        "**Question:** replaced\n**Question:** asked\nagain\n\n\nlast\n"
        "#### 2. R\n**Context:** alone  \n"
    )
    result = import_markdown(text, "agenda.md")
    assert result.skipped == []
    first, second = result.pack["days"][0]["sessions"][0]["questions"]
    assert first["context"] == "first\nsecond\n\nnew paragraph"
    # A field given again starts over, as the last one given wins.
    assert first["question"] == "asked\nagain\n\nlast"
    assert second == {"title": "R", "context": "alone"}


def test_a_field_of_500000_lines_is_written_as_yaml_within_two_seconds() -> None:
    # Its |- block was read back by PyYAML's parser: some 10 s for these 1 MB.
    from briefpack.authoring.yaml_writer import dump_pack

    context = "\n".join(["c", *("a" * 500_000)])
    question = {"title": "Q", "context": context, "question": "q"}
    session = {"title": "A", "start": "09:00", "end": "10:00", "questions": [question]}
    pack = {"title": "T", "days": [{"date": "2025-10-23", "sessions": [session]}]}
    started = time.perf_counter()
    text = dump_pack(pack)
    assert time.perf_counter() - started < 2.0
    assert "            context: |-\n              c\n              a\n" in text


def test_50000_speakers_are_written_as_yaml_within_four_seconds() -> None:
    # Each value was read back by its own PyYAML parse: 21 s for these.
    from briefpack.authoring.yaml_writer import dump_pack

    speakers = [{"name": f"Speaker {n}", "role": f"Head of Team {n}"} for n in range(50_000)]
    session = {"title": "A", "start": "09:00", "end": "10:00", "speakers": speakers}
    pack = {"title": "T", "days": [{"date": "2025-10-23", "sessions": [session]}]}
    started = time.perf_counter()
    text = dump_pack(pack)
    assert time.perf_counter() - started < 4.0
    assert text.endswith("          - name: Speaker 49999\n            role: Head of Team 49999\n")


#: Values the writer must quote, keep plain or write as blocks: YAML 1.1's
#: booleans, numbers, dates and nulls, its indicators, and text with none of them.
TRICKY = [
    *("yes", "No", "ON", "off", "y", "n", "true", "False", "null", "Null", "~", ""),
    *("1", "-1", "+1", "1.10", "1_000", "0x1F", "0o17", "0b101", "1e3", "1.5e-3", "190:20"),
    *(".inf", "-.Inf", ".NaN", "NaN", "2025-10-23", "2025-10-23 10:00", "<<", "="),
    *("Ana", "Ana Lima", "Zoë Ñúñez", "名前", "R&D", "(CTO)", "Inc.", "d'Arc", "a - b"),
    *("a, b", "a (b", "½", "x_y", "1st", "No. 1", "Yes we can", "a  b", "trailing "),
    *(" leading", "-dash", "'quoted'", '"double"', "a: b", "a #b", "a#b", "a:b", "[x]"),
    *("{x}", "*alias", "&anchor", "!tag", "%directive", "@at", "`tick", "|pipe", ">fold"),
    *("?q", "a\tb", "a\nb", "a\n\nb", "tab\t", "x\\y", "\u2028", "a\x85b", "é" * 100),
    *("line one\n\nline two", "a\n#b\n- c: d\n---", "x\n  indented", " lead\nx", "a\nb "),
    *("a\n", "\na", "a\n\u00adb", "a\n\tb", "a\n   \nb", "x\ny\n" * 50 + "z"),
    # YAML reads none of these raw: they are escaped (they were "cannot write" errors).
    *("a\x7fb", "T\x9f", "a\x85b\x01\u2029", "soft\xadhyphen\U0001f600\x7f"),
    "word " * 40,
    "a" * 200,
]


@pytest.mark.parametrize("key", ["name", "role", "title", "question", "context", "label"])
def test_the_writers_shortcuts_write_what_pyyamls_own_read_back_chose(
    key: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Values known to be plain text skip the parse: the output is what the parse chose."""
    from briefpack.authoring import yaml_writer

    def written() -> list[list[str]]:
        return [
            yaml_writer._scalar("      - ", key, value, 8, prose=key in yaml_writer._PROSE)
            for value in TRICKY
        ]

    fast = written()
    monkeypatch.setattr(yaml_writer, "_plain_as_is", lambda text: False)
    assert fast == written()
    for value, lines in zip(TRICKY, fast, strict=True):
        assert yaml_writer._reads_back(lines, "      - ", key, value)


def test_400000_text_runs_are_merged_in_linear_time() -> None:
    # A question of many lines is as many runs of text: adding each to the run so
    # far copied it, 9 s for these (and validate reads an imported question so).
    from briefpack.content.markdown import LineBreak, Text, _merge_text

    runs = [Text("a\n") for _ in range(400_000)]
    started = time.perf_counter()
    merged = _merge_text([*runs, LineBreak(), Text(""), Text("b"), Text(""), Text("c")])
    assert time.perf_counter() - started < 1.0
    assert merged == (Text("a\n" * 400_000), LineBreak(), Text("bc"))
