"""Carrying out commands: the desk where claims, notes and resolutions are recorded.

Every handler asks `bot.workflow` whether the actor may act, changes the ticket through
one conditional update (so two workers cannot both win a claim), appends an event, and
queues what people should be told.  The handlers live by command family, one module each;
`Desk` joins the families and sends each command to its handler.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Set

from bot import i18n
from bot.commands import USAGE_NAMES, Command
from bot.config import Config
from bot.desk.base import LIST_LIMIT, split_area, view
from bot.desk.casework import Casework
from bot.desk.extend import Extending
from bot.desk.figures import Figures
from bot.desk.lookup import Lookup
from bot.desk.people import People
from bot.desk.rating import Ratings
from bot.desk.triage import Triage
from bot.render import Renderer
from bot.turn import Turn
from bot.workflow import Action, Role, may
from classifier import Classifier

__all__ = ["LIST_LIMIT", "Desk", "split_area", "view"]


class Desk(Lookup, Casework, Extending, People, Triage, Ratings, Figures):
    def __init__(
        self,
        renderer: Renderer,
        config: Config,
        classifier: Classifier,
        document_channels: Set[str] = frozenset(),
    ) -> None:
        super().__init__(renderer, config, classifier, document_channels)
        self._handlers: dict[Action, Callable[[Turn, Command], Awaitable[None]]] = {
            Action.HELP: self.help,
            Action.STATUS: self.status,
            Action.MINE: self.mine,
            Action.QUEUE: self.queue,
            Action.CLAIM: self.claim,
            Action.UNCLAIM: self.unclaim,
            Action.NOTE: self.note,
            Action.RESOLVE: self.resolve,
            Action.CLOSE: self.close,
            Action.REOPEN: self.reopen,
            Action.TICKET: self.ticket,
            Action.ASSIGN: self.assign,
            Action.GRANT: self.grant,
            Action.RETAG: self.retag,
            Action.LANG: self.lang,
            Action.UNFILED: self.unfiled,
            Action.FILE: self.file,
            Action.OVERDUE: self.overdue,
            Action.RATE: self.rate,
            Action.STATS: self.stats,
            Action.DISMISS: self.dismiss,
            Action.WITHDRAW: self.withdraw,
            Action.EXPORT: self.export,
            Action.SEARCH: self.search,
            Action.WORKLOAD: self.workload,
            Action.MERGE: self.merge,
            Action.AREA: self.area,
            Action.EXTEND: self.extend,
            Action.HANDOVER: self.handover,
        }

    async def run(self, turn: Turn, command: Command) -> None:
        if not may(turn.actor.role, command.action):
            refusal = i18n.t(
                "not_allowed", turn.lang,
                role=i18n.name(f"role.{turn.actor.role}", turn.lang),
                command=f"/{USAGE_NAMES[command.action]}",
            )
            if command.action is Action.ASSIGN and turn.actor.role is Role.GRID_WORKER:
                # A worker who wants to pass a ticket on is told the way that is theirs.
                ticket = str(command.ticket) if command.ticket else "N"
                refusal += "\n" + i18n.t("assign_by_staff", turn.lang, ticket=ticket)
            turn.reply(refusal)
            return
        await self._handlers[command.action](turn, command)

