"""`SQLTx`: the whole `storage.base.Tx`, composed of this package's mixins."""

from __future__ import annotations

from storage.sql.delivery import DeliverySQL
from storage.sql.figures import FiguresSQL
from storage.sql.followups import FollowupsSQL
from storage.sql.history import HistorySQL
from storage.sql.messages import MessagesSQL
from storage.sql.outbox import OutboxSQL
from storage.sql.people import PeopleSQL
from storage.sql.queues import QueuesSQL
from storage.sql.routines import RoutinesSQL
from storage.sql.tickets import TicketsSQL
from storage.sql.training import TrainingSQL


class SQLTx(
    PeopleSQL,
    MessagesSQL,
    TicketsSQL,
    HistorySQL,
    QueuesSQL,
    FollowupsSQL,
    FiguresSQL,
    RoutinesSQL,
    OutboxSQL,
    DeliverySQL,
    TrainingSQL,
):
    """`storage.base.Tx` written once in the SQL both engines speak.

    Statements use `?` placeholders; an engine's subclass supplies the four primitives
    (and rewrites placeholders if its driver wants `$1`) and names its `dialect` for the
    few expressions the engines spell differently (`_SECONDS_BETWEEN`).
    """
