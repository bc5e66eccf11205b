"""Turning tickets and their history into the sentences people read."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Protocol
from zoneinfo import ZoneInfo

from bot import i18n
from bot.adapters.base import Attachment, Button
from bot.clock import parse_iso
from bot.config import parse_limit
from bot.privacy import DIGIT_WORDS, SEPARATORS
from bot.workcal import Span, WorkingDays
from bot.workflow import Source, Status, awaits_triage
from classifier import NOT_A_REPORT
from classifier.rules import ABOUT_THE_DESK, DESK_RULES, SELF_HARM_RULES, model_alone_urgent
from storage.base import EventRecord, LedgerRow, TicketRecord

SUMMARY_CHARS = 30
# How much of a resolution the notices to its reporter quote (the 办结 notice, the follow-up
# question): a phone's screenful, and with the notice's own words one WeChat message (500
# Chinese characters are 1,500 of its 2,048 bytes), where a long one went as several
# customer-service messages, each counted against the account's quota.  The ticket keeps
# it all; 查询 shows it all.
RESOLUTION_NOTICE_CHARS = 500
# The same for a report as the desk's notices of it quote it (the staff room's new ticket, a
# grid worker's 【群众反映】): it was cut at 500 characters without a word that more followed,
# where a long report (pasted, or a voice message's recognition) reached a WeCom worker
# ending mid-word.  详情 shows it all.
REPORT_NOTICE_CHARS = 500
# A number going on past a summary's cut ("-5678" of 1381234-5678, "，5678" of 138，1234，
# 5678, "五六七八" of 一三八一二三四五六七八, an ID card's last X), and what the cut would leave
# of it: digits, digits in words and the marks the masking (`bot.privacy`) reads inside
# numbers.
_MARKS = re.escape(SEPARATORS + "+()（）")
_DIGITS = rf"\d{DIGIT_WORDS}"
_NUMBER_GOES_ON = re.compile(rf"[{_DIGITS}{_MARKS}]*[{_DIGITS}Xx]")
_NUMBER_TAIL = re.compile(rf"[{_DIGITS}{_MARKS}]+$")


def clip(text: str, chars: int) -> str:
    """`text` cut to `chars` with "…", never inside a number: the group's masking
    (`bot.privacy`) knows a phone number by its length, so "电话13812345…" cut from a whole
    one passed through with eight of its digits."""
    if len(text) <= chars:
        return text
    cut = text[:chars]
    if _NUMBER_GOES_ON.match(text, chars):
        cut = _NUMBER_TAIL.sub("", cut)
    return cut + "…"


class Numbered(Protocol):
    """Anything with a ticket's number and area (a ticket, a ledger row)."""

    @property
    def id(self) -> int: ...

    @property
    def area(self) -> str | None: ...


class Renderer:
    """Formatting that depends on the centre's settings (time zone, number style)."""

    def __init__(
        self,
        timezone: str = "Asia/Shanghai",
        area_prefix: bool = False,
        crisis_hotline: str = "12356",
    ) -> None:
        self.zone = ZoneInfo(timezone)
        self.area_prefix = area_prefix
        self.crisis_hotline = crisis_hotline

    def number(self, ticket: Numbered) -> str:
        """What people type to refer to a ticket: "12" or "DZ-12"."""
        if self.area_prefix and ticket.area:
            return f"{ticket.area}-{ticket.id}"
        return str(ticket.id)

    def label(self, ticket: TicketRecord) -> str:
        return f"#{self.number(ticket)}"

    def local_time(self, iso: str) -> str:
        return parse_iso(iso).astimezone(self.zone).strftime("%Y-%m-%d %H:%M")

    @staticmethod
    def duration(span: Span, lang: str | None) -> str:
        """A span as people say it, to the two largest units: 2天3小时, 45分钟 / 2d 3h; in
        working days, whole ones: 3个工作日 (so a limit and a wait in them compare)."""
        if isinstance(span, WorkingDays):
            if span.days <= 0:
                return i18n.t("duration_working_short", lang)
            key = "duration_working_day" if span.days == 1 else "duration_working_days"
            return i18n.t(key, lang, n=span.days)
        minutes = max(int(span.total_seconds() // 60), 0)
        if minutes == 0:
            return i18n.t("duration_short", lang)
        days, rest = divmod(minutes, 24 * 60)
        hours, minutes = divmod(rest, 60)
        parts = [(days, "day"), (hours, "hour"), (minutes, "minute")]
        first = next(i for i, (n, _) in enumerate(parts) if n)
        shown = [(n, unit) for n, unit in parts[first : first + 2] if n]
        joiner = "" if i18n.lang_index(lang) == 0 else " "
        return joiner.join(i18n.t(f"duration_{unit}", lang, n=n) for n, unit in shown)

    def summary(self, ticket: TicketRecord, lang: str | None = None) -> str:
        """The first words of the report, on one line.  A report without words (a picture
        or a place, which WeChat's residents send alone) says so and where to see what came,
        where its line in 待办 and 我的 ended in nothing."""
        told = ticket.told  # with the parts told after it: "我要举报 楼上邻居天天半夜…"
        if not told.strip():
            return i18n.t("summary_wordless", lang, number=self.number(ticket))
        return clip(told.replace("\n", " "), SUMMARY_CHARS)

    def type_text(self, ticket: TicketRecord, lang: str | None, desk: bool = False) -> str:
        """The dispute type as residents and workers see it.  When the model was unsure,
        the ticket says a person will judge it rather than presenting a guess as fact
        (staff see the guess in their notice and fix it with /retag): to the desk's people
        in their word for it (待人工研判), to what a residents' group or a reporter reads in
        plain words (待工作人员确认: 研判 is the desk's jargon).  A dismissed ticket is what
        the desk judged it: not a report."""
        if ticket.status == Status.DISMISSED:
            return i18n.type_label(NOT_A_REPORT, lang)
        if ticket.needs_triage:
            return i18n.t("type_pending_desk" if desk else "type_pending", lang)
        return i18n.type_label(ticket.type, lang)

    def rules_line(
        self, ticket: TicketRecord, lang: str | None, public: bool = False, desk: bool = False
    ) -> str:
        """Which safety rules raised the urgency, so a worker sees why (empty if none).

        `public`: the line goes where others may read it (the acknowledgement, often in a
        group, or /status asked there), so the self-harm rules are left out and the crisis
        hotline is offered instead; workers see them in /status one to one and in /ticket.
        `desk`: read by the desk's people, who alone see the rules of its records
        (`DESK_RULES`: 多人反映 tells that others reported the event, which the group and
        the reporter are not to learn).
        """
        shown = [
            r for r in ticket.rules
            if not (public and r in SELF_HARM_RULES) and (desk or r not in DESK_RULES)
        ]
        text = ""
        if shown:
            names = i18n.joined((i18n.name(f"rule.{rule}", lang) for rule in shown), lang)
            text += "\n" + i18n.t("rules_fired", lang, rules=names)
        if public and SELF_HARM_RULES & set(ticket.rules):
            text += "\n" + i18n.t("crisis_support", lang, hotline=self.crisis_hotline)
        return text

    @staticmethod
    def status_name(ticket: TicketRecord | LedgerRow, lang: str | None) -> str:
        """What a ticket's status is called: 已撤回 for one its reporter withdrew (撤回), not
        the 已办结 (or 已结案) of its status, which read in the group says the centre resolved
        it."""
        if ticket.withdrawn and ticket.status in (Status.RESOLVED, Status.CLOSED):
            return i18n.name("status.withdrawn", lang)
        return i18n.name(f"status.{ticket.status}", lang)

    def ack(
        self,
        ticket: TicketRecord,
        lang: str | None,
        holder: str | None = None,
        private: bool = False,
        alerted: str = "desk",
        public: bool = False,
    ) -> str:
        """The acknowledgement under a report; re-rendered when the ticket moves on.  Once
        dismissed it says only that: its promise that a worker will follow up, its type
        and its urgency no longer hold, and the group is told no more than this.

        An urgent ticket is announced as one (【紧急】…已通知值班人员) only when an urgent safety
        rule fired, which is a public claim the bot can stand behind.  The model alone files a
        quarter of a village group's small talk urgent ("吃了没", "娃考上了 高兴":
        docs/classifier-history.md §2), and an emergency announced under such a message
        misleads the whole group and wears the banner out.  Such a ticket is acknowledged as
        being checked, with the emergency numbers; the desk handles it as urgent all the same
        (staff notice, queue, supervision).  `private`: reported one to one (私下反映), which
        a resident is told stays out of the group; a grid worker's or staff member's own
        report there (上报) is not: who sees it is their daily work, and the line's "only you,
        the grid workers and the centre's staff" is written to a resident.  `alerted`: who
        an urgent ticket's notice reached (`bot.filing.alerted`): "desk", a staff room
        (已通知值班人员); with none configured, "grid", its grid workers (已通知网格员), or ""
        nobody, when the acknowledgement promises no one.  `public`: it stands in a group
        residents read, which never reads that its reporter made it anonymous (匿名 12, after
        filing it there): the note is written to them, read one to one."""
        if ticket.status == Status.DISMISSED:
            return self.dismissed(ticket, lang)
        key = "ack_urgent" if ticket.urgency == "urgent" else "ack"
        if model_alone_urgent(ticket.urgency, ticket.rules):
            key = "ack_checking"
        if key != "ack" and alerted != "desk":  # no staff room: 值班人员 would be untrue
            key += "_to_grid" if alerted == "grid" else "_to_nobody"
        if ticket.source == Source.GRID:  # a grid worker's own 上报: written to them
            key += "_grid"
        elif key == "ack" and ABOUT_THE_DESK in ticket.rules:  # 作风反映: the centre's
            key = "ack_about_the_desk"
        text = i18n.t(
            key,
            lang,
            ticket=self.label(ticket),
            number=self.number(ticket),
            type=self.type_text(ticket, lang),
            urgency=i18n.urgency_label(ticket.urgency, lang),
        )
        text += self.rules_line(ticket, lang, public=True)
        waiting = ticket.status in (Status.NEW, Status.REOPENED)
        if ticket.source == Source.GRID and waiting and ticket.department is None:
            text += "\n" + i18n.t("ack_grid_next", lang, number=self.number(ticket))
        if private and ticket.source == Source.PRIVATE:  # a resident's (`source_of`)
            text += "\n" + i18n.t("ack_private", lang)
        if ticket.anonymous and not public:
            text += "\n" + i18n.t("ack_anonymous", lang)
        if ticket.status != Status.NEW:
            suffix = i18n.t("holder_suffix", lang, name=holder) if holder else ""
            state = self.status_name(ticket, lang)
            text += "\n" + i18n.t("ack_state", lang, status=state, holder=suffix)
        return text

    def dismissed(self, ticket: TicketRecord, lang: str | None) -> str:
        """What the acknowledgement of a dismissed ticket says, by where it came from: a
        resident in a group is told to describe a problem there; one who reported one to one
        was told so too, and the desk's own people that to report is to declare it."""
        key = "ack_dismissed"
        if ticket.source == Source.PRIVATE:
            key = "ack_dismissed_private"
        elif ticket.source in (Source.GRID, Source.DESK):
            key = "ack_dismissed_desk"
        return i18n.t(key, lang, ticket=self.label(ticket))

    def ack_news(self, ticket: TicketRecord, lang: str | None, holder: str | None) -> str:
        """The acknowledgement's new state in one line, for a platform that cannot edit it
        (`Outbound.news`): the ticket, its type and urgency (a 改标 moves those), and where
        it stands; once dismissed, what the acknowledgement then says.  An urgency the model
        alone called urgent is not announced (`ack`: 值班人员会尽快核实), so neither it nor the
        type is named here: where it stands, only."""
        if ticket.status == Status.DISMISSED:
            return self.dismissed(ticket, lang)
        suffix = i18n.t("holder_suffix", lang, name=holder) if holder else ""
        if model_alone_urgent(ticket.urgency, ticket.rules):
            return i18n.t(
                "ack_news_checking", lang, ticket=self.label(ticket),
                status=self.status_name(ticket, lang), holder=suffix,
            )
        return i18n.t(
            "ack_news",
            lang,
            ticket=self.label(ticket),
            type=self.type_text(ticket, lang),
            urgency=i18n.urgency_label(ticket.urgency, lang),
            status=self.status_name(ticket, lang),
            holder=suffix,
        )

    def ack_buttons(
        self, ticket: TicketRecord, lang: str | None, private: bool = False
    ) -> list[Button]:
        """Buttons that make sense for the ticket's status (none once it is done), for the
        grid workers in the group; none under a private report, which only its reporter reads,
        nor once a department leads it (转办): its liaisons claim and resolve it from their
        own notices, and the group's workers pressed 认领 only to be refused.  None under a
        report about the desk's own people (作风反映): staff work it (`kept_from`), from the
        staff room's notice."""
        if private or ticket.department is not None or ABOUT_THE_DESK in ticket.rules:
            return []
        number = self.number(ticket)
        if ticket.status in (Status.NEW, Status.REOPENED):
            return [Button(i18n.name("button.claim", lang), f"/claim {number}")]
        if ticket.status == Status.CLAIMED:
            return [Button(i18n.name("button.resolve", lang), f"/resolve {number}")]
        return []

    def quoted_resolution(self, ticket: TicketRecord, text: str, lang: str | None) -> str:
        """A resolution as a notice to `ticket`'s reporter quotes it: cut to
        `RESOLUTION_NOTICE_CHARS`, saying how to read all of it (查询 shows it)."""
        if len(text) <= RESOLUTION_NOTICE_CHARS:
            return text
        cut = clip(text, RESOLUTION_NOTICE_CHARS).removesuffix("…")
        return i18n.t("resolution_clipped", lang, text=cut, number=self.number(ticket))

    def quoted_report(self, ticket: TicketRecord, text: str, lang: str | None) -> str:
        """A report as the desk's notices of it quote it: cut to `REPORT_NOTICE_CHARS`,
        saying how to read all of it (详情 shows it)."""
        if len(text) <= REPORT_NOTICE_CHARS:
            return text
        cut = clip(text, REPORT_NOTICE_CHARS).removesuffix("…")
        return i18n.t("report_clipped", lang, text=cut, number=self.number(ticket))

    def report_words(
        self, ticket: TicketRecord, text: str, attachments: Sequence[Attachment], lang: str | None
    ) -> str:
        """A report's words as the desk's notices of it quote them (`quoted_report`); for one
        with none, what it sent (`wordless`)."""
        if text.strip() or not attachments:
            return self.quoted_report(ticket, text, lang)
        return self.wordless(attachments, lang)

    @staticmethod
    def wordless(attachments: Sequence[Attachment], lang: str | None) -> str:
        """What a report without words sent, as the desk's notices of it say it: （没有文字，
        只发来位置「东镇幸福路」）.  They said "zhangdm：" and nothing, which on WeChat, where
        the worker cannot see the picture or the place, told them nothing at all."""
        items = []
        for each in attachments:
            key = f"attachment.{each.kind}"
            said = i18n.name(key if key in i18n.NAMES else "attachment.other", lang)
            if each.kind in ("location", "link") and each.note:
                said += f"「{clip(each.note, SUMMARY_CHARS)}」"
            items.append(said)
        joined = i18n.joined(dict.fromkeys(items), lang)
        return i18n.t("report_wordless", lang, items=joined)

    def status(
        self,
        ticket: TicketRecord,
        lang: str | None,
        holder: str | None,
        public: bool = False,
        desk: bool = False,
    ) -> str:
        """`public`: asked in a residents' group, so the self-harm rules are left out as under
        the acknowledgement (`rules_line`); the worker sees them one to one.  `desk`: asked by
        the desk's people, who see the rules of its records too."""
        holder_text = i18n.t("status_holder", lang, name=holder) if holder else ""
        text = i18n.t(
            "status_line",
            lang,
            ticket=self.label(ticket),
            status=self.status_name(ticket, lang),
            type=self.type_text(ticket, lang, desk),
            urgency=i18n.urgency_label(ticket.urgency, lang),
            holder=holder_text,
            created=self.local_time(ticket.created_at),
        )
        text += self.rules_line(ticket, lang, public, desk)
        if ticket.resolution and ticket.status in (Status.RESOLVED, Status.CLOSED):
            outcome = i18n.outcome_in(ticket.resolution, lang)
            text += "\n" + i18n.t("status_resolution", lang, text=outcome)
        return text

    def list_line(
        self, ticket: TicketRecord, lang: str | None, dated: bool = False, desk: bool = True
    ) -> str:
        """One line of /mine, /queue.  `dated`: with the day it was filed, for /search, which
        finds tickets of any age.  Not `desk`: a resident's own list, which leaves out the
        desk's flag 需人工研判 (what to judge is the desk's, and its word for it theirs)."""
        summary = self.summary(ticket, lang)
        flagged = desk and awaits_triage(Status(ticket.status), ticket.needs_triage)
        triage = i18n.t("triage_flag", lang) if flagged else ""
        fields = {
            "ticket": self.label(ticket),
            "status": self.status_name(ticket, lang),
            "urgency": i18n.urgency_label(ticket.urgency, lang) + triage,
            "summary": summary,
        }
        if dated:
            day = self.local_time(ticket.created_at)[:10]
            return i18n.t("search_line", lang, date=day, **fields)
        return i18n.t("list_line", lang, **fields)

    @staticmethod
    def holder_text(holder: str | None, lang: str | None) -> str:
        """Who holds a ticket, or that nobody does, as supervision notices say it."""
        return i18n.t("holder_is", lang, name=holder) if holder else i18n.t("holder_none", lang)

    def overdue_line(
        self,
        ticket: TicketRecord,
        stage: str,
        late: Span,
        waited: Span,
        holder: str | None,
        lang: str | None,
    ) -> str:
        holder_text = self.holder_text(holder, lang)
        return i18n.t(
            "overdue_line",
            lang,
            ticket=self.label(ticket),
            urgency=i18n.urgency_label(ticket.urgency, lang),
            status=self.status_name(ticket, lang),
            stage=i18n.name(f"stage.{stage}", lang),
            late=self.duration(late, lang),
            waited=self.duration(waited, lang),
            holder=holder_text,
            summary=self.summary(ticket, lang),
        )

    def history_line(self, event: EventRecord, lang: str | None) -> str:
        payload = event.payload
        # Someone's words, set apart: "noted called the neighbour" read as one phrase.
        said = str(payload.get("text", ""))
        if event.action == "withdraw":  # its outcome, written in the desk's language
            said = i18n.outcome_in(said, lang)
        detail = i18n.t("history_words", lang, text=said) if said else ""
        if event.action in ("retag", "typed"):
            detail = "→ " + " / ".join(
                (
                    i18n.type_label(payload["type"], lang),
                    i18n.urgency_label(payload["urgency"], lang),
                )
            )
        elif event.action == "assign" and "assignee" in payload:
            detail = f"→ {payload['assignee']}"
        elif event.action in ("dispatch", "decline", "assist", "unassist"):
            department = payload.get("department_name", payload.get("department", ""))
            arrow = "→ " if event.action == "dispatch" else ""
            detail = f"{arrow}{department} {detail}".rstrip()
        elif event.action == "many_reporters":
            count = payload.get("count")
            if "urgency" in payload:
                urgency = i18n.urgency_label(str(payload["urgency"]), lang)
                detail = i18n.t("many_reporters_raised_detail", lang, count=count, urgency=urgency)
            else:
                detail = i18n.t("many_reporters_detail", lang, count=count)
        elif event.action in ("same_event", "merge_in"):
            detail = str(payload.get("label", ""))
        elif event.action == "merge":
            detail = f"→ {payload.get('label', '')} {detail}".rstrip()
        elif event.action in ("extend", "extend_request"):
            more = self.duration(parse_limit(str(payload.get("by"))), lang)
            detail = f"+{more} {detail}".rstrip()
        elif event.action in ("mediation", "mediation_cancelled"):  # when and where (调解)
            detail = f"{self.local_time(str(payload['at']))} {payload.get('place', '')}".rstrip()
        elif event.action == "involved":
            detail = involved_text(payload.get("people"), payload.get("amount"), lang)
        elif event.action == "settled":
            settled = payload.get("settled")
            detail = i18n.settlement_label(None if settled is None else bool(settled), lang)
        elif event.action == "route":
            detail = f"→ {payload.get('area_name', payload.get('to', ''))}"
        elif event.action == "no_area":
            detail = i18n.t("no_area_detail", lang)
        elif event.action == "rate":
            rating = i18n.name(f"rating.{payload.get('rating')}", lang)
            via = payload.get("via")
            if via == "words" and payload.get("said"):  # its comment is in the words quoted
                detail = i18n.t("rate_words_detail", lang, rating=rating, said=payload["said"])
            else:
                if via in ("words", "correction"):  # "words": rated before the words were kept
                    key = "unquoted" if via == "words" else "correction"
                    rating = i18n.t(f"rate_{key}_detail", lang, rating=rating)
                detail = f"{rating} {detail}".rstrip()
        elif event.action in ("followup", "followup_unreachable"):
            key = "followup_asked" if event.action == "followup" else "followup_unreachable"
            if payload.get("late"):
                key = "followup_asked_late"
            elif payload.get("by_phone"):
                key = "followup_by_phone"
            detail = i18n.t(key, lang)
        elif event.action == "close" and payload.get("via") in ("unanswered", "withdrawn"):
            # 结案 未回复 (bot.desk.closing): a visit unanswered, or none for a withdrawal.
            detail = i18n.t(f"close_{payload['via']}_detail", lang)
        elif event.action == "escalated":
            detail = i18n.t(
                "escalated_detail",
                lang,
                stage=i18n.name(f"stage.{payload.get('stage')}", lang),
                level=i18n.name(f"level.{payload.get('level')}", lang),
            )
        # An answer staff wrote down from a phone call is theirs to have recorded, not rated.
        action = "rate_phone" if (event.action, payload.get("via")) == ("rate", "phone") else (
            event.action
        )
        return i18n.t(
            "history_line",
            lang,
            at=self.local_time(event.at),
            actor=event.actor_name or i18n.t("system_actor", lang),
            action=i18n.name(f"action.{action}", lang),
            detail=detail,
        ).rstrip()


def involved_text(people: int | None, amount: int | None, lang: str | None) -> str:
    """The people and money a case involves as a line shows them (30人、5万元); 未填 when
    neither is known (涉及人数, 涉及金额: `bot.involved`)."""
    parts = []
    if people is not None:
        parts.append(i18n.t("involved_people", lang, count=people))
    if amount is not None:
        parts.append(i18n.money(amount, lang))
    return i18n.joined(parts, lang) or i18n.name("involved.none", lang)
