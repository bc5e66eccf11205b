"""Dispute screening from the chat (`bot.screening`): a grid worker's zero report (零报告),
and who has reported a day's or a period's screening (排查情况)."""

from __future__ import annotations

import re
from datetime import date

from bot import screening
from bot.clock import parse_iso
from bot.commands import Command
from bot.desk.base import split_area
from bot.desk.figures import Figures
from bot.period import PeriodError, parse_period
from bot.turn import Turn, person_name
from bot.workflow import Role, may_report_screening, may_see_stats, stats_scope

# What a zero report may add ("已走访12户，无矛盾纠纷"); more is cut.
NOTE_CHARS = 200
# The notes of a grid's day, when a second 零报告 adds to the first.
DAY_NOTE_CHARS = 500
# The day a reminder's button names (/zero DZ 2026-11-30).
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


class Screenings(Figures):
    async def zero_report(self, turn: Turn, command: Command) -> None:
        """Record that the grid's screening found nothing today: the one named first, else
        the worker's own grid, else (staff writing down what a worker phoned in) the grid of
        the group it was typed in, or the only one.  Once a day per grid; not after a
        report of the day's (上报), which is the grid's report already."""
        words = command.args.split()
        area = self.area_words.get(words[0]) if words else None
        room = turn.inbound.room
        group = self.config.intake_group(room.channel, room.chat_id)
        if area is not None:
            words = words[1:]
        elif turn.actor.role is Role.GRID_WORKER:
            area = turn.actor.area
        if area is None and group is not None and group.chat_id != "*":
            area = group.area
        if area is None and len(self.config.areas) == 1:
            area = self.config.areas[0].code
        if area is None:
            turn.say("zero_which_area", choices=self._area_choices(turn, lambda _: True))
            return
        name = self.config.area_name(area)
        if not may_report_screening(turn.actor, area):
            turn.say("zero_not_yours", area=name)
            return
        calendar = self.config.work_calendar
        today = calendar.local_date(parse_iso(turn.now))
        day = screening.day_label(today, turn.lang)
        if words and _ISO_DAY.fullmatch(words[0]):  # the reminder's button names its day
            meant = date.fromisoformat(words.pop(0))
            if meant != today:  # a day gone by is not screened now
                turn.say("zero_stale", day=screening.day_label(meant, turn.lang))
                return
        filed = await screening.finds_by_day(turn.tx, today, today)
        if filed[area, today]:
            turn.say("zero_found_already", area=name, day=day, count=filed[area, today])
            return
        note = " ".join(words)[:NOTE_CHARS]
        if await turn.tx.record_zero_report(area, today.isoformat(), turn.person.id, turn.now,
                                            note):
            turn.say("zero_recorded", area=name, day=day)
            return
        made = [z for z in await turn.tx.zero_reports(today.isoformat(), today.isoformat())
                if z.area == area]
        if note and made[0].person_id != turn.person.id:
            # The grid's other worker's, named: the day's notes are shown as the words of
            # whoever made its report (王网格员 17:00：「…」), and read as theirs.
            note = f"{person_name(turn.person)}：{note}"
        if note and note not in made[0].note:  # what the screening covered, said afterwards
            notes = f"{made[0].note}；{note}" if made[0].note else note
            await turn.tx.note_zero_report(area, today.isoformat(), notes[:DAY_NOTE_CHARS])
            turn.say("zero_note_added", area=name, day=day)
            return
        if self._in_public_group(turn):  # who works the grid is the desk's
            turn.say("zero_already_public", area=name, day=day)
            return
        at = parse_iso(made[0].at).astimezone(calendar.zone).strftime("%H:%M")
        turn.say("zero_already", area=name, day=day, name=made[0].person_name, time=at)

    async def screening(self, turn: Turn, command: Command) -> None:
        """Which grids have reported their screening: today unless a period is named, of
        every grid (a grid worker: their own) unless one is."""
        words, area = split_area(command.args, self.area_words)
        try:
            period = parse_period(words or "今天", parse_iso(turn.now), self.render.zone)
        except PeriodError:
            self._bad_period_words(turn, words, "screening")
            return
        area = area or stats_scope(turn.actor)
        if not may_see_stats(turn.actor, area):
            turn.say("stats_own_area", area=self.config.area_name(turn.actor.area))
            return
        areas = [area] if area else [a.code for a in self.config.areas]
        if not areas:
            turn.say("screening_no_areas")
            return
        days = screening.days_of(period, parse_iso(turn.now), self.config)
        found = await screening.grid_days(turn.tx, areas, days, self.config)
        today = self.config.work_calendar.local_date(parse_iso(turn.now))
        if len(days) == 1 and days[0] > today:
            turn.say("screening_future", day=screening.day_label(days[0], turn.lang))
            return
        if len(days) == 1:  # a day's names, who made its report and when
            # Not in a residents' group: who works which grid, and the notes, are the desk's.
            public = self._in_public_group(turn)
            workers = {} if public else await screening.workers_by_area(turn.tx)
            text = screening.render_day(found, days[0], workers, self.config, turn.lang, public)
            turn.reply(text)
            return
        turn.reply(screening.render_days(found, days, today, self.config, turn.lang))

