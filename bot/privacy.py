"""Masking personal numbers, and private reports, in text that a whole group can read.

Reports and resolutions often carry a phone number or an ID-card number.  In an intake
group every resident reads the bot's replies, so those numbers are masked there; the
worker handling the ticket and the staff see them in full (private chat, staff chat).
The rules follow common practice on Chinese government service platforms: keep enough
digits to recognise the number (the prefix and the last four), hide the rest.
"""

from __future__ import annotations

import re
from dataclasses import replace

from bot import i18n
from bot.config import Config
from storage.base import TicketRecord

# 18-digit resident ID card (the last character may be X).  Checked first, so a mobile
# number is never matched inside one.
_ID_CARD = re.compile(r"(?<![0-9A-Za-z])(\d{6})(\d{8})(\d{3}[\dXx])(?![0-9A-Za-z])")
# Mainland mobile numbers, optionally +86 / 86 first, optionally split 3-4-4.
_MOBILE = re.compile(r"(?<!\d)((?:\+?86[- ]?)?1[3-9]\d)[- ]?(\d{4})[- ]?(\d{4})(?!\d)")
# Landlines with an area code: 010-12345678, 0755 1234567, (021)12345678.
_LANDLINE = re.compile(r"(?<!\d)(\(?0\d{2,3}\)?[- ]?)(\d{3,4})(\d{4})(?!\d)")


def mask_pii(text: str, public: tuple[str, ...] = ()) -> str:
    """`text` with phone and ID-card numbers masked (138****5678, 1101**********123X).

    `public` numbers (the centre's own helpline, say) are left as they are: they are not
    anybody's personal data, and a masked helpline is useless.
    """
    kept = [number for number in public if number and number in text]
    for i, number in enumerate(kept):
        # Only the number standing alone: "12356" inside an ID-card number is still masked.
        alone = re.compile(rf"(?<![0-9A-Za-z]){re.escape(number)}(?![0-9A-Za-z])")
        text = alone.sub(f"\x00{i}\x00", text)
    text = _ID_CARD.sub(lambda m: m.group(1)[:4] + "*" * 10 + m.group(3)[-4:], text)
    text = _MOBILE.sub(lambda m: f"{m.group(1)}****{m.group(3)}", text)
    text = _LANDLINE.sub(lambda m: m.group(1) + "*" * len(m.group(2)) + m.group(3), text)
    for i, number in enumerate(kept):
        text = text.replace(f"\x00{i}\x00", number)
    return text


def hidden_in(
    config: Config, channel: str, chat_id: str, from_channel: str, from_chat: str
) -> bool:
    """Whether what was sent in `from_chat` must not be read out in the chat `channel`/
    `chat_id`: a residents' intake group reads only what was said in it.  A private report's
    reporter (私下反映) chose not to say it there; another group's residents (another grid)
    never read it, and a worker or staff member asking there must not read it out to them."""
    return config.is_public_group(channel, chat_id) and (from_channel, from_chat) != (
        channel, chat_id
    )


def hidden_key(config: Config, from_channel: str, from_chat: str) -> str:
    """How a group is told a ticket from `from_chat` is not shown there (a catalogue key,
    with a {ticket} field): a private report's, or another group's."""
    if config.privately_reported(from_channel, from_chat):
        return "private_ticket_here"
    return "elsewhere_ticket_here"


def shown_in(
    config: Config, channel: str, chat_id: str, ticket: TicketRecord, lang: str | None
) -> TicketRecord:
    """`ticket` as a list in the chat `channel`/`chat_id` may show it: where it is hidden
    (`hidden_in`) its words stand as （私下反映） or （其他群反映）; anywhere else unchanged."""
    if hidden_in(config, channel, chat_id, ticket.channel, ticket.chat_id):
        private = config.privately_reported(ticket.channel, ticket.chat_id)
        summary = "private_summary" if private else "elsewhere_summary"
        return replace(ticket, text=i18n.t(summary, lang))
    return ticket
