"""Carrying out commands: the desk where claims, notes and resolutions are recorded.

Every handler asks `bot.workflow` whether the actor may act, changes the ticket through
one conditional update (so two workers cannot both win a claim), appends an event, and
queues what people should be told.  The handlers live by command family, one module each;
`Desk` joins the families and sends each command to its handler.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace

from bot import i18n
from bot.commands import USAGE_NAMES, Command, command_word
from bot.desk.anonymity import Anonymity
from bot.desk.assisting import Assisting
from bot.desk.base import LIST_LIMIT, split_area, view
from bot.desk.casework import Casework
from bot.desk.closing import Closing
from bot.desk.extend import Extending
from bot.desk.figures import Figures
from bot.desk.involvement import Involvement
from bot.desk.lookup import Lookup
from bot.desk.majors import Majors
from bot.desk.mediating import Mediating
from bot.desk.people import People
from bot.desk.rating import Ratings
from bot.desk.screening import Screenings
from bot.desk.triage import Triage
from bot.desk.urging import Urging
from bot.turn import Turn
from bot.workflow import Action, Role, can_see, may

__all__ = ["LIST_LIMIT", "Desk", "split_area", "view"]


class Desk(
    Lookup, Casework, Closing, Extending, People, Assisting, Majors, Involvement, Triage,
    Ratings, Screenings, Figures, Urging, Mediating, Anonymity,
):
    """Every command family, and the one way in: `run` checks the role may use the
    command at all (`bot.workflow.may`), then hands it to its handler."""

    async def run(self, turn: Turn, command: Command) -> None:
        if turn.actor.role is Role.RESIDENT and command.action is Action.TICKET:
            # "详情 1" from its reporter asks how their report is getting on: answered as
            # "查询 1" is, with its privacy (it was refused: 不能使用「详情」, and no way on).
            command = replace(command, action=Action.STATUS)
        if not may(turn.actor.role, command.action):
            refusal = i18n.t(
                "not_allowed", turn.lang,
                role=i18n.name(f"role.{turn.actor.role}", turn.lang),
                command=command_word(USAGE_NAMES[command.action], turn.lang),
            )
            if command.action is Action.ASSIGN and turn.actor.role is Role.GRID_WORKER:
                # A worker who wants to pass a ticket on is told the way that is theirs, in one
                # line naming both words (指派 and 转办 are one command: "不能使用「指派」"
                # answered a 转办).
                ticket = str(command.ticket) if command.ticket else "N"
                refusal = i18n.t("assign_by_staff", turn.lang, ticket=ticket)
            if turn.actor.role is Role.LIAISON and command.action in _CENTRES_FIGURES:
                # Where a department's own cases and figures are, since these are not theirs.
                refusal += "\n" + i18n.t("liaison_figures", turn.lang)
            turn.reply(refusal)
            return
        limit = self.config.intake.max_report_chars
        if len(command.args) > limit:
            # A note, outcome or reason as long as a report is refused as one is: an outcome
            # of 100,000 characters went to the reporter's group as 25 messages, and a search
            # for one ended the turn on SQLite ("LIKE or GLOB pattern too complex").
            turn.say("too_long", length=len(command.args), limit=limit)
            return
        said = len(turn.outgoing)
        await _HANDLERS[command.action](self, turn, command)
        if command.ticket is not None and command.action not in _SAY_WHAT_THEY_HIDE | _MESSAGES:
            await self._reply_aside(turn, command.ticket, said)

    async def _reply_aside(self, turn: Turn, number: int, said: int) -> None:
        """A desk member working, in a residents' group, a ticket that group did not report
        (a private report, another group's): the replies go to them one to one, and the
        group reads only that they did.  "办结 6 已上门劝阻，王老五表示不再聚赌" was answered in
        the group with the outcome of a report its reporter had made privately."""
        room = turn.inbound.room
        if turn.actor.role is Role.RESIDENT or not self._in_public_group(turn):
            return
        ticket = await turn.tx.ticket(number)
        if (
            ticket is None
            or not can_see(turn.actor, view(ticket))  # told "not found" where they asked
            or not self._hidden(turn, ticket.channel, ticket.chat_id)
        ):
            return
        moved = False
        # Replies only: a notice to a report of this group (under it: 并案 into this one, its
        # resolution) is its reporter's, and one to the room as a notify room the staff's.
        for message, edit_of in turn.outgoing[said:]:
            if edit_of is None and message.kind == "reply" and (
                message.channel, message.chat_id
            ) == (room.channel, room.chat_id):
                message.channel, message.chat_id = turn.person.channel, turn.person.user_id
                message.reply_to_message_id = message.thread_id = None
                message.kind, moved = "direct", True
        if moved:
            turn.say("replied_aside", ticket=self.render.label(ticket))


# The centre's lists across departments (`bot.workflow`: the desk's), which a liaison asks
# for and is pointed at their own department's instead.  Their department's figures and
# ledger (/stats, /export) are theirs (`bot.workflow.may_see_stats`).
_CENTRES_FIGURES = frozenset({Action.WORKLOAD, Action.OVERDUE})

# Commands on one ticket that already say, in a residents' group, only what it may read of
# a ticket it did not report (their refusal, a re-tag without its labels; 匿名 12 there looks
# nothing up).
_SAY_WHAT_THEY_HIDE = frozenset({Action.STATUS, Action.TICKET, Action.RETAG, Action.ANONYMOUS})

# Commands whose number is a logged message's, not a ticket's (立案 N): a ticket of that
# number has nothing to do with it, and 立案 keeps a private message from a residents' group
# itself (`Triage._in_my_area`).
_MESSAGES = frozenset({Action.FILE})

# Each command's handler, by the action `bot.commands` parsed it as.
_HANDLERS: dict[Action, Callable[[Desk, Turn, Command], Awaitable[None]]] = {
    Action.HELP: Desk.help,
    Action.STATUS: Desk.status,
    Action.MINE: Desk.mine,
    Action.QUEUE: Desk.queue,
    Action.CLAIM: Desk.claim,
    Action.UNCLAIM: Desk.unclaim,
    Action.NOTE: Desk.note,
    Action.RESOLVE: Desk.resolve,
    Action.CLOSE: Desk.close,
    Action.REOPEN: Desk.reopen,
    Action.TICKET: Desk.ticket,
    Action.ASSIGN: Desk.assign,
    Action.GRANT: Desk.grant,
    Action.RETAG: Desk.retag,
    Action.LANG: Desk.lang,
    Action.UNFILED: Desk.unfiled,
    Action.FILE: Desk.file,
    Action.OVERDUE: Desk.overdue,
    Action.RATE: Desk.rate,
    Action.STATS: Desk.stats,
    Action.DISMISS: Desk.dismiss,
    Action.WITHDRAW: Desk.withdraw,
    Action.EXPORT: Desk.export,
    Action.SEARCH: Desk.search,
    Action.WORKLOAD: Desk.workload,
    Action.MERGE: Desk.merge,
    Action.AREA: Desk.area,
    Action.EXTEND: Desk.extend,
    Action.HANDOVER: Desk.handover,
    Action.ASSIST: Desk.assist,
    Action.SETTLED: Desk.settled,
    Action.MAJOR: Desk.major,
    Action.URGE: Desk.urge,
    Action.INVOLVED: Desk.involved,
    Action.ZERO_REPORT: Desk.zero_report,
    Action.SCREENING: Desk.screening,
    Action.PEOPLE: Desk.people,
    Action.MEDIATE: Desk.mediate,
    Action.VISIT: Desk.visit,
    Action.ROUTE: Desk.route,
    Action.ANONYMOUS: Desk.anonymous,
}
