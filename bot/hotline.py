"""Hotline work orders (12345热线工单) filed as tickets: `intake-bot db import`.

The city's 12345 hotline (and platforms like 民情e点通) assigns work orders to the county;
staff retyped them.  Each is filed the way a resident's one-to-one report is
(`bot.filing.file_ticket`): classified, routed to its area's grid workers with the private
notice and 认领, announced to the staff room, supervised.  What differs:

* Its source is `Source.HOTLINE`; its chat is the platform (`--source`, 12345) on the
  channel `HOTLINE_CHANNEL`, its message id the platform's work-order number: one ticket
  per number (migration 0036), so importing a file again files nothing twice.
* The caller is its reporter, a person on `HOTLINE_CHANNEL` (their phone number, else the
  work order's, as user id), which no adapter serves: nothing is sent to them, not the
  acknowledgement nor the visit, which the history marks for staff to make by phone
  (`bot.followup.ask`).  Name, phone, address, the platform's category and its time are a
  note under the content, where every notice and the ledger show them.
* Its clocks start when it is imported, not at the platform's 受理时间: the county had no
  chance to act before it got the order, and a week-old order filed already late would
  escalate at once for a delay that is not the grid's.  The platform's time stays in
  the note.
* Its area: the area column, else an area named in the address or the content, else none
  (待人工研判, its history saying why: staff give it its area, 划归 12 东镇, or `/assign` it).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, replace

from bot import i18n
from bot.adapters.base import Inbound, Person, Room, plain_name
from bot.config import Config
from bot.filing import Report, as_a_report, file_ticket
from bot.hotline_file import Rejected, WorkOrder
from bot.pipeline import seed_people
from bot.render import Renderer
from bot.turn import Turn, enqueue
from bot.workflow import HOTLINE_CHANNEL, NO_AREA, Role
from classifier import Classification, Classifier
from storage.base import AlreadyFiled, Store


@dataclass(frozen=True)
class Filed:
    """A work order filed (`ticket` None: in a dry run, what would be filed)."""

    order: WorkOrder
    ticket: int | None
    area: str | None
    type: str
    urgency: str
    # Whether anyone was told of it on a chat: not so a complaint about the desk's own people
    # (作风反映, staff's alone) or one with no area (for triage) with no staff chat to tell.
    told: bool = True


@dataclass(frozen=True)
class Already:
    order: WorkOrder
    ticket: int


@dataclass
class Imported:
    filed: list[Filed]
    already: list[Already]
    rejected: list[Rejected]


def area_of(order: WorkOrder, config: Config) -> str | None:
    """The area's code: the area column's (a name, a short name as staff say it, a code),
    else the one area whose name or short name the address or content holds (the longest
    named wins: 东镇第一 over 东镇); None when none is, or two areas are named alike."""
    words = config.area_words
    if order.area in words:
        return words[order.area]
    names = {word: code for word, code in words.items() if word != code}
    for text in (order.area, order.address, order.content):
        found = [w for w in names if w in text]
        codes = {names[w] for w in found if not any(w in o and w != o for o in found)}
        if len(codes) == 1:
            return codes.pop()
    return None


def note(order: WorkOrder, platform: str, lang: str | None) -> str:
    """The work order's facts as a line under its content (the caller's phone staff call
    back on; the platform's category, not our type; its time, not our clock's).  The
    caller's name as their person's is shown (`plain_name`), not as the file wrote it."""
    parts = [
        i18n.t(f"hotline_{field}", lang, value=value)
        for field, value in (
            ("time", order.time), ("category", order.category), ("name", plain_name(order.name)),
            ("phone", order.phone), ("address", order.address),
        )
        if value
    ]
    sep = i18n.t("hotline_sep", lang)
    return i18n.t("hotline_note", lang, platform=platform, number=order.number,
                  details=sep.join(["", *parts]) if parts else "")


def caller_id(order: WorkOrder, platform: str) -> str:
    """The caller as a person: by phone (one caller's several orders are one reporter's),
    else by the work order."""
    return order.phone or f"{platform}:{order.number}"


def classified(order: WorkOrder, classifier: Classifier) -> Classification:
    """Every work order is a case (`as_a_report`)."""
    return as_a_report(classifier.classify(order.content))


async def import_orders(
    store: Store,
    orders: list[WorkOrder],
    platform: str,
    config: Config,
    classifier: Classifier,
    now: str,
    dry_run: bool = False,
) -> Imported:
    """File each order not filed before, each in its transaction (one that fails leaves
    the others filed); in a dry run, read and classify only.

    The look before filing spares classifying an order filed already; the number's unique
    index decides (`Tx.create_ticket`): another import of the same orders running at once
    may file one between this one's look and its filing, and then this one's transaction
    is rolled back and the order reported as already imported, as it would be a minute
    later."""
    render = Renderer(config.timezone, config.intake.area_prefix, config.intake.crisis_hotline)
    if not dry_run:  # a database the bot has not run on yet knows no grid worker to tell
        await seed_people(store, config, now)
    done = Imported([], [], [])
    for order in orders:
        async with store.read() as tx:
            earlier = await tx.hotline_ticket(platform, order.number)
        if earlier is not None:
            done.already.append(Already(order, earlier))
            continue
        area = area_of(order, config)
        classification = await asyncio.to_thread(classified, order, classifier)
        ticket, told = None, True
        if not dry_run:
            try:
                ticket, told = await _file(
                    store, order, platform, area, classification, config, render, now
                )
            except AlreadyFiled as filed:  # by an import running at once, since the look
                done.already.append(Already(order, filed.ticket))
                continue
        done.filed.append(
            Filed(order, ticket, area, classification.type, classification.urgency, told)
        )
    return done


async def _file(
    store: Store,
    order: WorkOrder,
    platform: str,
    area: str | None,
    classification: Classification,
    config: Config,
    render: Renderer,
    now: str,
) -> tuple[int, bool]:
    """The ticket filed, and whether anyone was told of it on a chat (the caller is not
    on one): a chat report's reporter at least is answered, an order's nobody."""
    lang = config.language
    name = plain_name(order.name) or i18n.t("hotline_caller", lang, platform=platform)
    text = f"{order.content}\n{note(order, platform, lang)}"
    async with store.write() as tx:
        caller = await tx.upsert_person(
            HOTLINE_CHANNEL, caller_id(order, platform), name, Role.RESIDENT.value, None, now
        )
        inbound = Inbound(
            Person(HOTLINE_CHANNEL, caller.user_id, name), Room(HOTLINE_CHANNEL, platform),
            order.number, text,
        )
        turn = Turn(tx, caller, inbound, 0, lang, now)
        report = Report(HOTLINE_CHANNEL, platform, order.number, 0, caller, text, area)
        # One with no area is for staff to judge (待人工研判), and to give its area.
        judged = classification if area else replace(classification, needs_triage=True)
        ticket = await file_ticket(turn, report, judged, render, config)
        if area is None:
            # Why it awaits triage, for staff who give it its area (划归 12 东镇,
            # `bot.desk.triage`): out of triage then, unless the model was unsure of it too.
            unsure = {"unsure": True} if classification.needs_triage else {}
            await tx.add_event(ticket.id, None, NO_AREA, now, unsure)
        told = any(
            out.ticket_id == ticket.id and out.channel != HOTLINE_CHANNEL
            for out, _ in turn.outgoing
        )
        await enqueue(tx, config, turn.outgoing, now)
    return ticket.id, told


def summary(done: Imported, config: Config, dry_run: bool = False) -> list[str]:
    """What `db import` prints: a line per row (by its line in the file), then the counts."""
    lines: list[tuple[int, str]] = []
    verb = "would file" if dry_run else "imported"
    for filed in done.filed:
        where = config.area_name(filed.area) if filed.area else "no area: for triage"
        number = f"#{filed.ticket} " if filed.ticket is not None else ""
        said = f"{verb} {number}({where}; {filed.type}, {filed.urgency})"
        if not filed.told:  # the one who runs the import is the only one who hears of it
            said += (f"; warning: nobody was told of it (no [staff_chat]): "
                     f"see /ticket {filed.ticket}")
        lines.append((filed.order.line, f"{filed.order.number}\t{said}"))
    for already in done.already:
        lines.append((already.order.line, f"{already.order.number}\talready imported as "
                                          f"#{already.ticket}"))
    for rejected in done.rejected:
        lines.append((rejected.line, f"{rejected.number or '-'}\trejected: {rejected.reason}"))
    rows = [f"line {line}\t{text}" for line, text in sorted(lines)]
    counts = (f"{verb} {len(done.filed)}, already imported {len(done.already)}, "
              f"rejected {len(done.rejected)}")
    return [*rows, counts + (" (dry run: nothing filed)" if dry_run else "")]
