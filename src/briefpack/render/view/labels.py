"""The fixed words of a pack's pages, worded once in the reader's language.

Both writers print the same headings and labels ("At a glance", "Answer",
"No follow-ups"); worded here, they cannot drift apart, and a writer never
asks the catalogue itself.  Each is a message of the catalogues, extracted
from this module as the writers' were.
"""

from __future__ import annotations

from dataclasses import dataclass

from briefpack.render.wording import Wording


@dataclass(frozen=True, slots=True)
class Labels:
    """Every fixed label of the pages, in the reader's language (plain text, unescaped)."""

    briefing_pack: str
    session_briefing: str
    at_a_glance: str
    day: str
    time: str
    session: str
    speakers: str
    questions: str
    pre_reads: str
    pre_read: str
    #: The at-a-glance column of each session's pre-reading time.
    reading: str
    attendees: str
    contents: str
    section: str
    page: str
    context: str
    question: str
    answer: str
    follow_up: str
    follow_ups: str
    not_answered: str
    no_follow_ups: str
    notes: str
    debrief: str
    answered: str
    unanswered: str
    change: str
    no_changes: str
    moved: str
    #: A Word copy cannot hold a pre-read's pages: where they are instead.
    pages_elsewhere: str
    #: The placeholders of a Word copy's answer fields.
    type_answer: str
    type_follow_ups: str
    #: The fields of a pack that names a register: the action a question raised (what,
    #: who, by when) and an item's decision, with their placeholders.
    action: str
    owner: str
    due_date: str
    decision: str
    type_action: str
    type_owner: str
    type_due: str
    type_decision: str


def labels_for(wording: Wording) -> Labels:
    """The labels in ``wording``'s language (its catalogue, or English without one)."""
    _ = wording.gettext
    return Labels(
        briefing_pack=_("Briefing pack"),
        session_briefing=_("Session briefing"),
        at_a_glance=_("At a glance"),
        day=_("Day"),
        time=_("Time"),
        session=_("Session"),
        speakers=_("Speakers"),
        questions=_("Questions"),
        pre_reads=_("Pre-reads"),
        pre_read=_("Pre-read"),
        reading=_("Reading"),
        attendees=_("Attendees"),
        contents=_("Contents"),
        section=_("Section"),
        page=_("Page"),
        context=_("Context"),
        question=_("Question"),
        answer=_("Answer"),
        follow_up=_("Follow-up"),
        follow_ups=_("Follow-ups"),
        not_answered=_("Not answered"),
        no_follow_ups=_("No follow-ups"),
        notes=_("Notes"),
        debrief=_("Debrief"),
        answered=_("Answered"),
        unanswered=_("Unanswered"),
        change=_("Change"),
        no_changes=_("No changes"),
        moved=_("Moved"),
        pages_elsewhere=_("The pages are in the PDF copy of this pack."),
        type_answer=_("Type the answer here."),
        type_follow_ups=_("Type any follow-ups here."),
        action=_("Action"),
        owner=_("Owner"),
        due_date=_("Due (YYYY-MM-DD)"),
        decision=_("Decision"),
        type_action=_("Type the action this question raised, if any."),
        type_owner=_("Type who is to do it."),
        type_due=_("Type the date it is due, as YYYY-MM-DD."),
        type_decision=_("Type the decision the meeting took."),
    )
