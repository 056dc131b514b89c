"""The HTML writer: the pack merged through the theme's Jinja2 templates.

The HTML is what the PDF is rendered from, and it previews in a browser as it
is: the stylesheet is inline and the fonts are referred to as ``fonts/...``,
which resolves against the theme folder when WeasyPrint renders and against
the copy of the fonts that the build puts next to the HTML file.

Content is data: autoescaping is on for every template (``select_autoescape``
would miss ``.html.j2``), undefined names fail loudly, and Markdown reaches the
page only through :func:`markdown_html`, which escapes every piece of text.
A template is code from the theme, which may come from anyone: it runs in
the sandbox of :mod:`briefpack.render.sandbox`, with the values and functions
given here and nothing else, and its errors are reported at its own lines.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import replace
from functools import cache
from pathlib import Path

import jinja2
from markupsafe import Markup, escape

from briefpack import __version__
from briefpack.errors import BriefpackError, Problem
from briefpack.model import Pack, Question, Session
from briefpack.model.rich_text import (
    Block,
    BulletList,
    Code,
    CodeBlock,
    Emphasis,
    Image,
    Inline,
    LineBreak,
    Link,
    Markdown,
    OrderedList,
    Paragraph,
    RevisedBlock,
    Revision,
    Strong,
    Text,
)
from briefpack.model.theme import Theme
from briefpack.render import wording as display
from briefpack.render.book.pre_reads import page_anchor
from briefpack.render.builtin_themes import templates_dir
from briefpack.render.column_widths import glance_widths
from briefpack.render.rendered import Rendered
from briefpack.render.sandbox import ThemeLoader, ThemeSandbox, template_problems
from briefpack.render.scrub import refuse_reaching_out, style_text, with_policy
from briefpack.render.settings import RenderSettings
from briefpack.render.theme_css import (
    css_string,
    glance_columns,
    logo_css,
    logo_url,
    running_text,
    theme_css,
)
from briefpack.render.view import PackView, SessionView, build_view
from briefpack.render.view.anchors import day_anchor, link_descriptions, session_anchor
from briefpack.render.view.front import initials
from briefpack.render.view.sessions import kept_questions, marked_speakers

#: CSS page sizes by paper name.
PAGE_SIZES = {"a4": "A4", "letter": "letter"}
#: Folder, beside the HTML, that images from the content are referred to in.
IMAGES = "images"
#: The names of a book's front-matter parts (cover, at a glance, attendees; the
#: contents); any other part is a session's id.  A session id is a slug, so it
#: cannot take either name.
FRONT_PART = ":front"
CONTENTS_PART = ":contents"


def render_html(pack: Pack, settings: RenderSettings) -> Rendered:
    """Render ``pack`` to a complete HTML document, UTF-8 encoded, its stylesheet inline."""
    # The page's policy comes first, so that no script of the template runs, and
    # what the policy does not govern (navigation, prefetching) is refused (scrub.py).
    html = html_document(pack, settings)
    refuse_reaching_out(html, settings.chosen_theme.template)
    return Rendered(with_policy(html).encode("utf-8"))


def html_document(
    pack: Pack,
    settings: RenderSettings,
    inline_stylesheet: bool = True,
    part: str | None = None,
    page_of: Mapping[str, int] | None = None,
) -> str:
    """Render ``pack`` to an HTML document; with the theme's stylesheet inline unless told not.

    The PDF writer leaves the stylesheet out and gives WeasyPrint the
    stylesheet it has parsed once, with its fonts loaded.  ``part`` limits
    the document to one part of a book made from parts: the front matter
    (:data:`FRONT_PART`), the contents (:data:`CONTENTS_PART`) or one session
    (its id).  ``page_of`` gives the contents its numbers (anchor -> page),
    which WeasyPrint cannot count across parts.
    """
    theme = settings.chosen_theme
    wording = display.wording_for(pack.options.language, pack.options.time_format)
    with template_problems(theme.template):
        environment = _environment(theme.template.parent, wording)
        template = environment.get_template(theme.template.name)
        return _render(template, pack, settings, inline_stylesheet, part, page_of)


def _render(
    template: jinja2.Template,
    pack: Pack,
    settings: RenderSettings,
    inline_stylesheet: bool,
    part: str | None,
    page_of: Mapping[str, int] | None,
) -> str:
    """``template`` rendered with every value and function briefpack gives a template.

    ``view`` is what the document contains (:mod:`briefpack.render.view`); the
    rest is how it looks on the page, and the names that theme templates
    written before the view read (:func:`_earlier_names`).
    """
    theme = settings.chosen_theme
    wording = display.wording_for(pack.options.language, pack.options.time_format)
    if part not in (None, FRONT_PART, CONTENTS_PART):
        # A session's part shows that session alone: its view is made from the
        # session in its day (pack.scope), not from every session of the pack,
        # which made planning a book's parts grow with the square of its sessions.
        pack = replace(pack, days=pack.scope(part)[0])
    view = build_view(pack, settings)
    changes = view.changes is not None
    return template.render(
        view=view,
        **_earlier_names(view, pack, settings),
        version=__version__,
        # The stylesheet is the theme's own file, not content: it is marked safe
        # deliberately, because autoescaping would turn its quotes into &#34;
        # and WeasyPrint would then drop the rules that use them.  It may come
        # from anyone, so it cannot end its <style> element (style_text).
        stylesheet=(
            Markup(style_text(stylesheet_text(theme, pack.agenda))) if inline_stylesheet else None
        ),
        # The agenda's styles are the stylesheet's only for such a pack: said in the HTML,
        # so that a part's key (made from its HTML) tells the two apart.
        agenda_styles=pack.agenda,
        page_size=PAGE_SIZES[settings.paper],
        # A change-marked pack numbers its changes page apart (roman), the rest as the pack.
        page_footer=page_footer_css(wording, PACK_TOTAL if changes else "counter(pages)"),
        front_footer=front_footer_css(wording) if changes else None,
        part=part,
        show_front=part in (None, FRONT_PART),
        show_contents=part in (None, CONTENTS_PART),
        show_sessions=part not in (FRONT_PART, CONTENTS_PART),
        page_number=lambda anchor: _page_number(anchor, page_of),
        part_anchors=_part_anchors(pack, settings) if part in (FRONT_PART, CONTENTS_PART) else [],
        created=_iso(settings.created),
        logo=logo_url(theme),
        # The latest version's QR code: segno's SVG, its title escaped; drawn, never fetched.
        latest_qr=Markup(view.cover.latest.svg) if view.cover.latest else None,
        # The at-a-glance table's columns, measured from its words as the Word copy's are.
        glance_columns=glance_columns(
            glance_widths([view.glance], view.labels, theme, settings.paper).columns
        )
        if view.glance is not None and part in (None, FRONT_PART)
        else [],
        # The running header's titles, shortened to one line of its boxes (theme_css.py).
        running_title=running_text(pack.title, theme, settings.paper, "left"),
        running_session=lambda session: running_text(
            _heading(session), theme, settings.paper, "right"
        ),
        page_anchor=page_anchor,
    )


def _part_anchors(pack: Pack, settings: RenderSettings) -> list[str]:
    """The places the document shows, for a front part's stand-ins (the book's are the real ones).

    Only those its pages have: a session pack's own session (and its day's
    heading only where the session opens the day), so that no stand-in of a
    place elsewhere is left in the book as a destination.
    """
    days = pack.scope(settings.session)[0]
    anchors = link_descriptions(replace(pack, days=days), pack.options.language)
    for day in days:
        if day.continued:
            anchors.pop(day_anchor(day.date), None)
    return sorted(anchors)


def _earlier_names(view: PackView, pack: Pack, settings: RenderSettings) -> dict[str, object]:
    """What a theme's template read before the view, made from the view where it holds it.

    A theme written against them keeps working; the built-in template reads
    ``view`` (and ``pack`` for the document's metadata) instead.
    """
    days, session_pack = pack.scope(settings.session)
    models = {session.id: session for day in days for session in day.sessions}
    shown = [session for day in view.days for session in day.sessions]
    return {
        "pack": pack,
        "lang": view.language,
        "days": days,
        "session_pack": session_pack,
        "settings": settings,
        "keywords": list(view.keywords),
        "event_dates": view.event_dates,
        "summary": view.summary,
        "sensitive": view.cover.sensitive,
        "anchors": _anchors(pack),
        # A tagged PDF needs words for every picture: whose logo it is.
        "logo_alt": view.logo_alt,
        "debrief_tally": lambda session: _tally(view, session),
        "debrief_follow_ups": lambda: _follow_ups(view, pack),
        "changes_title": view.changes.title if view.changes else None,
        "prepared_for": view.prepared_for,
        # The shown sessions (the model's) whose views name the attendee.
        "sessions_of": lambda attendee: [
            models[session.id] for session in shown if attendee.name in session.attendees
        ],
    }


def _tally(view: PackView, session: Session) -> tuple[int, int, int]:
    """A shown session's debrief tally from the view, as ``debrief_tally`` gave it.

    Answered, unanswered, follow-ups; outside a debrief, every question its
    view shows unanswered.
    """
    tallies = view.debrief.tallies if view.debrief is not None else ()
    for tally in tallies:
        if tally.session_id == session.id:
            return tally.answered, tally.unanswered, tally.follow_ups
    shown = next(s for day in view.days for s in day.sessions if s.id == session.id)
    return 0, len(shown.questions), 0


def _follow_ups(view: PackView, pack: Pack) -> list[tuple[Question, str]]:
    """The debrief's follow-ups with their questions, as ``debrief_follow_ups`` gave them."""
    questions = {question.key: question for question in pack.questions}
    follow_ups = view.debrief.follow_ups if view.debrief is not None else ()
    return [(questions[follow_up.key], follow_up.text) for follow_up in follow_ups]


def _heading(session: Session | SessionView) -> str:
    """A session's heading, from its view (the template's) or the model (an older theme's)."""
    return session.heading if isinstance(session, SessionView) else display.session_heading(session)


#: What a template may call of Jinja's own globals: ``range`` (the sandbox's,
#: bounded), ``namespace`` and the catalogue's functions; not ``dict``,
#: ``lipsum``, ``cycler`` or ``joiner``, which briefpack does not promise.
_JINJA_GLOBALS = frozenset(
    {"range", "namespace", "_", "gettext", "ngettext", "pgettext", "npgettext"}
)


@cache
def _environment(theme_dir: Path, wording: display.Wording) -> jinja2.Environment:
    """The theme's templates in one language: ``_()`` and ``ngettext()`` use its catalogue.

    Sandboxed (see :mod:`briefpack.render.sandbox`): Jinja's filters are part
    of its language and stay; its globals are cut to :data:`_JINJA_GLOBALS`,
    then briefpack's own are added.
    """
    environment = ThemeSandbox(
        loader=ThemeLoader(theme_dir),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        extensions=["jinja2.ext.i18n"],
    )
    # Newstyle gettext escapes the values put into a message and fills in %(num)d.
    environment.install_gettext_translations(  # type: ignore[attr-defined]
        wording.translations, newstyle=True
    )
    for name in set(environment.globals) - _JINJA_GLOBALS:
        del environment.globals[name]
    environment.filters["markdown"] = markdown_html
    # Marks a title's or label's changed words: how a changes copy shows them (the template).
    environment.globals["inlines"] = _inlines
    # What theme templates written before the view call to word or count the contents;
    # the view holds all of it (render/view), but they keep working.
    environment.globals.update(
        clock_time=wording.clock_time,
        time_range=wording.time_range,
        day_heading=wording.day_heading,
        weekday=wording.weekday,
        day_and_month=wording.day_and_month,
        questions=wording.questions,
        pages=wording.pages,
        session_heading=display.session_heading,
        initials=initials,
        times=wording.times,
        status_label=wording.status_label,
        change_lines=wording.change_lines,
        marked_speakers=marked_speakers,
        kept_questions=kept_questions,
    )
    return environment


def page_footer_css(wording: display.Wording, total: str = "counter(pages)") -> Markup:
    """ "Page X of Y" in the pack's language as a CSS ``content`` value with page counters.

    ``total`` is Y: the pages of the document, or (:data:`PACK_TOTAL`) the number of
    its last page, where a front-matter page does not count among them.  Made from
    the catalogue, not from content, and written by
    :func:`~briefpack.render.theme_css.css_string`, which escapes every
    character that could end the string or the ``<style>``; so it is marked
    safe deliberately.
    """
    counters = {"{page}": "counter(page)", "{pages}": total}
    return Markup(" ").join(
        Markup(counters[piece]) if piece in counters else Markup(css_string(piece))
        for piece in wording.page_footer()
    )


#: The pack's own page count where a front-matter page (the changes page) is not counted:
#: the number of the pack's last page, marked by an empty block there (see the template).
PACK_TOTAL = 'target-counter("#pack-end", page)'


def front_footer_css(wording: display.Wording) -> Markup:
    """The footer of a front-matter page: "Page ii", its number in roman, without a total."""
    pieces = wording.page_footer()
    shown = pieces[: pieces.index("{page}") + 1] if "{page}" in pieces else pieces
    return Markup(" ").join(
        Markup("counter(page, lower-roman)") if piece == "{page}" else Markup(css_string(piece))
        for piece in shown
        if piece != "{pages}"
    )


def stylesheet_text(theme: Theme, agenda: bool = False) -> str:
    """The CSS made from the theme, then its print stylesheet (read on every render).

    With ``agenda`` (a pack that reads as one, :attr:`briefpack.model.Pack.agenda`,
    and the minutes), the agenda's styles after them (:func:`agenda_stylesheet`).
    """
    try:
        stylesheet = theme.stylesheet.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        # The theme's file, checked when the theme was read, but it may have changed since.
        reason = "not UTF-8 text" if isinstance(error, UnicodeDecodeError) else error.strerror
        raise BriefpackError(
            [Problem(str(theme.stylesheet), f"cannot read the stylesheet: {reason}")]
        ) from None
    text = theme_css(theme) + "\n" + stylesheet + "\n" + logo_css(theme)
    return text + "\n" + agenda_stylesheet() if agenda else text


@cache
def agenda_stylesheet() -> str:
    """``templates/agenda.css``: the styles only a pack that reads as an agenda uses.

    Kept apart so that a pack without agenda keys renders (byte for byte) as it did
    before they existed, and added after any theme's stylesheet, its own included.
    """
    return (templates_dir() / "agenda.css").read_text(encoding="utf-8")


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _anchors(pack: Pack) -> dict[object, str]:
    """Fragment ids for days (by date) and sessions (by id), unique in the document."""
    anchors: dict[object, str] = {}
    for day in pack.days:
        anchors[day.date] = day_anchor(day.date)
        for session in day.sessions:
            anchors[session.id] = session_anchor(session)
    return anchors


def _page_number(anchor: str, page_of: Mapping[str, int] | None) -> Markup:
    """The page ``anchor`` is on: known (a book from parts), or counted by WeasyPrint."""
    if page_of is not None and anchor in page_of:
        return Markup('<span class="toc-page-number">%s</span>') % page_of[anchor]
    return Markup('<span class="toc-page-number" data-target="#%s"></span>') % anchor


def markdown_html(markdown: Markdown) -> Markup:
    """Render a Markdown tree as HTML; every piece of text is escaped."""
    return Markup("").join(_block(block) for block in markdown.blocks)


def _block(block: Block) -> Markup:
    if isinstance(block, Paragraph):
        return Markup("<p>%s</p>\n") % _inlines(block.children)
    if isinstance(block, BulletList):
        return Markup("<ul>\n%s</ul>\n") % _items(block.items)
    if isinstance(block, OrderedList):
        start = Markup(' start="%d"') % block.start if block.start != 1 else Markup("")
        return Markup("<ol%s>\n%s</ol>\n") % (start, _items(block.items))
    if isinstance(block, CodeBlock):
        return Markup("<pre><code>%s</code></pre>\n") % block.text
    if isinstance(block, RevisedBlock):
        # A whole block added or removed since the version the reader had.
        tag = Markup("ins") if block.kind == "insert" else Markup("del")
        return Markup('<%s class="revised-block">\n%s</%s>\n') % (tag, _block(block.block), tag)
    return Markup("<blockquote>\n%s</blockquote>\n") % Markup("").join(
        _block(child) for child in block.children
    )


def _items(items: Iterable[tuple[Block, ...]]) -> Markup:
    return Markup("").join(
        Markup("<li>%s</li>\n") % Markup("").join(_block(block) for block in item) for item in items
    )


def _inlines(children: Iterable[Inline]) -> Markup:
    return Markup("").join(_inline(child) for child in children)


def _inline(inline: Inline) -> Markup:
    if isinstance(inline, Text):
        return escape(inline.text)
    if isinstance(inline, Strong):
        return Markup("<strong>%s</strong>") % _inlines(inline.children)
    if isinstance(inline, Emphasis):
        return Markup("<em>%s</em>") % _inlines(inline.children)
    if isinstance(inline, Code):
        return Markup("<code>%s</code>") % inline.text
    if isinstance(inline, Link):
        return Markup('<a href="%s">%s</a>') % (inline.href, _inlines(inline.children))
    if isinstance(inline, Revision):
        tag = Markup("ins") if inline.kind == "insert" else Markup("del")
        return Markup("<%s>%s</%s>") % (tag, _inlines(inline.children), tag)
    if isinstance(inline, Image):
        return Markup('<img src="%s/%s" alt="%s">') % (IMAGES, inline.name, inline.alt)
    assert isinstance(inline, LineBreak)
    return Markup("<br>")
