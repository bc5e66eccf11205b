"""Turning tickets and their history into the sentences people read."""

from __future__ import annotations

from typing import Protocol
from zoneinfo import ZoneInfo

from bot import i18n
from bot.adapters.base import Button
from bot.clock import parse_iso
from bot.workflow import Status
from storage.base import EventRecord, TicketRecord

SUMMARY_CHARS = 30


class Numbered(Protocol):
    """Anything with a ticket's number and area (a ticket, a ledger row)."""

    @property
    def id(self) -> int: ...

    @property
    def area(self) -> str | None: ...


class Renderer:
    """Formatting that depends on the centre's settings (time zone, number style)."""

    def __init__(self, timezone: str = "Asia/Shanghai", area_prefix: bool = False) -> None:
        self.zone = ZoneInfo(timezone)
        self.area_prefix = area_prefix

    def number(self, ticket: Numbered) -> str:
        """What people type to refer to a ticket: "12" or "DZ-12"."""
        if self.area_prefix and ticket.area:
            return f"{ticket.area}-{ticket.id}"
        return str(ticket.id)

    def label(self, ticket: TicketRecord) -> str:
        return f"#{self.number(ticket)}"

    def local_time(self, iso: str) -> str:
        return parse_iso(iso).astimezone(self.zone).strftime("%Y-%m-%d %H:%M")

    def type_text(self, ticket: TicketRecord, lang: str | None) -> str:
        """The dispute type as residents and workers see it.  When the model was unsure,
        the ticket says a person will judge it rather than presenting a guess as fact
        (staff see the guess in their notice and fix it with /retag)."""
        if ticket.needs_triage:
            return i18n.t("type_pending", lang)
        return i18n.type_label(ticket.type, lang)

    def rules_line(self, ticket: TicketRecord, lang: str | None) -> str:
        """Which safety rules raised the urgency, so a worker sees why (empty if none)."""
        if not ticket.rules:
            return ""
        names = "、".join(i18n.name(f"rule.{rule}", lang) for rule in ticket.rules)
        return "\n" + i18n.t("rules_fired", lang, rules=names)

    def ack(self, ticket: TicketRecord, lang: str | None, holder: str | None = None) -> str:
        """The acknowledgement under a report; re-rendered when the ticket moves on."""
        key = "ack_urgent" if ticket.urgency == "urgent" else "ack"
        text = i18n.t(
            key,
            lang,
            ticket=self.label(ticket),
            number=self.number(ticket),
            type=self.type_text(ticket, lang),
            urgency=i18n.urgency_label(ticket.urgency, lang),
        )
        text += self.rules_line(ticket, lang)
        if ticket.status != Status.NEW:
            suffix = i18n.t("holder_suffix", lang, name=holder) if holder else ""
            state = i18n.name(f"status.{ticket.status}", lang)
            text += "\n" + i18n.t("ack_state", lang, status=state, holder=suffix)
        return text

    def ack_buttons(self, ticket: TicketRecord, lang: str | None) -> list[Button]:
        """Buttons that make sense for the ticket's status (none once it is done)."""
        number = self.number(ticket)
        if ticket.status in (Status.NEW, Status.REOPENED):
            return [Button(i18n.name("action.claim", lang), f"/claim {number}")]
        if ticket.status == Status.CLAIMED:
            return [Button(i18n.name("action.resolve", lang), f"/resolve {number}")]
        return []

    def status(self, ticket: TicketRecord, lang: str | None, holder: str | None) -> str:
        holder_text = i18n.t("status_holder", lang, name=holder) if holder else ""
        text = i18n.t(
            "status_line",
            lang,
            ticket=self.label(ticket),
            status=i18n.name(f"status.{ticket.status}", lang),
            type=self.type_text(ticket, lang),
            urgency=i18n.urgency_label(ticket.urgency, lang),
            holder=holder_text,
            created=self.local_time(ticket.created_at),
        )
        text += self.rules_line(ticket, lang)
        if ticket.resolution and ticket.status in (Status.RESOLVED, Status.CLOSED):
            text += "\n" + i18n.t("status_resolution", lang, text=ticket.resolution)
        return text

    def list_line(self, ticket: TicketRecord, lang: str | None) -> str:
        summary = ticket.text.replace("\n", " ")
        if len(summary) > SUMMARY_CHARS:
            summary = summary[:SUMMARY_CHARS] + "…"
        triage = i18n.t("triage_flag", lang) if ticket.needs_triage else ""
        return i18n.t(
            "list_line",
            lang,
            ticket=self.label(ticket),
            status=i18n.name(f"status.{ticket.status}", lang),
            urgency=i18n.urgency_label(ticket.urgency, lang) + triage,
            summary=summary,
        )

    def history_line(self, event: EventRecord, lang: str | None) -> str:
        payload = event.payload
        detail = str(payload.get("text", ""))
        if event.action == "retag":
            detail = "→ " + " / ".join(
                (
                    i18n.type_label(payload["type"], lang),
                    i18n.urgency_label(payload["urgency"], lang),
                )
            )
        elif event.action == "assign" and "assignee" in payload:
            detail = f"→ {payload['assignee']}"
        return i18n.t(
            "history_line",
            lang,
            at=self.local_time(event.at),
            actor=event.actor_name or i18n.t("system_actor", lang),
            action=i18n.name(f"action.{event.action}", lang),
            detail=detail,
        ).rstrip()
