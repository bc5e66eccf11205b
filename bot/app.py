"""Wiring: store + classifier + pipeline + outbox dispatcher + supervisor + adapters,
started together."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime
from types import TracebackType

from bot.adapters.base import Adapter, ChannelAdapter, document_limit
from bot.clock import utc_now
from bot.config import (
    Area,
    ChatRef,
    Config,
    Department,
    IntakeGroup,
    PersonConfig,
    Supervision,
)
from bot.export import LedgerFiles
from bot.followup import visit_time
from bot.journal import Journal
from bot.outbox import Dispatcher
from bot.pipeline import Pipeline
from bot.supervision import Supervisor
from bot.workflow import Role
from classifier import Classifier, load, load_default
from storage import Store, open_store

log = logging.getLogger(__name__)

# How long a stop waits for the send under way to finish (`Bot.stop_delivery`): a message
# takes seconds at most; a file that takes longer is cut off, and sent again later.
DELIVERY_GRACE = 10.0

DEMO_GROUP = "demo-group"
# Where the demo's escalation (督办) and 不满意 notices go: with no room for them, an
# unclaimed ticket's first escalation would reach nobody and the demo would show nothing.
DEMO_STAFF = "demo-staff"


# Where a county typically sends each dispute type (研判分流); `config.example.toml` has the
# same list for a real deployment to edit.
DEMO_ROUTING = {
    "neighbour": "司法所（人民调解）",
    "marriage_family": "司法所（人民调解）、妇联",
    "land_homestead": "乡镇政府、自然资源所",
    "labour_wages": "人社局劳动保障监察",
    "property_management": "住建局（物业监管）",
    "land_acquisition_demolition": "乡镇政府、自然资源局",
    "environment": "生态环境分局",
    "contract_debt": "司法所、法院诉前调解",
    "traffic_accident": "交警大队",
    "medical": "卫健局（医疗纠纷调解）",
    "consumer": "市场监管所",
    "public_order": "派出所",
}


def demo_config(database: str, language: str = "zh") -> Config:
    """The embedded default: one intake group in the terminal, a room for the centre's
    supervision notices, and a cast of people."""
    people = [
        ("resident1", "张大妈", Role.RESIDENT, None),
        ("resident2", "李师傅", Role.RESIDENT, None),
        ("worker1", "王网格员", Role.GRID_WORKER, "DZ"),
        ("worker2", "赵网格员", Role.GRID_WORKER, "DZ"),
        ("police1", "派出所张警官", Role.LIAISON, "PCS"),
        ("judicial1", "司法所李所长", Role.LIAISON, "SFS"),
        ("staff1", "综治中心刘主任", Role.STAFF, None),
        ("admin1", "管理员", Role.ADMIN, None),
    ]
    return Config(
        language="en" if language == "en" else "zh",
        database=database,
        areas=[Area(code="DZ", name="东镇第一网格")],
        departments=[Department(code="PCS", name="派出所"), Department(code="SFS", name="司法所")],
        intake_groups=[
            IntakeGroup(
                channel="console", chat_id=DEMO_GROUP, area="DZ", title="东镇第一网格民情群"
            )
        ],
        people=[
            PersonConfig(channel="console", user_id=uid, name=name, role=role, area=area)
            for uid, name, role, area in people
        ],
        # Not the staff chat: that would add a new-ticket notice under every report.
        supervision=Supervision(notify=[ChatRef(channel="console", chat_id=DEMO_STAFF)]),
        routing=DEMO_ROUTING,
    )


def load_classifier(config: Config) -> Classifier:
    """The model the config names (a retrained one), else the shipped one; flagging for
    triage below the config's confidence (the shipped one is shared by the process: a
    changed copy, never the shared one changed)."""
    from classifier.runtime import IntakeClassifier  # as `load` does: numpy, at startup

    model = load(config.classifier.model) if config.classifier.model else load_default()
    triage_below = config.classifier.triage_below
    if isinstance(model, IntakeClassifier) and model.triage_threshold != triage_below:
        return replace(model, triage_threshold=triage_below)
    return model


class Bot:
    """The running bot; use as `async with Bot(config, adapters) as bot:`."""

    def __init__(
        self,
        config: Config,
        adapters: Sequence[Adapter],
        store: Store | None = None,
        classifier: Classifier | None = None,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.config = config
        self.store = store or open_store(config.database, config.database_acquire_timeout)
        self.classifier = classifier
        self.adapters = {a.channel: a for a in adapters}
        # Ledgers (/export) are made when their reply is delivered, in a temporary folder.
        self.documents = LedgerFiles(self.store, config, clock=clock)
        self.dispatcher = Dispatcher(
            self.store,
            self.adapters,
            clock,
            give_up_after=config.delivery.give_up,
            documents=self.documents,
        )
        self._clock = clock
        self._pipeline: Pipeline | None = None
        self._supervisor: Supervisor | None = None
        self._journal: Journal | None = None
        self._tasks: list[asyncio.Task[None]] = []
        self._delivery: asyncio.Task[None] | None = None
        self.started_at: datetime | None = None

    @property
    def clock(self) -> Callable[[], datetime]:
        """The bot's time (the console demo's /wait moves it)."""
        return self._clock

    @property
    def pipeline(self) -> Pipeline:
        if self._pipeline is None:
            raise RuntimeError("bot is not started")
        return self._pipeline

    @property
    def journal(self) -> Journal:
        if self._journal is None:
            raise RuntimeError("bot is not started")
        return self._journal

    @property
    def supervisor(self) -> Supervisor:
        if self._supervisor is None:
            raise RuntimeError("bot is not started")
        return self._supervisor

    async def __aenter__(self) -> Bot:
        await self.store.open()
        try:
            if self.classifier is None:
                # Loading the model (and the segmenter's dictionary) happens here, before
                # the first message, not inside it.
                self.classifier = await asyncio.to_thread(load_classifier, self.config)
            self._pipeline = Pipeline(
                self.store,
                self.config,
                self.classifier,
                self._clock,
                self.dispatcher.wake,
                document_channels=frozenset(
                    channel for channel, a in self.adapters.items() if document_limit(a)
                ),
            )
            self._journal = Journal(self.store, self._pipeline.handle, self._clock)
            # Files a process left when it died in the middle of sending a ledger.
            await asyncio.to_thread(self.documents.remove_stale)
            self._supervisor = Supervisor(
                self.store,
                self.config,
                self._pipeline.render,
                self._clock,
                self.dispatcher.wake,
            )
            await self._pipeline.seed_people()
            self._look_ahead()
            self.started_at = self._clock()
        except BaseException:
            await self.store.close()
            raise
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            await self.stop_delivery()
        finally:
            for task in self._tasks:
                task.cancel()
            for task in self._tasks:
                with contextlib.suppress(asyncio.CancelledError):
                    await task
            self._tasks.clear()
            await self.store.close()

    def _look_ahead(self) -> None:
        """Work out, at start, the calendar years the deadlines of a ticket filed now (and
        the follow-up visit of one resolved now) can reach, so a year whose official
        holiday schedule the package does not know yet is warned about in the start-up
        log (once; bot.workcal), not first mid-sweep."""
        calendar, now = self.config.work_calendar, self._clock()
        slas = [self.config.sla_for(d.code) for d in self.config.departments]
        limits = [limit for sla in (self.config.sla, *slas) for limit in sla.in_working_days()]
        if limits:
            furthest = max(limit.days for limit in limits) * self.config.supervision.levels
            calendar.deadline(now, furthest)
        if self.config.followup.enabled and self.config.followup.wait:
            visit_time(now + self.config.followup.wait, self.config)

    def start_delivery(self) -> None:
        """Deliver the outbox in the background (replies left from a previous run first)."""
        self._delivery = asyncio.create_task(self.dispatcher.run())
        self._tasks.append(self._delivery)

    async def stop_delivery(self, grace: float = DELIVERY_GRACE) -> None:
        """Stop delivering, letting the send under way finish (for `grace` seconds at most)
        and be marked sent.  Cancelled in the middle, a send the platform had taken was
        left unmarked, and sent again at the next start: a reply said twice at every
        restart that came during a send (a WeChat call, in a thread, went on regardless)."""
        self.dispatcher.stop()
        task = self._delivery
        if task is None or task.done():
            return
        done, _ = await asyncio.wait({task}, timeout=grace)
        if not done:
            log.warning(
                "a send still under way after %.0f s was cut off; it goes again at the next "
                "start", grace,
            )
            task.cancel()

    def start_supervision(self) -> None:
        """Sweep for overdue tickets (and due follow-ups) every `[supervision] interval`."""
        self._tasks.append(asyncio.create_task(self.supervisor.run()))

    async def serve(
        self, adapters: Sequence[ChannelAdapter], ready: asyncio.Event | None = None
    ) -> None:
        """Run platform adapters until cancelled; `ready` is set once all have started."""
        self.start_delivery()
        self.start_supervision()
        # What the last stop cut off of a WeChat message answered "success" (`bot.journal`),
        # before anything new.
        await self.journal.replay()
        self._tasks.append(asyncio.create_task(self.journal.run_replays()))
        for adapter in adapters:
            await adapter.start(self.pipeline.handle, self.journal)
        if ready is not None:
            ready.set()
        try:
            await asyncio.Event().wait()
        finally:
            # In this order: nothing new comes in, and what came in is handled (a WeChat
            # callback's passive reply is still delivered; one cut off after its grace was
            # kept, and is handled at the next start); then the send under way
            # finishes; only then do the platforms' connections close.  Closed first, a send
            # under way failed halfway, and went again at the next start.
            try:
                for adapter in adapters:
                    with contextlib.suppress(Exception):
                        await adapter.stop_receiving()
                await self.stop_delivery()
            finally:  # a second Ctrl-C cuts the wait short, not the closing
                for adapter in adapters:
                    with contextlib.suppress(Exception):
                        await adapter.stop()
