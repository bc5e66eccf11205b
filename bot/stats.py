"""The /stats reply: a period's tickets (of one area, or of all) by status, type and
urgency, and how fast they were taken up and resolved.

The numbers come from the database (`Tx.ticket_stats`); this module only says them, in
the reader's language.  Every status and urgency is listed, zeros included, so a staff
member comparing two periods reads the same rows; dispute types are many, so only those
that occurred are listed, most frequent first.  Tickets dismissed as not a report are no
cases: they get a line of their own, at the end, only when there are some.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from zoneinfo import ZoneInfo

from bot import i18n
from bot.period import Period
from bot.workflow import Rating, Source, Status
from classifier.taxonomy import TYPES, URGENCIES
from storage.base import TicketStats


def duration(seconds: float, lang: str | None) -> str:
    """A median as people say it: 2天3小时, 5小时12分钟, 25分钟 (2d 3h, 5h 12m, 25 min)."""
    whole = max(0, round(seconds))  # SQLite's julianday() arithmetic is off by microseconds
    if whole < 60:
        return i18n.t("duration_s", lang, s=whole)
    days, rest = divmod(round(whole / 60), 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return i18n.t("duration_dh", lang, d=days, h=hours)
    if hours:
        return i18n.t("duration_hm", lang, h=hours, m=mins)
    return i18n.t("duration_m", lang, m=mins)


def percent(part: int, whole: int) -> str:
    """`part` of `whole` (> 0) as a share to one decimal, 66.7%: never 100.0% or 0.0% unless
    it is exactly that.  Rounded, 1,999 on time of 2,000 read 按期办结率 100.0% beside
    超期办结 1 件, the figure a supervision office checks against a target of 100%."""
    share = round(100 * part / whole, 1)
    if part < whole:
        share = min(share, 99.9)
    if part > 0:
        share = max(share, 0.1)
    return f"{share:.1f}%"


def counts_line(
    key: str, pairs: Iterable[tuple[str, int]], lang: str | None, **more: object
) -> str:
    """One "by …" line: labels and counts joined the way the language lists things."""
    sep = i18n.t("stats_sep", lang)
    items = sep.join(i18n.t("stats_item", lang, label=label, count=n) for label, n in pairs)
    return i18n.t(key, lang, items=items, **more)


def _ordered(counts: dict[str, int], order: Iterable[str]) -> list[tuple[str, int]]:
    """Every code in `order` (zeros too), then any other code that occurred."""
    known = list(order)
    return [(code, counts.get(code, 0)) for code in known] + [
        (code, n) for code, n in sorted(counts.items()) if code not in known
    ]


def _by_frequency(counts: dict[str, int]) -> list[tuple[str, int]]:
    """Codes that occurred, most frequent first; ties in taxonomy order."""
    rank = {code: i for i, code in enumerate(TYPES)}
    return sorted(counts.items(), key=lambda item: (-item[1], rank.get(item[0], len(rank))))


# The statuses of reports, in the order the "by status" line lists them; a dismissed
# ticket is not one, nor is a merged one a case of its own (both are counted apart).
_APART = (Status.DISMISSED, Status.MERGED)
# The areas the "by area" line names one by one; past this (a province), the busiest.
AREAS_LISTED = 20
_REPORT_STATUSES = [status.value for status in Status if status not in _APART]


def _median(seconds: float | None, lang: str | None) -> str:
    return i18n.t("stats_no_median", lang) if seconds is None else duration(seconds, lang)


def render_stats(
    stats: TicketStats,
    period: Period,
    zone: ZoneInfo,
    lang: str | None,
    area: str | None = None,
    departments: Mapping[str, str] | None = None,
    crowd: int = 5,
    areas: Mapping[str, str] | None = None,
    before: TicketStats | None = None,
) -> str:
    """`area`: the name of the one area counted; None when every area is.  `departments`:
    each department's name by its code, in the config's order (转办).  `crowd`: the people
    involved that made a group dispute (`Tx.ticket_stats`).  `areas`: each area's name by
    its code, in the config's order (the line comparing them).  `before`: the same figures
    of the period just before (`Period.previous`), when this one is over (环比)."""
    start, end = period.describe(zone)
    if area is None:
        lines = [i18n.t("stats_header", lang, start=start, end=end)]
    else:
        lines = [i18n.t("stats_header_area", lang, area=area, start=start, end=end)]
    if stats.received == 0:  # none came in, though some may have the period before (环比)
        lines.append(i18n.t("stats_none", lang))
        lines += _versus(stats, before, period.previous(zone), zone, lang)
        return "\n".join(lines + _assisted(stats, lang) + _apart(stats, lang))
    share = percent(stats.resolved, stats.received)
    statuses = _ordered(stats.by_status, _REPORT_STATUSES)
    urgencies = _ordered(stats.by_urgency, URGENCIES)
    lines += [
        i18n.t(
            "stats_received", lang, received=stats.received, resolved=stats.resolved, share=share
        )
        + (i18n.t("stats_withdrawn", lang, count=stats.withdrawn) if stats.withdrawn else ""),
        *_versus(stats, before, period.previous(zone), zone, lang),
        counts_line(
            "stats_by_status", ((i18n.name(f"status.{s}", lang), n) for s, n in statuses), lang
        ),
        counts_line(
            "stats_by_type",
            ((i18n.type_label(t, lang), n) for t, n in _by_frequency(stats.by_type)),
            lang,
        ),
        counts_line(
            "stats_by_urgency",
            ((i18n.urgency_label(u, lang), n) for u, n in urgencies),
            lang,
        ),
    ]
    if stats.needs_triage:
        lines.append(i18n.t("stats_triage", lang, count=stats.needs_triage))
    claim = _median(stats.median_claim_seconds, lang)
    resolve = _median(stats.median_resolve_seconds, lang)
    lines.append(i18n.t("stats_claim", lang, median=claim, count=stats.claimed))
    lines.append(i18n.t("stats_resolve", lang, median=resolve, count=stats.resolved))
    # 按期办结率, the figure a supervision office reports (of the desk's resolutions), and
    # 化解成功率, the one a centre reports of its mediation (of the outcomes that said).
    lines += _rate("stats_on_time", lang, on_time=stats.resolved_on_time, late=stats.resolved_late)
    lines += _rate("stats_settled", lang, settled=stats.settled, unsettled=stats.unsettled)
    if stats.major:
        lines.append(
            i18n.t("stats_major", lang, count=stats.major, resolved=stats.resolved_major)
        )
    lines += _sources(stats, lang)
    lines += _areas(stats, areas or {}, lang)
    lines += _departments(stats, departments or {}, lang)
    lines += _assisted(stats, lang)
    lines += _involved(stats, crowd, lang)
    return "\n".join(lines + _ratings(stats, lang) + _apart(stats, lang))


def _versus(
    stats: TicketStats, before: TicketStats | None, previous: Period, zone: ZoneInfo,
    lang: str | None,
) -> list[str]:
    """How the reports received changed from the period before (环比), and the type that
    rose most: the first question of a centre's monthly analysis (研判).  None without the
    period before's figures, or when it had no reports to compare with."""
    if before is None or not before.received:
        return []
    change = f"{100 * (stats.received - before.received) / before.received:+.1f}%"
    days = ""
    if previous.whole_days(zone):  # a rolling window's: "the period before", no dates
        start, end = previous.describe(zone)
        days = i18n.t("stats_before_days", lang, start=start, end=end)
    rises = {t: n - before.by_type.get(t, 0) for t, n in stats.by_type.items()}
    rank = {code: i for i, code in enumerate(TYPES)}
    top = max(rises.items(), key=lambda item: (item[1], -rank.get(item[0], len(rank))),
              default=None)
    rise = ""
    if top is not None and top[1] > 0:
        rise = i18n.t("stats_rise", lang, type=i18n.type_label(top[0], lang), count=top[1])
    return [i18n.t("stats_vs_previous", lang, change=change, before=days,
                   count=before.received, rise=rise)]


def _involved(stats: TicketStats, crowd: int, lang: str | None) -> list[str]:
    """Group disputes and the money involved (涉及人数, 涉及金额), when any case names them."""
    lines = []
    if stats.crowds:
        lines.append(i18n.t("stats_crowds", lang, crowd=crowd, count=stats.crowds))
    if stats.with_amount:
        text = i18n.t(
            "stats_amount", lang, count=stats.with_amount, amount=i18n.money(stats.amount, lang)
        )
        if stats.settled_with_amount:
            text += i18n.t(
                "stats_settled_amount", lang, count=stats.settled_with_amount,
                amount=i18n.money(stats.settled_amount, lang),
            )
        lines.append(text)
    return lines


def _rate(key: str, lang: str | None, **counts: int) -> list[str]:
    """A line of two counts and the share of the first in both ("按期办结 3 件，超期办结 1 件；
    按期办结率 75.0%"); none when both are 0, as nothing was measured."""
    first, total = next(iter(counts.values())), sum(counts.values())
    if not total:
        return []
    return [i18n.t(key, lang, share=percent(first, total), **counts)]


def _sources(stats: TicketStats, lang: str | None) -> list[str]:
    """Where the reports came from (信息来源), when by more than one way: the residents'
    whistle in the groups and one to one beside the desk's own reports (上报: patrols,
    the day's screening, walk-ins written down), in that order."""
    if len(stats.by_source) < 2:
        return []
    order = [s.value for s in Source]
    pairs = _ordered(stats.by_source, order)
    return [counts_line("stats_by_source", ((i18n.name(f"source.{s}", lang), n)
                                            for s, n in pairs if n), lang)]


def _areas(stats: TicketStats, names: Mapping[str, str], lang: str | None) -> list[str]:
    """Each area's reports and how many of them are resolved (按网格), when every area's are
    counted and there are several: the figure a centre compares its grids or townships by.
    Every area, zeros too, in the config's order; past `AREAS_LISTED`, the busiest."""
    if not stats.by_area or len(names) < 2:
        return []
    codes = list(names) + sorted(c for c in stats.by_area if c not in names)  # since removed
    if len(codes) > AREAS_LISTED:
        busiest = sorted(codes, key=lambda c: -stats.by_area.get(c, 0))[:AREAS_LISTED]
        codes = [c for c in codes if c in busiest]
    items = i18n.t("stats_sep", lang).join(
        i18n.t(
            "stats_department_item", lang, department=names.get(code, code),
            count=stats.by_area.get(code, 0), resolved=stats.resolved_by_area.get(code, 0),
        )
        for code in codes
    )
    rest = len(names) + len(set(stats.by_area) - set(names)) - len(codes)
    more = i18n.t("stats_areas_more", lang, count=rest) if rest > 0 else ""
    return [i18n.t("stats_by_area", lang, items=items, more=more)]


def _departments(stats: TicketStats, names: Mapping[str, str], lang: str | None) -> list[str]:
    """How many of the period's reports are with each department (转办) and how many of
    those it has resolved: the figure a centre reports of its departments (部门办结率); then
    the same of the departments asked to assist (协办), another leading."""
    lines = []
    for key, counts, resolved in (
        ("stats_by_department", stats.by_department, stats.resolved_by_department),
        ("stats_by_assisting", stats.by_assisting, stats.resolved_by_assisting),
    ):
        if not counts:
            continue
        codes = [c for c in names if c in counts]
        codes += sorted(c for c in counts if c not in names)  # since removed
        items = i18n.t("stats_sep", lang).join(
            i18n.t(
                "stats_department_item", lang, department=names.get(code, code),
                count=counts[code], resolved=resolved.get(code, 0),
            )
            for code in codes
        )
        lines.append(i18n.t(key, lang, items=items))
    return lines


def _assisted(stats: TicketStats, lang: str | None) -> list[str]:
    """A department's figures: the reports it assists with (协办), which another leads and
    none of its figures count."""
    if not stats.assisted:
        return []
    return [i18n.t("stats_assisted", lang, count=stats.assisted,
                   resolved=stats.resolved_assisted)]


def _ratings(stats: TicketStats, lang: str | None) -> list[str]:
    """The follow-up visits' answers and the satisfaction rate (满意率) the centre reports:
    satisfied or fair, of the tickets answered.  None when nobody has answered yet."""
    answered = sum(stats.ratings.values())
    if not answered:
        return []
    pleased = stats.ratings.get(Rating.SATISFIED, 0) + stats.ratings.get(Rating.FAIR, 0)
    share = percent(pleased, answered)
    pairs = rating_pairs(stats.ratings, lang)
    return [counts_line("stats_ratings", pairs, lang, count=answered, share=share)]


def rating_pairs(ratings: dict[str, int], lang: str | None) -> list[tuple[str, int]]:
    """Every rating (zeros too, in the visit's order) with its count, for `counts_line`."""
    return [(i18n.name(f"rating.{r}", lang), ratings.get(r, 0)) for r in Rating]


def _apart(stats: TicketStats, lang: str | None) -> list[str]:
    """The tickets counted in none of the figures: dismissed, and merged (并案)."""
    counts = (("stats_dismissed", stats.dismissed), ("stats_merged", stats.merged))
    return [i18n.t(key, lang, count=n) for key, n in counts if n]
