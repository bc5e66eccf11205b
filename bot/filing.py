"""Opening a ticket: the one place a report becomes a ticket, an event and an ack.

Used by the intake pipeline for a new report and by the desk when a worker files a
message the classifier had taken for chatter, so both produce the same record and the
same acknowledgement.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Protocol

from bot import i18n
from bot.adapters.base import Attachment, Button
from bot.conduct import desk_names, is_about_the_desk
from bot.config import Config, IntakeGroup
from bot.involved import read_involved
from bot.privacy import reporter_named
from bot.render import Renderer, involved_text
from bot.supervision import grid_of
from bot.turn import Turn, person_name
from bot.workflow import HOTLINE_CHANNEL, Role, Source, files_as_reported, more_urgent
from classifier import NOT_A_REPORT, Classification
from classifier.rules import ABOUT_THE_DESK, model_alone_urgent, rule_urgency
from classifier.taxonomy import OTHER
from storage.base import NewTicket, PersonRecord, TicketRecord, Tx


def source_of(reporter: PersonRecord, channel: str, chat_id: str, config: Config) -> Source:
    """A report's source, as it is filed: a grid worker's, another of the desk's (whose
    messages are reports only when declared or dangerous), or a resident's, in a group or
    one to one; or a hotline's work order (`bot.hotline`)."""
    if channel == HOTLINE_CHANNEL:
        return Source.HOTLINE
    role = Role(reporter.role)
    if role is Role.GRID_WORKER:
        return Source.GRID
    if not files_as_reported(role):
        return Source.DESK
    return Source.GROUP if config.is_public_group(channel, chat_id) else Source.PRIVATE


@dataclass(frozen=True)
class Report:
    """A message that is to become a ticket, wherever it was first seen."""

    channel: str
    chat_id: str
    message_id: str
    inbound_id: int
    reporter: PersonRecord
    text: str
    area: str | None  # None: a hotline work order no area was found for (`bot.hotline`)
    attachments: tuple[Attachment, ...] = ()
    thread_id: str | None = None  # the thread of its chat it was written in
    anonymous: bool = False  # asked to be (匿名反映): its reporter named to staff only


async def home_area(tx: Tx, config: Config, resident: PersonRecord, channel: str) -> str | None:
    """The area a resident's private report (私下反映) on `channel` is filed for: the one they
    chose (网格 DZ), else the channel's only area, else that of the intake group they last
    wrote in.  None when none of these is known."""
    if resident.area is not None:
        return resident.area
    groups = config.public_groups(channel)
    if len({g.area for g in groups}) == 1:
        return groups[0].area
    chat = await tx.latest_room_of(resident.id, channel, [g.chat_id for g in groups])
    return next((g.area for g in groups if g.chat_id == chat), None)


async def resident_area(
    tx: Tx, config: Config, resident: PersonRecord, channel: str, point: IntakeGroup | None
) -> str | None:
    """The area a resident's message is filed for, sent to intake point `point` (None: one
    to one on a channel with no "*" point): a group's own area; on a "*" point (every
    conversation on a channel, as on WeChat) the grid they chose, else the point's; one to
    one elsewhere, a private report's (`home_area`)."""
    if point is None:
        return await home_area(tx, config, resident, channel)
    if point.chat_id == "*":
        return resident.area or point.area
    return point.area


def reports_about_the_desk(text: str, config: Config) -> bool:
    """Whether a report of `text` is filed as one about the desk's own people (作风反映,
    `bot.conduct`): the staff room's, kept from the grid (`bot.workflow.kept_from`)."""
    return config.intake.about_the_desk and is_about_the_desk(text, desk_names(config))


def one_event_apart(text: str, related: TicketRecord | None, config: Config) -> bool:
    """Whether a report of `text` and `related`, another resident's ticket it seems to tell
    again (疑似同一事件), are kept apart because one of them, not both, is about the desk's
    own people (作风反映): linked, the grid read "与 #1 疑似同一事件" of a ticket kept from it,
    and the 并案 suggested would move a case across that line (the fight into the staff's
    complaint, or the complaint into a case the grid works).  Staff read both in their
    room.  Candidates found by likeness are chosen on the report's side of the line in the
    first place (`on_its_side`); this is for the one a reply names."""
    if related is None:
        return False
    return not on_its_side(related, reports_about_the_desk(text, config))


def on_its_side(ticket: TicketRecord, about_the_desk: bool) -> bool:
    """Whether `ticket` is on the same side of the line as a report that is (or is not)
    about the desk's own people (作风反映): what a report may be linked to as the same event.
    Chosen among the candidates before the best is picked: picked first and dropped after,
    a grid report whose closest likeness was a 作风反映 was linked to nothing, though an
    earlier grid report of the same fight was there."""
    return (ABOUT_THE_DESK in ticket.rules) == about_the_desk


def takes_in(ticket: TicketRecord, about_the_desk: bool) -> bool:
    """Whether a resident's message, about the desk's own people (作风反映) or not, may be
    added to `ticket` (a part told on, a reply, a repeat, a visit's answer) rather than filed.
    One about the desk joins only a 作风反映: added to the grid's ticket, the grid workers
    read the complaint about themselves in its history (and its holder was sent it), and the
    staff room was never told of it.  Filed, it is a 作风反映 of its own, the staff room's.
    Any other message may join a 作风反映 (the complainant's next words about what the worker
    did or left undone): staff read it there, and nothing reaches the grid."""
    return not about_the_desk or ABOUT_THE_DESK in ticket.rules


def as_a_report(classification: Classification) -> Classification:
    """The classification of a message a person says is a report (`立案`, `上报`, a photo
    with no report in words): where the model saw chatter, the type is for a person to pick,
    too (`other`, flagged for triage), and its urgency at least 一般.  The model's urgency of
    chatter is 咨询/建议, which no report is for being unread: a photo of the flood filed so
    had seven working days to be claimed."""
    if classification.type != NOT_A_REPORT:
        return classification
    urgency = "normal" if classification.urgency == "low" else classification.urgency
    return replace(classification, type=OTHER, needs_triage=True, urgency=urgency)


async def file_ticket(
    turn: Turn,
    report: Report,
    classification: Classification,
    render: Renderer,
    config: Config,
    actor_id: int | None = None,
    related: TicketRecord | None = None,
    replying_to: TicketRecord | None = None,
) -> TicketRecord:
    """Create the ticket, its first event and attachments; queue the ack and staff notice.

    `actor_id` is who filed it (the reporter, unless a worker filed a logged message).
    `related`: another resident's ticket this one may be the same event as (recorded, and
    named to the desk; never to the group, which should not learn who else reported).
    `replying_to`: the finished ticket the report was sent in reply to, named to the desk:
    "还是没解决" under a closed case says nothing without it.
    """
    tx = turn.tx
    involved = read_involved(report.text)  # a first reading, put right with 涉及 12 …
    if reports_about_the_desk(report.text, config):
        # 作风反映: the staff room's, kept from the grid (`bot.workflow.kept_from`).
        classification = replace(classification, rules=(*classification.rules, ABOUT_THE_DESK))
    ticket = await tx.create_ticket(
        NewTicket(
            channel=report.channel,
            chat_id=report.chat_id,
            message_id=report.message_id,
            area=report.area,
            reporter_id=report.reporter.id,
            text=report.text,
            type=classification.type,
            type_confidence=classification.type_confidence,
            urgency=classification.urgency,
            urgency_confidence=classification.urgency_confidence,
            rules=classification.rules,
            needs_triage=classification.needs_triage,
            created_at=turn.now,
            people_involved=involved.people,
            amount_involved=involved.amount,
            source=source_of(report.reporter, report.channel, report.chat_id, config),
            thread_id=report.thread_id,
            anonymous=report.anonymous,
        )
    )
    await tx.add_event(
        ticket.id,
        actor_id if actor_id is not None else report.reporter.id,
        "created",
        turn.now,
        {
            "text": report.text,
            "type": ticket.type,
            "urgency": ticket.urgency,
            "rules": list(ticket.rules),
        },
    )
    if report.attachments:
        await tx.add_attachments(ticket.id, report.inbound_id, report.attachments)
    if related is not None:
        # Both histories name the other, so whoever holds either ticket sees both.
        for this, other in ((ticket, related), (related, ticket)):
            await tx.add_event(
                this.id, None, "same_event", turn.now,
                {"ticket": other.id, "label": render.label(other)},
            )
    lang = report.reporter.lang or config.language
    private = config.privately_reported(ticket.channel, ticket.chat_id)
    turn.to_ticket_chat(
        ticket,
        render.ack(ticket, lang, private=private, alerted=await alerted(tx, config, ticket)),
        kind="ack",
        buttons=render.ack_buttons(ticket, lang, private),
    )
    _notify_staff(turn, ticket, report, render, config, related, replying_to)
    # A resident's (by its source) one to one: kept from a group (私下反映), or where every
    # report is one to one (WeCom, an Official Account).  In a group its grid reads it there;
    # a grid worker's or staff member's own 上报 tells no colleague.
    # A danger a safety rule names, reported in a group, reaches its grid's workers privately
    # at once too: a group that chats all day is muted on many phones, and supervision's
    # first private word came 30 minutes later.  Not the model's urgent alone (a quarter of
    # a village group's small talk: `Renderer.ack`), which the desk checks first.
    urgent_here = ticket.source == Source.GROUP and rule_urgency(ticket.rules) == "urgent"
    # A hotline work order (`bot.hotline`) is a report no grid worker read in a group either.
    one_to_one = ticket.source in (Source.PRIVATE, Source.HOTLINE)
    if ticket.area is not None and (one_to_one or urgent_here):
        filer = actor_id if actor_id is not None else report.reporter.id
        key = "grid_private_report" if private else "grid_new_report"
        key = "grid_urgent_report" if urgent_here else key
        await _tell_the_grid(turn, ticket, ticket.area, report, render, config, filer, key)
    return ticket


async def alerted(tx: Tx, config: Config, ticket: TicketRecord) -> str:
    """Who hears of an urgent ticket as it is filed, as its acknowledgement may say
    (`Renderer.ack`): "desk", a staff room (`Config.notify_rooms`: 已通知值班人员); with none
    configured, "grid" when its area's grid workers are told privately (a resident's report,
    in a group or one to one: `_tell_the_grid`), else "" (a worker's or staff member's own
    上报, or an area with no grid worker), when the acknowledgement says nobody was."""
    if config.notify_rooms or ticket.urgency != "urgent":  # only an urgent ack names them
        return "desk"
    reported = ticket.source in (Source.GROUP, Source.PRIVATE, Source.HOTLINE)
    if reported and await grid_of(tx, ticket):
        return "grid"
    return ""


async def _tell_the_grid(
    turn: Turn,
    ticket: TicketRecord,
    area: str,
    report: Report,
    render: Renderer,
    config: Config,
    filer: int,
    key: str,
) -> None:
    """A resident's report made one to one tells its area's grid workers privately, with
    认领: they read it nowhere else.  A report in a group they see there, under its 认领
    button; one made one to one waited in 待办 until someone looked, or its time to be
    claimed ran out.  `key`: the notice's text, `grid_private_report` for one kept from a
    group (私下反映: not to be mentioned there), else `grid_new_report` (WeCom, an Official
    Account: every report is one to one, none is kept from anyone).  Not one about the
    desk's own people (作风反映): the staff room's alone (`grid_of`)."""
    number = render.number(ticket)
    for worker in await grid_of(turn.tx, ticket):
        if worker.id == filer:  # a worker filing it (立案) knows
            continue
        lang = worker.lang or config.language
        text = i18n.t(
            key,
            lang,
            ticket=render.label(ticket),
            area=config.area_name(area),
            type=render.type_text(ticket, lang, desk=True),  # 待人工研判: the model was unsure
            urgency=i18n.urgency_label(ticket.urgency, lang),
            reporter=reporter_named(
                person_name(report.reporter), ticket.anonymous, worker.role, lang
            ),
            text=render.report_words(ticket, report.text, report.attachments, lang),
            number=number,
        )
        claim = Button(i18n.name("button.claim", lang), f"/claim {number}")
        turn.direct(worker, text, ticket.id, buttons=[claim])


class Labelled(Protocol):
    """What a suggestion reads of a ticket (a `TicketRecord`, a ledger's `LedgerRow`)."""

    @property
    def type(self) -> str: ...
    @property
    def rules(self) -> Sequence[str]: ...


def suggested_for(ticket: Labelled, config: Config) -> str | None:
    """The department `[routing]` suggests for the ticket's type (建议承办), None if none:
    none for a report about the desk's own people (`suggested_department`), in its notice,
    its /ticket and the ledger's 建议承办部门 alike."""
    if ABOUT_THE_DESK in ticket.rules:
        return None
    return config.department_for(ticket.type)


def suggested_department(
    ticket: TicketRecord, render: Renderer, config: Config, lang: str | None
) -> tuple[str, list[Button]]:
    """The staff room's 建议承办 for a ticket's type, as a line ("" when none is set up) and
    the buttons that hand it on (转办 in one tap).  None for a report about the desk's own
    people (作风反映): its type is what they were dealing with ("收了他家的钱" read as a
    consumer matter, 建议承办：市场监管所), not who judges their conduct."""
    if ABOUT_THE_DESK in ticket.rules:
        return "", []
    department = suggested_for(ticket, config)
    handled_by = config.departments_for(ticket.type)
    number = render.number(ticket)
    text = ""
    if department and handled_by:  # the buttons' words too, for platforms without (WeChat)
        commands = i18n.t("or_sep", lang).join(
            i18n.t("dispatch_typed", lang, number=number, department=d.name) for d in handled_by
        )
        text = "\n" + i18n.t(
            "department_line_dispatch", lang, department=department, commands=commands
        )
    elif department:
        text = "\n" + i18n.t("department_line", lang, department=department)
    buttons = [
        Button(i18n.t("dispatch_button", lang, department=d.name), f"/assign {number} {d.code}")
        for d in handled_by
    ]
    return text, buttons


async def tell_the_grid_of_danger(
    turn: Turn, ticket: TicketRecord, words: str, render: Renderer, config: Config
) -> None:
    """What filing does for a danger a safety rule names, reported in a group, when the rule
    fires only later, on the report's words told in parts (`bot.pipeline`): its grid's
    workers hear of it privately at once (`grid_urgent_report`)."""
    if ticket.source != Source.GROUP or ticket.area is None:
        return
    reporter = turn.person
    report = Report(
        ticket.channel, ticket.chat_id, ticket.message_id, turn.inbound_id, reporter, words,
        ticket.area, thread_id=ticket.thread_id,
    )
    await _tell_the_grid(
        turn, ticket, ticket.area, report, render, config, reporter.id, "grid_urgent_report"
    )


async def tell_the_grid_of_routing(
    turn: Turn, ticket: TicketRecord, render: Renderer, config: Config
) -> None:
    """What filing does for a report made one to one, for a ticket staff gave its area later
    (划归网格, `bot.desk.triage`) while it waits to be claimed: that grid's workers hear of
    it privately, with 认领.  It waited where none of them looked (one filed with no area, a
    work order whose address named no grid, is in no grid's 待办), or in another grid's."""
    reporter = await turn.tx.person(ticket.reporter_id)
    assert reporter is not None and ticket.area is not None
    report = Report(
        ticket.channel, ticket.chat_id, ticket.message_id, turn.inbound_id, reporter,
        ticket.told, ticket.area, tuple(await turn.tx.attachments(ticket.id)),
        thread_id=ticket.thread_id, anonymous=ticket.anonymous,
    )
    private = config.privately_reported(ticket.channel, ticket.chat_id)
    key = "grid_private_report" if private else "grid_new_report"
    await _tell_the_grid(turn, ticket, ticket.area, report, render, config, turn.person.id, key)


def _notify_staff(
    turn: Turn,
    ticket: TicketRecord,
    report: Report,
    render: Renderer,
    config: Config,
    related: TicketRecord | None,
    replying_to: TicketRecord | None = None,
) -> None:
    lang = config.language
    text = i18n.t(
        "staff_new_ticket",
        lang,
        ticket=render.label(ticket),
        area=config.area_name(ticket.area),
        type=i18n.type_label(ticket.type, lang),
        urgency=i18n.urgency_label(ticket.urgency, lang),
        triage=i18n.t("triage_flag", lang) if ticket.needs_triage else "",
        reporter=person_name(report.reporter),
        text=render.report_words(ticket, report.text, report.attachments, lang),
    )
    # Why it is urgent, which the staff room may read in full (self-harm rules included):
    # the rules that fired, or that the model alone said so and it is to be checked first.
    text += render.rules_line(ticket, lang, public=False, desk=True)
    about_the_desk = ABOUT_THE_DESK in ticket.rules
    if about_the_desk:  # why it came here alone, and who works it
        text = i18n.t("staff_about_the_desk", lang, number=render.number(ticket)) + "\n" + text
    if model_alone_urgent(ticket.urgency, ticket.rules):
        text += "\n" + i18n.t("staff_model_urgent", lang)
    people, amount = ticket.people_involved, ticket.amount_involved
    if people is not None or amount is not None:  # read from the words: a first guess
        figures = involved_text(people, amount, lang)
        text += "\n" + i18n.t("involved_read", lang, figures=figures, number=render.number(ticket))
    buttons: list[Button] = []
    if config.privately_reported(ticket.channel, ticket.chat_id):
        text += "\n" + i18n.t("staff_private_report", lang)
    if ticket.anonymous:  # named here, to staff (`bot.privacy.names_reporter`), and kept
        text += "\n" + i18n.t("staff_anonymous_report", lang)
    if replying_to is not None:
        status = render.status_name(replying_to, lang)
        text += "\n" + i18n.t("replying_to_line", lang, ticket=render.label(replying_to),
                               status=status)
    if related is not None:
        # The merge to suggest: the less urgent into the more urgent (`merge_refusal`), one
        # tap away once staff have checked.
        pair = (ticket, related)
        if more_urgent(ticket.urgency, related.urgency):
            pair = (related, ticket)
        merge = " ".join(render.number(t) for t in pair)
        text += "\n" + i18n.t("same_event_line", lang, ticket=render.label(related), merge=merge)
        label = i18n.t("merge_button", lang, ticket=render.number(pair[0]),
                       main=render.number(pair[1]))
        buttons.append(Button(label, f"/merge {merge}"))
    line, dispatch = suggested_department(ticket, render, config, lang)
    text += line
    buttons += dispatch
    urgent = ticket.urgency == "urgent"
    # Not a mere announcement: with no staff chat, the rooms supervision tells hear of it,
    # since no grid worker will.
    turn.to_staff(
        config, text, ticket.id, urgent=urgent, buttons=buttons, announcement=not about_the_desk
    )
