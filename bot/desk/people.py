"""Who works what: /assign, 转交全部 (/handover), /grant, a resident's grid (网格) and
their language (/lang)."""

from __future__ import annotations

from bot import i18n, mediation
from bot.adapters.base import Button
from bot.commands import ROLE_WORDS, Command
from bot.config import Department, PersonConfig, parse_limit
from bot.desk.base import LIST_LIMIT, DeskBase, view
from bot.privacy import holder_said
from bot.supervision import liaisons
from bot.turn import Turn, person_name
from bot.workflow import (
    Action,
    Role,
    Status,
    assigns_anywhere,
    chooses_own_area,
    holds_after_grant,
    keeps_area,
    may_assign_to,
)
from storage.base import PersonRecord, TicketRecord

# The order /people lists the desk's roles in: who grants, who routes, who works cases.
_DESK_ORDER = (Role.ADMIN, Role.STAFF, Role.LIAISON, Role.GRID_WORKER)

# The most tickets one /handover moves (a worker holds a few dozen at most); the rest, if
# ever, by sending it again.
HANDOVER_MAX = 500


class People(DeskBase):
    async def assign(self, turn: Turn, command: Command) -> None:
        ticket = await self._visible(turn, command.ticket)
        if not ticket:
            return
        if not assigns_anywhere(turn.actor.role) and not await self._permitted(
            turn, Action.ASSIGN, ticket
        ):
            return  # a liaison's: their department's tickets only
        word, _, note = command.args.partition(" ")
        department = self.config.find_department(word)
        if department is not None and not may_assign_to(turn.actor, None, department.code):
            self._within_department(turn, ticket)
            return
        if department is not None:
            await self._dispatch(turn, ticket, department, note.strip())
            return
        worker = await self._find_person(turn, word, or_department=True)
        if not worker:
            return
        if worker.role == Role.RESIDENT:
            turn.say("assignee_not_worker", name=person_name(worker))
            return
        if not may_assign_to(turn.actor, Role(worker.role), worker.area):
            self._within_department(turn, ticket)
            return
        name = person_name(worker)
        # A liaison (张警官) says which department has the case: 相关部门 in a residents' group.
        said = holder_said(
            self.config, name, worker.role, turn.lang, self._in_public_group(turn)
        )
        if ticket.assignee_id == worker.id and ticket.status == Status.CLAIMED:
            # Already theirs: a second notice would read as a second task.
            turn.say("already_assigned", ticket=self.render.label(ticket), name=said)
            return
        if moved := await self._move(
            turn, Action.ASSIGN, ticket, worker.id, detail={"assignee": name},
            department=self.liaison_area(worker),
        ):
            label = self.render.label(ticket)
            note = ""
            if ticket.resolve_limit and moved.resolve_limit is None:  # `_lapsed_extension`
                limit = self.render.duration(parse_limit(ticket.resolve_limit), turn.lang)
                note = i18n.t("assign_extension_lapsed", turn.lang, limit=limit)
            turn.reply(i18n.t("assigned", turn.lang, ticket=label, name=said) + note)
            lang = worker.lang or self.config.language
            notice = i18n.t(
                "assigned_notice", lang, by=turn.actor.name, ticket=label, text=ticket.told[:200]
            )
            notice += await self._late_line(turn, moved, lang)
            notice += await self._assigned_session(turn, moved, lang)
            turn.direct(worker, notice, ticket.id)
            await self._tell_former_holder(turn, ticket, moved, name)

    async def _assigned_session(
        self, turn: Turn, ticket: TicketRecord, lang: str, named: bool = False
    ) -> str:
        """For a ticket assigned with a mediation session standing that has not begun
        (`bot.mediation.handed_on`), the line that says when and where, theirs to hold now;
        "" for none.  Its reminder would reach them before it, but only hours before: the
        parties may need calling first.  `named`: the line names the ticket, one of several
        in a handover's notice (转交全部).  Privately only: a residents' group learns neither
        (`Mediating._tell_reporter`)."""
        session = await mediation.handed_on(turn.tx, ticket.id, turn.now)
        if session is None:
            return ""
        return i18n.t(
            "handed_over_session" if named else "assigned_session", lang,
            ticket=self.render.label(ticket), when=self.render.local_time(session.at),
            place=session.place,
        )

    async def _late_line(self, turn: Turn, ticket: TicketRecord, lang: str) -> str:
        """For a ticket past its deadline as it is handed to someone (`督办` finds it so), the
        line that says how far, to do first; "" for one in time.  A worker given a case nine
        days late read only its words, and took it in turn."""
        span = (await self._late_by(turn, [ticket], lang)).get(ticket.id)
        return "\n" + i18n.t("assigned_overdue", lang, late=span) if span else ""

    def _within_department(self, turn: Turn, ticket: TicketRecord) -> None:
        """A liaison's 指派 or 转办 out of their department, refused (`may_assign_to`): to
        its own liaisons only; one not theirs goes back to the centre (退回), to route."""
        turn.reply(self._routed(
            turn, "assign_within_department", ticket=self.render.label(ticket),
            department=self.config.department_name(turn.actor.area or ""),
            number=self.render.number(ticket),
        ))

    async def _dispatch(
        self, turn: Turn, ticket: TicketRecord, department: Department, note: str
    ) -> None:
        """"转办 12 派出所": the ticket goes to the department's queue, unclaimed, and each of
        its liaisons is told privately (and of a mediation session standing and not begun,
        theirs to hold now and to be reminded of); whichever takes it up claims it (吹哨报到).  The
        centre is told if the department has no liaison yet: nobody would hear of it.  Not
        to the department that has it already: in its queue it is there, and handing it on
        again would start its clock again (`bot.workflow.CLOCK_STARTS`), so a late case
        could be made new; one of its liaisons holds it, staff assign it to another."""
        label, name = self.render.label(ticket), department.name
        if ticket.department == department.code and ticket.status in (
            Status.NEW, Status.REOPENED
        ):
            turn.reply(self._routed(turn, "already_dispatched", ticket=label, department=name))
            return
        if ticket.department == department.code and ticket.status == Status.CLAIMED:
            holder = await self._holder_name(turn, ticket)
            turn.reply(self._routed(
                turn, "already_dispatched_held", ticket=label, department=name,
                holder=holder or "?", number=self.render.number(ticket),
            ))
            return
        detail: dict[str, object] = {"department": department.code, "department_name": name}
        if note:
            detail["text"] = note
        moved = await self._move(
            turn, Action.DISPATCH, ticket, None, detail=detail, department=department.code
        )
        if not moved:
            return
        if department.code in moved.assisting:  # it assisted (协办); it leads now
            await turn.tx.set_assisting(moved.id, department.code, False, turn.now)
        await self._tell_former_holder(turn, ticket, moved, i18n.Phrase(name))
        number = self.render.number(ticket)
        lapsed = ""
        if ticket.resolve_limit:  # a new clock, the department's limits: the extension lapses
            limit = self.render.duration(parse_limit(ticket.resolve_limit), turn.lang)
            lapsed = i18n.t("assign_extension_lapsed", turn.lang, limit=limit)

        case = await self._case_told(turn, ticket)
        # A session standing and not begun: the department arranges it now, and is reminded
        # of it (one held yesterday is no news to them).
        session = await mediation.handed_on(turn.tx, ticket.id, turn.now)

        def text(lang: str) -> str:
            stands = "" if session is None else i18n.t(
                "dispatched_session", lang, when=self.render.local_time(session.at),
                place=session.place,
            )
            return i18n.t(
                "dispatched_notice", lang, by=turn.actor.name, ticket=label, department=name,
                number=number, **case(lang),
                note=(i18n.t("dispatched_note", lang, note=note) if note else "") + stands
                + self._kept_private(ticket, lang),
            )

        def claim(lang: str) -> list[Button]:
            return [Button(i18n.name("button.claim", lang), f"/claim {number}")]

        told = await liaisons(turn.tx, department.code)
        if not told:  # its words end with the command that grants one: the note after it
            turn.reply("\n".join(filter(None, (self._routed(
                turn, "dispatched_nobody", ticket=label, department=name,
                code=department.code, number=number,
            ), lapsed.strip()))))
            return
        turn.reply(self._routed(
            turn, "dispatched", ticket=label, department=name,
            names=i18n.joined((person_name(p) for p in told), turn.lang),
        ) + lapsed)
        self._tell_each(turn, told, ticket, text, claim)

    async def handover(self, turn: Turn, command: Command) -> None:
        """"转交全部 张三 李四": every ticket 张三 holds goes to 李四, each as an assignment (its
        history says so, its acknowledgement is edited, its deadlines run on).  For a worker
        who leaves, goes on leave or moves; 李四 is told once, with the list and each
        mediation session standing on them (as 指派 tells it: the parties may need calling
        before its reminder), and so is 张三 (who may be back tomorrow, and would work on
        what is no longer theirs)."""
        names = command.args.split()
        if len(names) != 2:
            turn.say("usage", usage=i18n.usage("handover", turn.lang))
            return
        giver = await self._find_person(turn, names[0])
        taker = await self._find_person(turn, names[1]) if giver else None
        if giver is None or taker is None:
            return
        if taker.role == Role.RESIDENT:
            turn.say("assignee_not_worker", name=person_name(taker))
            return
        if taker.id == giver.id:
            turn.say("handover_same", name=person_name(giver))
            return
        held = await turn.tx.tickets_held_by(giver.id, HANDOVER_MAX)
        moved = [
            ticket
            for ticket in held
            if await self._move(
                turn, Action.ASSIGN, ticket, taker.id,
                detail={"assignee": person_name(taker), "via": "handover"},
                department=self.liaison_area(taker),
            )
        ]
        if not moved:
            turn.say("handover_none", name=person_name(giver))
            return
        labels = i18n.joined((self.render.label(t) for t in moved), turn.lang)
        turn.say(
            "handed_over", count=len(moved), giver=person_name(giver),
            taker=person_name(taker), tickets=labels,
        )
        lang = taker.lang or self.config.language
        notice = i18n.t(
            "handed_over_notice", lang, by=turn.actor.name, giver=person_name(giver),
            count=len(moved), tickets=i18n.joined((self.render.label(t) for t in moved), lang),
        )
        for ticket in moved:  # a session on any of them: as a 指派's notice says it
            notice += await self._assigned_session(turn, ticket, lang, named=True)
        turn.direct(taker, notice)
        if giver.id != turn.person.id and giver.role != Role.RESIDENT:
            # The one who held them is told they are no longer theirs, as after /assign.
            lang = giver.lang or self.config.language
            notice = i18n.t(
                "handed_over_from_you", lang, by=turn.actor.name, taker=person_name(taker),
                count=len(moved),
                tickets=i18n.joined((self.render.label(t) for t in moved), lang),
            )
            turn.direct(giver, notice)

    async def area(self, turn: Turn, command: Command) -> None:
        """"网格 DZ": a resident chooses their grid, where what they report one to one is filed
        (私下反映, and every conversation on WeChat, which has no groups to tell it by).
        "网格" alone says which it is and lists the codes.  A worker is told theirs is set
        by an admin: it decides what they see."""
        if not chooses_own_area(turn.actor.role):
            area = self.config.area_name(turn.actor.area) or i18n.name("area.none", turn.lang)
            turn.say("area_by_admin", area=area)
            return
        word = command.args.strip()
        code = self.area_words.get(word)  # its code or its name: "网格 东镇"
        choices = self._area_choices(turn)
        if not word:
            mine = turn.actor.area
            if mine is None and len(self.config.areas) == 1:  # nothing to choose
                mine = self.config.areas[0].code
            key = "area_yours" if mine else "area_none"
            turn.say(key, area=self.config.area_name(mine), choices=choices)
            return
        if code is None:
            turn.say("bad_area", value=word[:20], choices=choices)
            return
        await turn.tx.set_role(turn.person.id, turn.person.role, code)
        turn.say("area_set", area=self.area_names[code])

    async def grant(self, turn: Turn, command: Command) -> None:
        parts = command.args.split()
        if len(parts) < 2:
            turn.say("usage", usage=i18n.usage("grant", turn.lang))
            return
        role = ROLE_WORDS.get(parts[1])
        if role is None:
            named = ((r.value, i18n.name(f"role.{r.value}", turn.lang)) for r in Role)
            turn.say("bad_role", role=parts[1], choices=self._choices(turn, named))
            return
        area = parts[2] if len(parts) > 2 else None
        if role is Role.LIAISON:
            # A liaison works one department's cases: which one is not optional.
            department = self.config.find_department(area) if area else None
            if department is None:
                key, value = ("bad_department", area[:20]) if area else ("department_required", "")
                turn.say(key, value=value, name=parts[0][:20],
                         choices=self._department_choices(turn))
                return
            area = department.code  # named by its code or its name (派出所)
        elif area is not None:
            if area not in self.area_words:
                turn.say("bad_area", value=area[:20], choices=self._area_choices(turn))
                return
            area = self.area_words[area]  # named by its code or its name (东镇)
        person = await self._find_person(turn, parts[0])
        if person:
            old, new = Role(person.role), role
            keep = keeps_area(old, new)
            after = area if area is not None else (person.area if keep else None)
            held = [
                t for t in await turn.tx.tickets_held_by(person.id, HANDOVER_MAX)
                if not holds_after_grant(old, new, after, view(t))
            ]
            if held:
                # A resident holds nothing, and a liaison only their department's: the
                # tickets would sit with nobody to work them, or out of their department.
                key = "grant_holds_tickets" if new is Role.RESIDENT else "grant_holds_elsewhere"
                turn.say(
                    key, name=person_name(person), count=len(held),
                    tickets=i18n.joined((self.render.label(t) for t in held[:10]), turn.lang),
                )
                return
            # Locked: two admins demoting each other at once each saw the other still admin.
            admins = await turn.tx.people_with_role(Role.ADMIN.value, lock=True)
            if old is Role.ADMIN and new is not Role.ADMIN and not any(
                p.id != person.id for p in admins
            ):
                # Nobody would be left to grant anything (授权) until a restart re-read the
                # config's [[people]]: an admin who demoted themselves locked the desk.
                mine = person.id == turn.person.id
                turn.say("grant_last_admin_self" if mine else "grant_last_admin",
                         name=person_name(person))
                return
            await turn.tx.set_role(person.id, role.value, area, keep)
            granted = await turn.tx.person(person.id)
            assert granted is not None
            name = person_name(person)
            text = i18n.t(
                # With the account's id when their display name is not it: a resident who
                # took a worker's name would otherwise be granted unnoticed.
                "granted" if name == person.user_id else "granted_account", turn.lang,
                name=name, account=person.user_id,
                role=i18n.name(f"role.{role.value}", turn.lang),
                area=self._granted_area(turn, role, granted.area),
            )
            turn.reply(text + self._config_restores(turn, granted))

    def _config_entry(self, person: PersonRecord) -> PersonConfig | None:
        """The config's [[people]] entry for `person`, if it has one."""
        return next((p for p in self.config.people
                     if (p.channel, p.user_id) == (person.channel, person.user_id)), None)

    def _as_listed(self, person: PersonRecord) -> bool:
        """Whether `person` has the role (and area) the config's [[people]] give them: theirs
        from the config, not from a /grant (which the next start undoes, `_config_restores`)."""
        listed = self._config_entry(person)
        return listed is not None and (
            listed.role.value == person.role and listed.area in (None, person.area)
        )

    def _config_restores(self, turn: Turn, person: PersonRecord) -> str:
        """What a /grant's reply adds when the config lists the person otherwise: their
        role and area there are given again at every start (`Pipeline.seed_people`), so the
        change, reported done, was undone by the next restart unsaid."""
        listed = self._config_entry(person)
        if listed is None or self._as_listed(person):
            return ""
        area = ""
        if listed.role is Role.LIAISON:
            area = i18n.t("granted_department", turn.lang,
                          department=self.config.department_name(listed.area))
        elif listed.area is not None and listed.role is Role.GRID_WORKER:
            area = i18n.t("granted_area", turn.lang, area=self.config.area_name(listed.area))
        role = i18n.name(f"role.{listed.role.value}", turn.lang)
        return i18n.t("granted_config_restores", turn.lang, role=role, area=area)

    def _granted_area(self, turn: Turn, role: Role, area: str | None) -> str:
        """The area a /grant leaves the person with, said in the reply: without an area in
        the command they keep the one they had (a resident's chosen grid, say), and a grid
        worker with none sees every area's tickets.  Staff and admins see all anyway."""
        if role in (Role.STAFF, Role.ADMIN):
            return ""
        if role is Role.LIAISON:
            department = self.config.department_name(area)
            return i18n.t("granted_department", turn.lang, department=department)
        if area is None:
            return i18n.t("granted_no_area", turn.lang) if role is Role.GRID_WORKER else ""
        return i18n.t("granted_area", turn.lang, area=self.config.area_name(area))

    async def people(self, turn: Turn, command: Command) -> None:
        """"人员", "人员 网格员", "人员 东镇", "人员 派出所": the desk's people (admins, staff,
        liaisons, grid workers; residents only when asked for by role, and then counted
        once there are many), each with their role, area or department, and whether the
        config's [[people]] or a /grant gave it.  Names and accounts are person data: listed
        one to one only; asked in a group, sent privately as the ledger is (导出台账)."""
        role: Role | None = None
        code: str | None = None
        for word in command.args.split():
            department = self.config.find_department(word)
            if role is None and word in ROLE_WORDS:
                role = ROLE_WORDS[word]
            elif code is None and department is not None:
                code, role = department.code, role or Role.LIAISON
            elif code is None and word in self.area_words:
                code = self.area_words[word]
            else:
                turn.say("people_bad_word", value=word[:20], usage=i18n.usage("people", turn.lang))
                return
        roles = [role] if role else [Role.GRID_WORKER] if code else list(_DESK_ORDER)
        listing = await self._people_list(turn, roles, code)
        if turn.inbound.room.is_private:
            turn.reply(listing)
        elif await turn.tx.has_private_chat(turn.person.channel, turn.person.user_id):
            turn.say("people_sent_privately")
            turn.direct(turn.person, listing)
        else:
            words = f" {command.args}" if command.args else ""
            turn.say("people_private_only", words=words[:60])

    async def _people_list(self, turn: Turn, roles: list[Role], code: str | None) -> str:
        """The list `people` replies with: at most LIST_LIMIT people, then how many more."""
        lines: list[str] = []
        listed = total = 0
        for role in roles:
            found, count = await turn.tx.people_page(role.value, code, LIST_LIMIT - listed)
            if role is Role.RESIDENT and count > LIST_LIMIT:  # a county's thousands: counted
                lines.append(i18n.t("people_residents_counted", turn.lang, count=count))
                continue
            total += count
            listed += len(found)
            lines += [self._person_line(turn, person) for person in found]
        if not lines:
            return i18n.t("people_none", turn.lang)
        head = i18n.t("people_header", turn.lang, count=total) if total else ""
        if listed < total:
            lines.append(i18n.t("people_more", turn.lang, shown=listed, count=total))
        return "\n".join(filter(None, [head, *lines]))

    def _person_line(self, turn: Turn, person: PersonRecord) -> str:
        """One of the desk's people: name (and account), role, area or department, and where
        the role came from."""
        name = person_name(person)
        if name != person.user_id:
            name = i18n.t("people_account", turn.lang, name=name, account=person.user_id)
        role = Role(person.role)
        where = ""
        if role is Role.LIAISON:
            where = self.config.department_name(person.area)
        elif role is Role.GRID_WORKER:
            where = self.config.area_name(person.area) if person.area else i18n.name(
                "people.every_area", turn.lang
            )
        elif role is Role.RESIDENT and person.area:
            where = self.config.area_name(person.area)
        source = ""
        if role is not Role.RESIDENT or self._config_entry(person):  # a resident's is the default
            key = "people.config" if self._as_listed(person) else "people.grant"
            source = i18n.name(key, turn.lang)
        parts = [name, i18n.name(f"role.{role.value}", turn.lang), where, source]
        return i18n.name("people.sep", turn.lang).join(filter(None, parts))

    async def lang(self, turn: Turn, command: Command) -> None:
        choice = command.args.split()[0].lower()
        if choice not in i18n.LANGUAGES:
            turn.say("bad_language")
            return
        await turn.tx.set_lang(turn.person.id, choice)
        turn.lang = choice
        turn.say("lang_set")
