"""SVG logos and pictures the renderer fails on or draws without end are refused by
``validate`` as the build fails, at their line, before the time limit; as designers
make them, they still validate and build.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import MINIMAL_PACK, run
from theme_helpers import build_pack, one_line_at, pack_with_theme

# SVG logos WeasyPrint fails to draw or draws without end: validate refused none of them.
_SVG_OPEN = (
    '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
    'width="100" height="20">'
)
_BOMB_LEVELS = "".join(
    f'<g id="a{level}">' + f'<use href="#a{level - 1}"/>' * 10 + "</g>" for level in range(1, 10)
)
HOSTILE_SVGS = {
    "style import": (
        _SVG_OPEN
        + "<style>@import url(file:///etc/passwd);</style><rect width='9' height='9'/></svg>",
        "@import",
    ),
    "escaped import": (_SVG_OPEN + r"<style>@\69mport 'x.css';</style></svg>", "@import"),
    "deep nesting": (_SVG_OPEN + "<g>" * 100_000 + "</g>" * 100_000 + "</svg>", "100 deep"),
    "use loop": (
        _SVG_OPEN + '<g id="a"><use href="#b"/></g><g id="b"><use xlink:href="#a"/></g></svg>',
        "loop",
    ),
    "use of its own ancestor": (_SVG_OPEN + '<g id="a"><use href="#a"/></g></svg>', "loop"),
    "use bomb": (
        _SVG_OPEN + '<defs><rect id="a0" width="1" height="1"/>' + _BOMB_LEVELS + "</defs>"
        '<use href="#a9"/></svg>',
        "over 10000 elements",
    ),
    "nested svg image": (
        _SVG_OPEN + '<image href="other.svg" width="9" height="9"/></svg>',
        "another SVG",
    ),
}


@pytest.mark.parametrize(("logo", "words"), HOSTILE_SVGS.values(), ids=HOSTILE_SVGS.keys())
def test_a_logo_svg_the_renderer_fails_or_draws_without_end_is_refused_by_validate_and_build(
    tmp_path: Path, logo: str, words: str
) -> None:
    pack = pack_with_theme(tmp_path, theme_yaml="logo: logo.svg\n")
    (tmp_path / "brand" / "logo.svg").write_text(logo, encoding="utf-8")
    (tmp_path / "brand" / "other.svg").write_text(_SVG_OPEN + "</svg>", encoding="utf-8")
    where = f"{tmp_path / 'brand' / 'theme.yaml'}:1:7: "
    code, _, err = run("validate", str(pack))
    assert code == 1
    assert words in one_line_at(err, where)
    code, err = build_pack(pack, "pdf")
    assert code == 1
    assert words in one_line_at(err, where)


def test_a_content_svg_that_draws_without_end_is_left_out_with_a_warning_at_its_line(
    tmp_path: Path,
) -> None:
    # Pictures in content pass the same check as a theme's logo; one refused is
    # not embedded (its description is kept), by validate and build alike.
    svg, words = HOSTILE_SVGS["use bomb"]
    (tmp_path / "bomb.svg").write_text(svg, encoding="utf-8")
    pack = tmp_path / "pack.yaml"
    question = "question: Where are we going?"
    pack.write_text(MINIMAL_PACK.replace(question, f"{question} ![bomb](bomb.svg)"), "utf-8")
    code, _, err = run("validate", str(pack))
    assert code == 0, err
    warning = one_line_at(err, f"{pack}:10:")
    assert "image 'bomb.svg' not embedded" in warning
    assert words in warning
    code, err = build_pack(pack, "pdf")
    assert code == 0, err
    assert words in one_line_at(err, f"{pack}:10:")


def test_a_logo_svg_with_defs_uses_and_groups_as_designers_make_them_validates_and_builds(
    tmp_path: Path,
) -> None:
    # The bounds are far from a real logo: 40 deep, 200 uses of a shape, a <style>.
    nested = "<g>" * 40 + '<use href="#dot" x="1"/>' * 200 + "</g>" * 40
    logo = (
        _SVG_OPEN + "<style>rect { fill: #0b4a7d }</style>"
        '<defs><g id="dot"><rect width="1" height="1"/><use href="#bar"/></g>'
        '<rect id="bar" width="2" height="1"/></defs>' + nested + "</svg>"
    )
    pack = pack_with_theme(tmp_path, theme_yaml="logo: logo.svg\n")
    (tmp_path / "brand" / "logo.svg").write_text(logo, encoding="utf-8")
    code, _, err = run("validate", str(pack))
    assert code == 0, err
    code, err = build_pack(pack, "pdf")
    assert code == 0, err


def test_svg_pictures_the_renderer_fails_on_are_refused_by_validate_as_the_build_fails(
    tmp_path: Path,
) -> None:
    # No list of checks holds every way WeasyPrint fails a picture: validate draws each.
    pack = pack_with_theme(tmp_path, theme_yaml="logo: logo.svg\n")
    logo = tmp_path / "brand" / "logo.svg"
    logo.write_text(_SVG_OPEN + '<rect width="5" height="5" opacity="x"/></svg>', "utf-8")
    picture = tmp_path / "clipped.svg"
    picture.write_text(
        _SVG_OPEN + '<clipPath id="c"><rect width="5" height="5" clip-path="url(#c)"/></clipPath>'
        '<rect width="9" height="9" clip-path="url(#c)"/></svg>',
        "utf-8",
    )
    question = "question: Where are we going?"
    text = pack.read_text(encoding="utf-8")
    pack.write_text(text.replace(question, f"{question} ![clipped](clipped.svg)"), "utf-8")
    code, _, err = run("validate", str(pack))
    assert code == 1
    assert "ValueError" in one_line_at(err, f"{logo}: the renderer cannot draw this SVG picture")
    assert "RecursionError" in one_line_at(err, f"{picture}: the renderer cannot draw")
    code, err = build_pack(pack, "pdf")
    assert code == 1
    assert err.count("rendering failed: Failed to render SVG image") == 2


def test_a_marker_bomb_logo_or_picture_is_refused_at_its_line_not_after_the_time_limit(
    tmp_path: Path,
) -> None:
    # The attacker's markers.py: markers three deep on 1,000-vertex paths took
    # validate 300 s and 1.4 GB, then named neither the picture nor its line.
    d = "M0 0" + " l0.01 0" * 1000
    markers = f'<marker id="m0"><path d="{d}"/></marker>' + "".join(
        f'<marker id="m{i}"><path d="{d}" marker-mid="url(#m{i - 1})"/></marker>' for i in (1, 2)
    )
    svg = f'{_SVG_OPEN}<defs>{markers}</defs><path d="{d}" marker-mid="url(#m2)"/></svg>'
    pack = pack_with_theme(tmp_path, theme_yaml="logo: logo.svg\n")
    (tmp_path / "brand" / "logo.svg").write_text(svg, encoding="utf-8")
    code, _, err = run("validate", str(pack))
    assert code == 1
    assert "marker" in one_line_at(err, f"{tmp_path / 'brand' / 'theme.yaml'}:1:7: ")
    (tmp_path / "brand" / "theme.yaml").write_text("name: brand\n", encoding="utf-8")
    (tmp_path / "brand" / "logo.svg").unlink()
    (tmp_path / "markers.svg").write_text(svg, encoding="utf-8")
    question = "question: Where are we going?"
    pack.write_text(pack.read_text("utf-8").replace(question, f"{question} ![m](markers.svg)"))
    code, _, err = run("validate", str(pack))
    assert code == 0, err
    assert "marker" in one_line_at(err, f"{pack}:10:")


def test_a_picture_that_draws_past_validates_time_limit_is_named_not_a_template(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A pack with no template of its own was told it 'took longer than the time
    # limit ... which validate holds a template to', at the pack file: each SVG is
    # now drawn as a job of its own, named by its file (limit shortened here).
    from briefpack.build import trial
    from briefpack.build.render_limits import Limits

    monkeypatch.setattr(trial, "TRIAL_LIMITS", Limits(seconds=0.2))
    # 2,000 dots along a path: within the SVG check's bounds, 0.5 s to draw.
    d = "M0 0" + " l0.01 0.01" * 2000
    (tmp_path / "dots.svg").write_text(
        f'{_SVG_OPEN}<marker id="m"><circle cx="1" cy="1" r="1"/></marker>'
        f'<path d="{d}" marker-mid="url(#m)"/></svg>',
        encoding="utf-8",
    )
    (tmp_path / "plain.svg").write_text(_SVG_OPEN + "</svg>", encoding="utf-8")
    pack = tmp_path / "pack.yaml"
    question = "question: Where are we going?"
    pack.write_text(MINIMAL_PACK.replace(question, f"{question} ![d](dots.svg)"), "utf-8")
    code, _, err = run("validate", str(pack))
    assert code == 1
    line = one_line_at(err, f"{tmp_path / 'dots.svg'}: ")
    assert "time limit of 0.2 s" in line
    assert "each SVG picture" in line
    assert str(pack) not in err
