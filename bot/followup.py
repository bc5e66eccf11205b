"""Follow-up visits (回访): asking the reporter of a resolved ticket whether they are
satisfied, and telling staff when they are not.

Resolving a ticket schedules one visit (a `followups` row) for `[followup] delay` later.
The supervisor's sweep asks the due ones; with no delay the desk asks in the resolving
transaction itself.  Either way a conditional update moves the row out of `pending`
first, so the question goes out once however many sweeps or processes look.  The answer
is a command (`/rate 12 satisfied`, or the buttons under the question, or 满意 12 typed on
WeChat, which has no buttons), carried out by the desk.

A ticket merged into another (并案) is visited too when that case is resolved: its
reporter is another resident the event touched, asked about the case's outcome under
their own ticket's number.  What decides whether such a visit still stands is the case
(`case_of`): reopened or closed, it is cancelled as the case's own visit is.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

from bot import i18n
from bot.adapters.base import Button, Outbound
from bot.clock import iso, parse_iso
from bot.config import Config
from bot.privacy import (
    case_outcome_for,
    department_said,
    holder_said,
    reporter_named,
    residents_read,
)
from bot.render import Renderer
from bot.turn import actor_of, enqueue, person_name
from bot.workflow import (
    FollowUpState,
    Rating,
    Role,
    Source,
    Status,
    files_as_reported,
    followup_outcome,
    kept_from_words_about_the_desk,
)
from storage.base import FollowUpRecord, PersonRecord, Store, TicketRecord, Tx

# Visits asked per sweep; the next sweep takes the rest (after an outage, say).
BATCH = 200
# Visits that could not be sent, asked when the reporter first writes one to one.
UNREACHED_ASKED = 3


async def case_of(tx: Tx, ticket: TicketRecord) -> TicketRecord:
    """The ticket whose resolution a visit about `ticket` asks about, and where a reply to
    it is added: the case a merged ticket went into, else the ticket itself."""
    if ticket.status == Status.MERGED and ticket.merged_into is not None:
        case = await tx.ticket(ticket.merged_into)
        if case is not None:
            return case
    return ticket


async def schedule(
    tx: Tx, ticket: TicketRecord, now: str, config: Config, render: Renderer
) -> list[Outbound]:
    """Called in the transaction that resolves the ticket (or its case, for a ticket
    merged into one; or that merges it into a resolved one).  With no delay the visit is
    asked at once, in that transaction; the question is returned for it to send.

    A visit that would fall on an official holiday (春节, 国庆, …; not a plain weekend)
    waits for the same time on the first day after it: asking a resident on 除夕 whether
    they are satisfied with the handling of a dispute is poor form, and a 不满意 answer
    would reopen the ticket while nobody is at the centre.  One that would fall outside
    `[followup] hours` (at night) waits for their start (`visit_time`).  "0" still asks at
    once: the resident has just been told the outcome.

    Not for a report the desk's own people declared (上报): a visit asks a resident how
    they were served, and the worker who reported it knows the outcome."""
    if not config.followup.enabled:
        return []
    reporter = await tx.person(ticket.reporter_id)
    if reporter is None or not files_as_reported(Role(reporter.role)):
        return []
    due = parse_iso(now) + config.followup.wait
    if config.followup.wait:
        due = visit_time(due, config)
    await tx.schedule_followup(ticket.id, now, iso(due))
    if config.followup.wait:
        return []  # the sweep asks when it is due
    visit = await tx.latest_followup(ticket.id)
    assert visit is not None
    _, out = await ask(tx, visit, now, config, render)
    return out


def question(
    ticket: TicketRecord,
    case: TicketRecord,
    reporter: PersonRecord,
    render: Renderer,
    lang: str | None,
    config: Config,
) -> Outbound:
    """The private question about `case`'s outcome, answered under `ticket`'s number (the
    same ticket unless merged: then another reporter's case, whose outcome they read masked,
    `case_outcome_for`), with one button per answer (platforms without buttons show the
    typed form in the text)."""
    number, label = render.number(ticket), render.label(ticket)
    if case.id != ticket.id:
        label = i18n.t("followup_merged_label", lang, ticket=label, main=render.label(case))
    outcome = case_outcome_for(config, case.resolution or "", case.reporter_id == reporter.id)
    if case.id == ticket.id:  # 查询 of a merged ticket shows no outcome: all of it here
        outcome = render.quoted_resolution(ticket, outcome, lang)
    text = i18n.t("followup_question", lang, ticket=label, number=number, text=outcome)
    buttons = [Button(i18n.name(f"button.{r}", lang), f"/rate {number} {r}") for r in Rating]
    return Outbound(
        reporter.channel,
        reporter.user_id,  # a person's private chat id is their user id
        text,
        buttons=buttons,
        ticket_id=ticket.id,
        kind="followup",
    )


async def ask(
    tx: Tx, followup: FollowUpRecord, now: str, config: Config, render: Renderer
) -> tuple[FollowUpState | None, list[Outbound]]:
    """Settle one due visit: ask, or record why not.  (None, []) if another sweep (or
    process) settled it first."""
    ticket = await tx.ticket(followup.ticket_id)
    latest = await tx.latest_followup(followup.ticket_id)
    assert ticket is not None
    reporter = await tx.person(ticket.reporter_id)
    assert reporter is not None
    reachable = await tx.has_private_chat(reporter.channel, reporter.user_id)
    case = await case_of(tx, ticket)
    state = followup_outcome(
        Status(case.status), latest is not None and latest.id == followup.id, reachable,
        case.withdrawn,
    )
    if not await tx.sweep_followup(followup.id, state.value, now):
        return None, []
    if state is FollowUpState.CANCELLED:
        return state, []  # the reopening is in the history already
    if state is FollowUpState.UNREACHABLE:
        # A hotline caller (`bot.hotline`) has no chat at all: the history says the visit
        # is the staff's to make by phone, and 待结案 lists it until they close it.
        by_phone = {"by_phone": True} if ticket.source == Source.HOTLINE else {}
        await tx.add_event(ticket.id, None, "followup_unreachable", now, by_phone)
        return state, []
    await tx.add_event(ticket.id, None, "followup", now, {})
    lang = reporter.lang or config.language
    return state, [question(ticket, case, reporter, render, lang, config)]


async def ask_unreached(
    tx: Tx, reporter: PersonRecord, now: str, config: Config, render: Renderer
) -> list[Outbound]:
    """The visits that could not be sent because `reporter` had never written to the bot one
    to one, asked now that they have (called for every private message; the message itself
    may have answered one already, and then that one is not asked).  At most `UNREACHED_ASKED`
    at a time, newest first: a reporter opening a private chat is not to be flooded.  Not for
    a ticket closed since (结案 ends the visit, `followup_outcome`); its reporter may still
    answer it by typing 满意 12."""
    if not config.followup.enabled:
        return []
    waiting = await tx.tickets_awaiting_rating(
        reporter.id, [Status.RESOLVED.value], [FollowUpState.UNREACHABLE.value], UNREACHED_ASKED
    )
    out: list[Outbound] = []
    for ticket in waiting:
        visit = await tx.latest_followup(ticket.id)
        assert visit is not None
        case = await case_of(tx, ticket)
        # Reopened and withdrawn since (撤回): nothing of the desk's to ask about.
        state = FollowUpState.CANCELLED if case.withdrawn else FollowUpState.ASKED
        if await tx.sweep_followup(
            visit.id, state.value, now, from_state=FollowUpState.UNREACHABLE.value
        ) and state is FollowUpState.ASKED:
            await tx.add_event(ticket.id, None, "followup", now, {"late": True})
            lang = reporter.lang or config.language
            out.append(question(ticket, case, reporter, render, lang, config))
    return out


def visit_time(moment: datetime, config: Config) -> datetime:
    """The first moment from `moment` at which a visit may be asked: not on an official
    holiday (then at the same time of day on the first day after it, `past_holidays`), and
    within `[followup] hours` (else at their start, that day or the next).  Weekends are
    not skipped: residents are as reachable then as on any day."""
    calendar, hours = config.work_calendar, config.followup.visiting_hours
    local = calendar.past_holidays(moment)
    if hours is None:
        return local
    start, end = hours
    while not start <= local.time() < end:
        day = local.date() if local.time() < start else local.date() + timedelta(days=1)
        local = calendar.past_holidays(datetime.combine(day, start, tzinfo=calendar.zone))
    return local


def postponed(due: datetime, now: datetime, config: Config) -> datetime | None:
    """When a visit due at `due` (a visiting time when it was scheduled), found due by a
    sweep at `now`, is asked instead of now; None: now.  A bot that was down when it fell
    due and is back at night asks it at the start of `[followup] hours`; back during a
    holiday (除夕, say), as one due then would be: at its time of day on the first day
    after the holiday (`visit_time`), not at once."""
    calendar = config.work_calendar
    today = calendar.local_date(now)
    if calendar.is_holiday(today):
        local = due.astimezone(calendar.zone)
        return visit_time(datetime.combine(today, local.timetz()), config)
    moment = visit_time(now, config)
    return None if moment == now else moment


async def ask_due(
    store: Store, now: datetime, config: Config, render: Renderer
) -> Counter[FollowUpState]:
    """Ask every visit due by `now` (one batch); how many ended in which state.  Those that
    may not be asked now (`postponed`) are moved to when they may, in one write, so later
    sweeps do not read them again: after a long holiday with more than a batch of them,
    they would stand before the visits due since."""
    at = iso(now)
    async with store.read() as tx:
        due = await tx.due_followups(at, BATCH)
    later = {
        visit.id: moment
        for visit in due
        if (moment := postponed(parse_iso(visit.due_at), now, config)) is not None
    }
    if later:
        async with store.write() as tx:
            for visit_id, moment in later.items():
                await tx.postpone_followup(visit_id, iso(moment))
    settled: Counter[FollowUpState] = Counter()
    for followup in due:
        if followup.id in later:
            continue
        async with store.write() as tx:
            state, out = await ask(tx, followup, at, config, render)
            await enqueue(tx, config, [(m, None) for m in out], at)
        if state is not None:
            settled[state] += 1
    return settled


def unsatisfied_notices(
    ticket: TicketRecord,
    case: TicketRecord,
    reporter: PersonRecord,
    holder: PersonRecord | None,
    comment: str,
    reopened: bool,
    config: Config,
    render: Renderer,
    holder_claims: bool = False,
    about_the_desk: bool = False,
) -> list[Outbound]:
    """不满意: the notify rooms and the worker who resolved it are told (who decide what
    next when the ticket was closed and so stayed closed, or when the answer is about a
    case `ticket` was merged into: one of several reporters does not reopen a case).
    `holder_claims`: the reopened ticket is theirs to claim again, and their copy says how
    (as 重开's notice to them does).

    `about_the_desk`: the comment is about the desk's own people ("网格员态度恶劣，收了钱才
    办"), words kept from the grid and the departments (`kept_from_words_about_the_desk`).
    The desk's rooms read them under the 作风反映 mark, and the staff room does even when it
    is no notify room, as a 作风反映's notice reaches it.  A holder kept from them reads the
    notice a 不满意 with no comment gets: what they must know (not satisfied, reopened,
    theirs to claim again), and no hint that the reporter complained of someone at the
    desk, which would tell them whom to lean on."""
    desk_lang = config.language

    def text(
        lang: str | None, public: bool = False, reader: Role = Role.STAFF, words: bool = True
    ) -> str:
        """`public`: for a residents' group, which the answer was not given in
        (`bot.privacy.residents_read`).  `reader`: who reads it, for the reporter's name
        (`bot.privacy.names_reporter`): a staff room, or the worker who resolved it, who
        reads 匿名反映人 for an anonymous report.  `words`: the reader may read the comment."""
        if case.id != ticket.id:
            outcome = i18n.t(
                "unsatisfied_merged", lang, main=render.label(case), number=render.number(case)
            )
        elif reopened and ticket.department is not None:
            department = department_said(config, ticket.department, lang, public)
            outcome = i18n.t("unsatisfied_reopened_department", lang, department=department)
        elif reopened:
            outcome = i18n.t("unsatisfied_reopened", lang)
        else:
            outcome = i18n.t("unsatisfied_closed", lang, number=render.number(ticket))
        return i18n.t(
            "unsatisfied_group" if public else "unsatisfied_staff",
            lang,
            ticket=render.label(ticket),
            area=config.area_name(ticket.area),
            reporter=reporter_named(person_name(reporter), ticket.anonymous, reader, lang),
            holder=(
                holder_said(config, person_name(holder), holder.role, lang, public)
                if holder else i18n.t("holder_none", lang)
            ),
            comment=i18n.t("comment_suffix", lang, text=comment) if comment and words else "",
            outcome=outcome,
        )

    def desk_text(public: bool) -> str:
        """A room's notice: in one of the desk's, words about the desk under their mark."""
        if public or not about_the_desk:
            return text(desk_lang, public)
        mark = i18n.t("unsatisfied_about_the_desk", desk_lang, ticket=render.label(ticket))
        return mark + "\n" + text(desk_lang)

    rooms = config.notify_rooms
    staff = config.staff_chat
    if about_the_desk and staff is not None and staff not in rooms:
        rooms = [*rooms, staff]
    out = [
        Outbound(
            room.channel, room.chat_id,
            desk_text(residents_read(config, room.channel, room.chat_id)),
            ticket_id=ticket.id, kind="feedback",
        )
        for room in rooms
    ]
    if holder is not None:
        lang = holder.lang or config.language
        again = "\n" + i18n.t("claim_again", lang, number=render.number(ticket))
        words = not (about_the_desk and kept_from_words_about_the_desk(actor_of(holder)))
        out.append(
            Outbound(
                holder.channel,
                holder.user_id,
                text(lang, reader=Role(holder.role), words=words)
                + (again if holder_claims else ""),
                ticket_id=ticket.id,
                kind="direct",
            )
        )
    return out
