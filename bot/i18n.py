"""Every sentence the bot says, in Simplified Chinese (default) and English.

One catalogue so that wording is reviewed in one place and no reply can exist in only one
language (a test checks both columns are filled and take the same fields).
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable

from classifier.taxonomy import TYPES, URGENCIES

LANGUAGES = ("zh", "en")
DEFAULT_LANGUAGE = "zh"

CATALOGUE: dict[str, tuple[str, str]] = {
    # acceptance
    "ack": (
        "已受理，工单号 {ticket}。\n类型：{type}｜紧急程度：{urgency}\n"
        "网格员将尽快处理，发送「查询 {number}」可了解进度。",
        "Received. Ticket {ticket}.\nType: {type} | Urgency: {urgency}\n"
        "A grid worker will follow up; send /status {number} for progress.",
    ),
    # ... a report about the desk's own people (作风反映): the centre's staff work it, not the
    # grid worker it may be about (`bot.workflow.kept_from`).
    "ack_about_the_desk": (
        "已受理，工单号 {ticket}。\n类型：{type}｜紧急程度：{urgency}\n"
        "综治中心将尽快处理，发送「查询 {number}」可了解进度。",
        "Received. Ticket {ticket}.\nType: {type} | Urgency: {urgency}\n"
        "The centre's staff will follow up; send /status {number} for progress.",
    ),
    "ack_urgent": (
        "【紧急】已受理，工单号 {ticket}，已通知值班人员。如有生命危险请立即拨打 110 / 120 / 119。",
        "[URGENT] Received as ticket {ticket}; the duty desk has been alerted. "
        "If life is in danger call 110 / 120 / 119 now.",
    ),
    "ack_checking": (
        "已受理，工单号 {ticket}，值班人员会尽快核实。如有危险请立即拨打 110 / 120 / 119。",
        "Received as ticket {ticket}; the duty desk will check it shortly. "
        "If anyone is in danger call 110 / 120 / 119 now.",
    ),
    # ... where the config has no staff room (staff_chat, [supervision] notify): nobody on
    # duty was told; its grid workers were, privately (`bot.filing.alerted`), or nobody.
    "ack_urgent_to_grid": (
        "【紧急】已受理，工单号 {ticket}，已通知网格员。如有生命危险请立即拨打 110 / 120 / 119。",
        "[URGENT] Received as ticket {ticket}; the grid workers have been alerted. "
        "If life is in danger call 110 / 120 / 119 now.",
    ),
    "ack_urgent_to_nobody": (
        "【紧急】已受理，工单号 {ticket}。如有生命危险请立即拨打 110 / 120 / 119。",
        "[URGENT] Received as ticket {ticket}. If life is in danger call 110 / 120 / 119 now.",
    ),
    "ack_checking_to_grid": (
        "已受理，工单号 {ticket}，网格员会尽快核实。如有危险请立即拨打 110 / 120 / 119。",
        "Received as ticket {ticket}; a grid worker will check it shortly. "
        "If anyone is in danger call 110 / 120 / 119 now.",
    ),
    "ack_checking_to_nobody": (
        "已受理，工单号 {ticket}。如有危险请立即拨打 110 / 120 / 119。",
        "Received as ticket {ticket}. If anyone is in danger call 110 / 120 / 119 now.",
    ),
    # A grid worker's own 上报 (Source.GRID): the three above are written to a resident, who
    # is told a grid worker will follow up, to ask 查询 for progress, to ring 110.  The
    # worker is the grid worker: told how to take it on the spot (就地化解) or pass it on.
    "ack_grid": (
        "已登记上报，工单号 {ticket}。\n类型：{type}｜紧急程度：{urgency}",
        "Your report is filed as ticket {ticket}.\nType: {type} | Urgency: {urgency}",
    ),
    "ack_urgent_grid": (
        "【紧急】已登记上报，工单号 {ticket}，已通知值班人员。"
        "现场有人身危险请先拨打 110 / 120 / 119，注意自身安全。",
        "[URGENT] Your report is filed as ticket {ticket}; the duty desk has been alerted. "
        "If anyone is in danger call 110 / 120 / 119 first and keep yourself safe.",
    ),
    "ack_checking_grid": (
        "已登记上报，工单号 {ticket}，值班人员会尽快核实。"
        "如有人身危险请先拨打 110 / 120 / 119，注意自身安全。",
        "Your report is filed as ticket {ticket}; the duty desk will check it shortly. If "
        "anyone is in danger call 110 / 120 / 119 first and keep yourself safe.",
    ),
    # ... with no staff room, which nobody on duty hears of: the centre is to be phoned.
    "ack_urgent_to_nobody_grid": (
        "【紧急】已登记上报，工单号 {ticket}。中心未设值班群，未通知到值班人员，请电话报告中心。"
        "现场有人身危险请先拨打 110 / 120 / 119，注意自身安全。",
        "[URGENT] Your report is filed as ticket {ticket}. The centre has no duty room set "
        "up, so nobody on duty was alerted: phone the centre. If anyone is in danger call "
        "110 / 120 / 119 first and keep yourself safe.",
    ),
    "ack_checking_to_nobody_grid": (
        "已登记上报，工单号 {ticket}。中心未设值班群，未通知到值班人员，如需中心处置请电话报告。"
        "如有人身危险请先拨打 110 / 120 / 119，注意自身安全。",
        "Your report is filed as ticket {ticket}. The centre has no duty room set up, so "
        "nobody on duty was alerted: phone the centre if it needs them. If anyone is in "
        "danger call 110 / 120 / 119 first and keep yourself safe.",
    ),
    # ... and while nobody has taken it up, what is theirs to do next.
    "ack_grid_next": (
        "就地化解的，请发送「认领 {number}」，处理后「办结 {number} 结果」；"
        "需其他部门处理的，请「备注 {number} 情况」并请中心转办。",
        "To settle it on the spot, send /claim {number}, then /resolve {number} with the "
        "outcome; if another department should handle it, /note {number} why and ask the "
        "centre to transfer it.",
    ),
    "ack_state": ("当前：{status}{holder}", "Now: {status}{holder}"),
    # The state line above on its own, where the acknowledgement cannot be edited (WeChat).
    "ack_news_checking": (
        "工单 {ticket} 进展：{status}{holder}", "Ticket {ticket} update: {status}{holder}"
    ),
    "ack_news": (
        "工单 {ticket} 进展：{status}{holder}｜{type}｜{urgency}",
        "Ticket {ticket} update: {status}{holder} | {type} | {urgency}",
    ),
    "ack_dismissed": (
        "【已作废】经核实，这条消息不是报事，工单 {ticket} 不再办理。"
        "如需反映问题，请直接在群里描述（时间、地点、涉及的人）。",
        "[Withdrawn] This message is not a report, so ticket {ticket} has been withdrawn. "
        "To report a problem, describe it in the group (when, where, who).",
    ),
    # ... under a report made one to one (私下反映): sent to the group, the reporter would
    # say there what they had come to say out of its sight.
    "ack_dismissed_private": (
        "【已作废】经核实，这条消息不是报事，工单 {ticket} 不再办理。"
        "如需反映问题，请在这里直接描述（时间、地点、涉及的人）。",
        "[Withdrawn] This message is not a report, so ticket {ticket} has been withdrawn. "
        "To report a problem, describe it here (when, where, who).",
    ),
    # ... under the desk's own (上报, 代报), whose messages are reports only when declared.
    "ack_dismissed_desk": (
        "【已作废】经核实，这条不是报事，工单 {ticket} 不再办理。如需上报，请发送「上报：内容」。",
        "[Withdrawn] This is not a report, so ticket {ticket} has been withdrawn. To report "
        "something, send /report with what it is.",
    ),
    "holder_suffix": ("（{name}）", " ({name})"),
    "addendum": ("已补充到工单 {ticket}。", "Added to ticket {ticket}."),
    "pictures_folded": (
        "工单 {ticket}（只有图片/材料）已并入工单 {main}：同一居民随后补充了文字说明。",
        "Ticket {ticket} (pictures or files only) was merged into ticket {main}: the same "
        "resident then sent the words.",
    ),
    "evidence_added": (
        "图片/材料已补充到工单 {ticket}。", "The picture or file was added to ticket {ticket}."
    ),
    "edit_addendum": (
        "已将修改后的内容补充到工单 {ticket}。", "The edited text was added to ticket {ticket}."
    ),
    "talk_not_filed": (
        "这条消息没有登记为工单。如需上报，请发送「上报：内容」；其他命令见 /help。",
        "This message was not filed as a ticket. To report something, send /report with the "
        "text; /help lists the other commands.",
    ),
    # A desk member's plain words about one ticket, answered with the command that does it
    # (`bot.desk_hints`): the words are not carried out.
    "desk_hint_resolve": (
        "要办结工单 {ticket}，请发送「办结 {number} 处理结果」，"
        "如「办结 {number} 已上门调解，双方和解」。",
        "To resolve ticket {ticket}, send /resolve {number} with the outcome, e.g. "
        "/resolve {number} Visited both sides, they settled.",
    ),
    "desk_hint_dispatch": (
        "要转办工单 {ticket}，请发送「转办 {number} {department}」。",
        "To transfer ticket {ticket}, send /assign {number} {department}.",
    ),
    "desk_hint_dispatch_note": (
        "转办工单由中心工作人员操作。请发送「备注 {number} 需要{department}处理」"
        "记在工单 {ticket} 上，并请中心转办。",
        "Transfers are made by centre staff. Send /note {number} needs {department} to put "
        "it on ticket {ticket}, and ask the centre to transfer it.",
    ),
    "desk_hint_claim": (
        "要认领工单 {ticket}，请发送「认领 {number}」。",
        "To claim ticket {ticket}, send /claim {number}.",
    ),
    "report_needs_area": (
        "私聊上报需要您所属的网格；请在网格的群里发送「上报：内容」。",
        "A report sent in a private chat needs your area; send /report with the text in "
        "your area's group.",
    ),
    "settled_hint": (
        "收到，已记入工单 {ticket}。如问题已经解决、不需要再处理，请发送「撤回 {number}」。",
        "Noted in ticket {ticket}. If it is settled and needs nothing more, send "
        "/withdraw {number}.",
    ),
    "settled_notice": (
        "工单 {ticket} 的反映人说：{text}\n如确已解决，请核实后办结（或等反映人撤回）。",
        "The reporter of ticket {ticket} says: {text}\nIf it is settled, check and resolve it "
        "(or wait for them to withdraw it).",
    ),
    "follow_on_addendum": (
        "已补充到您刚反映的工单 {ticket}，网格员会一并处理。"
        "如是另一件事，请以「另外，」开头再发一次。",
        "Added to ticket {ticket}, which you just reported. If it is another matter, send it "
        "again starting with \"Another matter:\".",
    ),
    "repeat_addendum": (
        "您已反映过此事，已补充到工单 {ticket}，网格员会一并处理。"
        "发送「查询 {number}」可了解进度。",
        "You reported this already: it was added to ticket {ticket}, which the grid worker is "
        "handling. Send /status {number} for progress.",
    ),
    # The same three of a 作风反映 (a complaint about the desk's own people): the centre
    # handles it, not the grid worker it may be about (`Pipeline._addendum`).
    "follow_on_addendum_centre": (
        "已补充到您刚反映的工单 {ticket}，综治中心会一并处理。"
        "如是另一件事，请以「另外，」开头再发一次。",
        "Added to ticket {ticket}, which you just reported; the centre will handle it "
        "together. If it is another matter, send it again starting with \"Another matter:\".",
    ),
    "repeat_addendum_centre": (
        "您已反映过此事，已补充到工单 {ticket}，综治中心会一并处理。"
        "发送「查询 {number}」可了解进度。",
        "You reported this already: it was added to ticket {ticket}, which the centre is "
        "handling. Send /status {number} for progress.",
    ),
    "repeat_resolved_centre": (
        "您反映的问题（工单 {ticket}）已办结，这条消息已补充到该工单。"
        "如问题仍未解决，请发送「重开 {number} 原因」，综治中心会重新处理。",
        "Your report (ticket {ticket}) was resolved; this message was added to it. If the "
        "problem is not solved, send /reopen {number} with the reason and the centre will "
        "handle it again.",
    ),
    "repeat_withdrawn_centre": (
        "您反映的问题（工单 {ticket}）已撤回，这条消息已补充到该工单。"
        "如问题仍未解决，请发送「重开 {number} 原因」，综治中心会重新处理。",
        "Your report (ticket {ticket}) was withdrawn; this message was added to it. If the "
        "problem is not solved, send /reopen {number} with the reason and the centre will "
        "handle it again.",
    ),
    "repeat_visited": (
        "您反映的问题（工单 {ticket}）已办结，这条消息已补充到该工单，经办人员会看到。"
        "如对处理结果不满意，请发送「不满意 {number} 原因」，工单会重新打开。",
        "Your report (ticket {ticket}) was resolved; this message was added to it for whoever "
        "handles it. If you are not satisfied with the outcome, send /rate {number} "
        "unsatisfied with the reason, and it will be reopened.",
    ),
    "repeat_resolved": (
        "您反映的问题（工单 {ticket}）已办结，这条消息已补充到该工单。"
        "如问题仍未解决，请发送「重开 {number} 原因」，网格员会重新处理。",
        "Your report (ticket {ticket}) was resolved; this message was added to it. If the "
        "problem is not solved, send /reopen {number} with the reason and it will be handled "
        "again.",
    ),
    # The same of one its reporter withdrew (撤回): the centre did not resolve it.
    "repeat_withdrawn": (
        "您反映的问题（工单 {ticket}）已撤回，这条消息已补充到该工单。"
        "如问题仍未解决，请发送「重开 {number} 原因」，网格员会重新处理。",
        "Your report (ticket {ticket}) was withdrawn; this message was added to it. If the "
        "problem is not solved, send /reopen {number} with the reason and it will be handled "
        "again.",
    ),
    "repeat_possible_danger": (
        "工单 {ticket}（{urgency}）的反映人再次反映，模型判断可能紧急，"
        "未命中安全规则，请核实：{text}",
        "The reporter of ticket {ticket} ({urgency}) raised it again, and the model sees a "
        "possible danger (no safety rule fired): check it. {text}",
    ),
    "follow_on_possible_danger": (
        "工单 {ticket}（紧急，模型判断）的反映人接着补充，模型判断可能紧急，未命中安全规则，"
        "请核实：{text}",
        "The reporter of ticket {ticket} (urgent by the model alone) went on telling it, and "
        "the model sees a possible danger in what they added (no safety rule fired): check "
        "it. {text}",
    ),
    "repeat_danger": (
        "工单 {ticket}（紧急）的反映人再次反映险情，已补充到该工单，请核实是否为新的情况：{text}",
        "The reporter of urgent ticket {ticket} reported a danger again; it was added to the "
        "ticket: check whether it is a new one. {text}",
    ),
    "repeat_notice": (
        "您负责的工单 {ticket} 的反映人再次反映：{text}",
        "The reporter of your ticket {ticket} raised it again: {text}",
    ),
    "staff_new_ticket": (
        "新工单 {ticket}｜{area}｜{type}｜{urgency}{triage}\n{reporter}：{text}",
        "New ticket {ticket} | {area} | {type} | {urgency}{triage}\n{reporter}: {text}",
    ),
    "triage_flag": ("｜需人工研判", " | needs triage"),
    # A report too vague to type (需人工研判), typed by the model on what its reporter added.
    "typed_from_parts": (
        "工单 {ticket} 已按反映人补充的内容由模型定为 {type}｜{urgency}（原需人工研判），"
        "如有误请改标。",
        "Ticket {ticket} is now {type} | {urgency}: typed by the model from what its reporter "
        "added (it was awaiting triage). Re-tag it (/retag) if wrong.",
    ),
    "department_line": ("建议承办：{department}", "Suggested department: {department}"),
    # The same in the staff room's new-ticket notice, where buttons hand it on: their words,
    # for platforms without buttons (WeChat).
    "department_line_dispatch": (
        "建议承办：{department}（转办请发送{commands}）",
        "Suggested department: {department} (to hand it on, send {commands})",
    ),
    "dispatch_typed": ("「转办 {number} {department}」", "/assign {number} {department}"),
    "department_now": ("承办部门：{department}", "Handled by: {department}"),
    "settled_now": ("调处结果：{result}", "Dispute: {result}"),
    "settled_recorded": (
        "已记录工单 {ticket} 的调处结果：{result}。", "Ticket {ticket}: recorded as {result}."
    ),
    "involved_set": ("工单 {ticket} 涉及：{figures}。", "Ticket {ticket} involves: {figures}."),
    "involved_wrong_kind": (
        "「{value}」不是涉及{kind}。人数写「30人」，金额写「5万元」，如「涉及 12 30人 5万元」。",
        "'{value}' is not what 涉及{kind} takes: write people as 30人, money as 5万元 "
        "(涉及 12 30人 5万元).",
    ),
    "involved_closed": (
        "工单 {ticket} 当前为「{status}」，记录已定，不能再改涉及人数、金额。",
        "Ticket {ticket} is {status}: its record is final, and its figures stay as they are.",
    ),
    "involved_set_here": (
        "已记录工单 {ticket} 的涉及人数、金额（私聊发送「详情 {number}」查看）。",
        "Recorded the people and money ticket {ticket} involves (/ticket {number} in a private "
        "chat shows them).",
    ),
    "involved_bad_word": (
        "看不懂「{value}」：人数写「30人」或「20户」，金额写「5万元」或「3000元」。用法：{usage}",
        "Cannot read '{value}': write people as 30 people or 20 households, money as "
        "50000 yuan or ¥3000. "
        "Usage: {usage}",
    ),
    "involved_people": ("{count}人", "{count} people"),
    "involved_now": ("涉及：{figures}", "Involves: {figures}"),
    "involved_read": (
        "涉及（据反映内容）：{figures}；如需核定，发送「涉及 {number} 30人 5万元」这样的格式",
        "Involves (as the report says): {figures}; to correct, send /involved {number} "
        "30 people ¥50,000",
    ),
    "settled_cleared": (
        "已清除工单 {ticket} 的调处结果（{result}），不计入化解成功率。",
        "Ticket {ticket}: the result is cleared ({result}) and not counted in the settled rate.",
    ),
    "settled_not_resolved": (
        "工单 {ticket} 当前为「{status}」：办结后才有调处结果"
        "（办结时以「调解成功」或「调解不成」开头即可）。",
        "Ticket {ticket} is {status}: it has an outcome to record once resolved (start the "
        "outcome with \"settled\" or \"not settled\").",
    ),
    "dispatched_to": ("（转{department}）", " (with {department})"),
    "dispatched": (
        "已将工单 {ticket} 转{department}办理，已私信通知对接人：{names}。",
        "Ticket {ticket} handed to {department}; its liaisons were told privately: {names}.",
    ),
    "dispatched_nobody": (
        "已将工单 {ticket} 转{department}办理，但{department}还没有对接人，没有人收到通知。"
        "请管理员先授权对接人：授权 某人 liaison {code}",
        "Ticket {ticket} handed to {department}, but {department} has no liaison yet, so "
        "nobody was told. An admin grants one: /grant someone liaison {code}",
    ),
    "already_dispatched": (
        "工单 {ticket} 已在{department}的待认领队列中。",
        "Ticket {ticket} is already in {department}'s queue.",
    ),
    # 转办 to the department that has it: not again, which would start its clock again
    "already_dispatched_held": (
        "工单 {ticket} 已由{department}办理（{holder} 在办），不再重复转办，办理时限照常计算。"
        "如需换人办理，请发送「指派 {number} 姓名」。",
        "Ticket {ticket} is already with {department} ({holder} holds it); it is not handed "
        "to it again, and its deadlines run on. To give it to someone else, send "
        "/assign {number} name.",
    ),
    # The neutral forms a residents' group reads (`bot.desk.base.PUBLIC_ROUTING`).
    "routed_public": (
        "已将工单 {ticket} 转相关部门办理。",
        "Ticket {ticket} handed to the department concerned.",
    ),
    "routed_public_nobody": (
        "已将工单 {ticket} 转相关部门办理，但该部门还没有对接人，没有人收到通知；"
        "请在工作群或私聊发送「详情 {number}」查看。",
        "Ticket {ticket} handed to the department concerned, but it has no liaison yet, so "
        "nobody was told; send /ticket {number} in the staff chat or one to one.",
    ),
    "routed_public_already": (
        "工单 {ticket} 已由相关部门办理，不再重复转办，办理时限照常计算。",
        "Ticket {ticket} is already with the department concerned; it is not handed on "
        "again, and its deadlines run on.",
    ),
    "assist_public": (
        "已请相关部门协办工单 {ticket}。",
        "The department concerned is asked to assist with ticket {ticket}.",
    ),
    "assist_public_nobody": (
        "已请相关部门协办工单 {ticket}，但该部门还没有对接人，没有人收到通知；"
        "请在工作群或私聊发送「详情 {number}」查看。",
        "The department concerned is asked to assist with ticket {ticket}, but it has no "
        "liaison yet, so nobody was told; send /ticket {number} in the staff chat or one "
        "to one.",
    ),
    "major_public": ("已收到，工单 {ticket} 已记录。", "Noted: ticket {ticket}."),
    "major_public_closed": (
        "工单 {ticket} 当前为「{status}」，未作更改。",
        "Ticket {ticket} is {status}: nothing was changed.",
    ),
    "merge_carried_public": (
        "工单 {main} 随并案接续原工单的办理安排。",
        "Ticket {main} carries on what was arranged for the merged ticket.",
    ),
    "dispatched_notice": (
        "【转办】{by} 将工单 {ticket}（{case}）转{department}办理\n{reporter}：{text}{note}\n"
        "认领请发送「认领 {number}」；不属于本部门职责请发送「退回 {number} 原因」。",
        "[Handed on] {by} handed ticket {ticket} ({case}) to {department}\n"
        "{reporter}: {text}{note}\n"
        "Send /claim {number} to take it up; if it is not your department's, "
        "/unclaim {number} with the reason.",
    ),
    "reopened_department": (
        "【重开】转{department}办理的工单 {ticket} 已被重新打开，回到本部门待认领队列：{summary}"
        "{reason}\n认领请发送「认领 {number}」。",
        "[Reopened] Ticket {ticket}, handed to {department}, was reopened and is back in "
        "your department's queue: {summary}{reason}\nSend /claim {number} to take it up.",
    ),
    "reopened_holder": (
        "【重开】您办结的工单 {ticket} 已被重新打开，回到待认领队列：{summary}{reason}\n"
        "再次认领请发送「认领 {number}」。",
        "[Reopened] Ticket {ticket}, which you resolved, was reopened and is back in the "
        "queue: {summary}{reason}\nSend /claim {number} to take it up again.",
    ),
    # ... one its reporter had withdrawn while the worker held it: not theirs to have resolved.
    "reopened_withdrawn_holder": (
        "【重开】您负责过的工单 {ticket}（反映人曾撤回）已被重新打开，回到待认领队列：{summary}"
        "{reason}\n再次认领请发送「认领 {number}」。",
        "[Reopened] Ticket {ticket}, which you held until its reporter withdrew it, was "
        "reopened and is back in the queue: {summary}{reason}\nSend /claim {number} to take it "
        "up again.",
    ),
    "reopened_reason": ("\n重开原因：{text}", "\nWhy: {text}"),
    "taken_from_you": (
        "{by} 已将您负责的工单 {ticket} 转交 {to}，您无需再办理。",
        "{by} passed ticket {ticket}, which you held, to {to}; it is no longer yours.",
    ),
    "returned_from_you": (
        "{by} 已将您负责的工单 {ticket} 退回待认领队列，您无需再办理。",
        "{by} returned ticket {ticket}, which you held, to the queue; it is no longer yours.",
    ),
    "dispatch_withdrawn": (
        "{by} 已将转{department}办理的工单 {ticket} 改由{to}办理，{department}无需再认领。",
        "{by} moved ticket {ticket}, handed to {department}, to {to}; {department} need not "
        "take it up.",
    ),
    # Staff claiming or resolving a case over whoever was working it (`_tell_taken_over`).
    "claimed_over_department": (
        "{by} 已自行认领转{department}办理的工单 {ticket}，{department}无需再认领。",
        "{by} took up ticket {ticket}, handed to {department}, themselves; {department} need "
        "not take it up.",
    ),
    "resolved_over_holder": (
        "{by} 已办结您负责的工单 {ticket}{text}，您无需再办理。",
        "{by} resolved ticket {ticket}, which you held{text}; it is no longer yours.",
    ),
    "resolved_over_department": (
        "{by} 已办结转{department}办理的工单 {ticket}{text}，{department}无需再认领。",
        "{by} resolved ticket {ticket}, handed to {department}{text}; {department} need not "
        "take it up.",
    ),
    "dispatch_button": ("转办{department}", "Hand to {department}"),
    "dispatched_session": (
        "\n已安排调解：{when}，{place}（由本部门组织，调解前会再提醒）。",
        "\nA mediation session stands: {when}, at {place} (yours to hold now; you will be "
        "reminded before it).",
    ),
    # To whoever a ticket is assigned (指派) with a session standing that has not begun.
    "assigned_session": (
        "\n已安排调解：{when}，{place}（现由您组织）。",
        "\nA mediation session stands: {when}, at {place} (yours to hold now).",
    ),
    # The same, in a handover's notice (转交全部) of several tickets: which one it is.
    "handed_over_session": (
        "\n工单 {ticket} 已安排调解：{when}，{place}（现由您组织）。",
        "\nTicket {ticket}: a mediation session stands: {when}, at {place} (yours to hold now).",
    ),
    "dispatched_note": ("\n中心意见：{note}", "\nThe centre's note: {note}"),
    # Assisting (协办): another department helps while the lead (主办) handles the case.
    "assist_asked": (
        "已请{department}协办工单 {ticket}（主办：{lead}），已通知：{names}。",
        "Asked {department} to assist with ticket {ticket} (led by {lead}); told: {names}.",
    ),
    "assist_asked_nobody": (
        "已请{department}协办工单 {ticket}（主办：{lead}），但{department}还没有对接人，"
        "没有人收到通知。请管理员先授权对接人：授权 某人 liaison {code}",
        "Asked {department} to assist with ticket {ticket} (led by {lead}), but {department} "
        "has no liaison yet, so nobody was told. An admin grants one: /grant someone liaison "
        "{code}",
    ),
    "assist_notice": (
        "【协办】{by} 请{department}协助办理工单 {ticket}（{case}；主办：{lead}）\n"
        "{reporter}：{text}{note}\n"
        "发送「详情 {number}」查看全部记录，「备注 {number} 内容」反馈协办情况；"
        "办结后会告知您结果。",
        "[Assist] {by} asked {department} to assist with ticket {ticket} ({case}; led by "
        "{lead})\n{reporter}: {text}{note}\nSend /ticket {number} for its history and "
        "/note {number} text to add what you found; you will be told the outcome.",
    ),
    "assist_already": (
        "{department}已在协办工单 {ticket}。", "{department} already assists with ticket {ticket}."
    ),
    "assist_is_lead": (
        "工单 {ticket} 由{department}主办，无需再请其协办。",
        "Ticket {ticket} is {department}'s to handle; it cannot also assist.",
    ),
    "assist_closed": (
        "工单 {ticket} 当前为「{status}」，不再请部门协办。",
        "Ticket {ticket} is {status}: no department is asked to assist any more.",
    ),
    # Worded as `unknown_assignee`, the same mistake after 转办: which departments there are,
    # by name first (派出所（PCS）).
    "assist_no_department": (
        "没有「{value}」这个部门。可协办的部门：{choices}。",
        "There is no department '{value}'. Departments that can assist: {choices}.",
    ),
    "unassisted": (
        "已取消{department}对工单 {ticket} 的协办。",
        "{department} no longer assists with ticket {ticket}.",
    ),
    "unassist_notice": (
        "工单 {ticket} 不再需要{department}协办（{by}）。",
        "Ticket {ticket} no longer needs {department}'s assistance ({by}).",
    ),
    "unassist_not": (
        "{department}没有在协办工单 {ticket}。",
        "{department} is not assisting with ticket {ticket}.",
    ),
    "assisting_now": ("协办部门：{departments}", "Assisting: {departments}"),
    # Major and difficult cases (重大疑难), for the centre's joint meetings (会商).
    "major_marked": (
        "已将工单 {ticket} 列为重大疑难，管理员已获通知；发送「重大疑难」查看全部，"
        "「取消重大 {number}」撤销。",
        "Ticket {ticket} is marked major and difficult; the admins were told. Send /major "
        "for the list, /major {number} off to take the mark off.",
    ),
    "urge_notice_claimed": (
        "【催办】{by} 催办工单 {ticket}（{area}）{words}\n{summary}\n"
        "请抓紧办理，办结后发送「办结 {number} 结果」。",
        "[Pressed] {by} asks for ticket {ticket} ({area}) to be acted on now{words}\n{summary}\n"
        "Please see to it; once done, send /resolve {number} outcome.",
    ),
    "urge_notice_unclaimed": (
        "【催办】{by} 催办工单 {ticket}（{area}）{words}\n{summary}\n"
        "尚无人认领，请尽快认领：「认领 {number}」。",
        "[Pressed] {by} asks for ticket {ticket} ({area}) to be acted on now{words}\n{summary}\n"
        "Nobody has claimed it: please claim it (/claim {number}).",
    ),
    "urged": (
        "已催办工单 {ticket}，已私信通知：{names}。",
        "Ticket {ticket}: {names} told privately to act on it now.",
    ),
    "urge_nobody": (
        "工单 {ticket}（{lead}）没有可以催办的人：无人认领，也没有网格员或部门对接人。"
        "可用「指派」交给具体的人。",
        "Nobody to press on ticket {ticket} ({lead}): it is unclaimed and has no grid worker "
        "or liaison. Assign it to someone (/assign).",
    ),
    "urge_not_open": (
        "工单 {ticket} 当前为「{status}」，无需催办。",
        "Ticket {ticket} is {status}: nothing to press for.",
    ),
    "major_notice": (
        "【重大疑难】{by} 将工单 {ticket}（{area}）列为重大疑难{reason}\n{summary}",
        "[Major case] {by} marked ticket {ticket} ({area}) major and difficult{reason}\n"
        "{summary}",
    ),
    "major_already": ("工单 {ticket} 已是重大疑难。", "Ticket {ticket} is marked major already."),
    "major_not": ("工单 {ticket} 不是重大疑难。", "Ticket {ticket} is not marked major."),
    "major_unmarked": (
        "已取消工单 {ticket} 的重大疑难标记。", "Ticket {ticket} is no longer marked major."
    ),
    "major_closed": (
        "工单 {ticket} 当前为「{status}」，不再列为重大疑难。",
        "Ticket {ticket} is {status}: it is not marked major any more.",
    ),
    "majors_header": ("重大疑难（在办）：", "Major and difficult cases (open):"),
    "majors_none": ("没有在办的重大疑难。", "No open major cases."),
    "majors_in_private": (
        "重大疑难清单不在群里显示，请私聊机器人或在工作群发送「重大疑难」。",
        "The list of major cases is not shown in a residents' group: send /major to the bot "
        "one to one, or in the staff chat.",
    ),
    "major_lead": ("｜主办：{lead}", " | led by {lead}"),
    "major_flag": ("【重大疑难】", "[major] "),
    "major_now": ("重大疑难：是", "Major and difficult case: yes"),
    "assist_only": (
        "工单 {ticket} 由{lead}主办，本部门协办：可查看（详情）、补充情况（备注），"
        "办结后会告知结果。",
        "Ticket {ticket} is led by {lead}; your department assists: read it (/ticket) and add "
        "what you know (/note). You will be told the outcome.",
    ),
    "lead_grid": ("{area}网格", "{area}'s grid"),
    "lead_centre": ("综治中心", "the centre"),
    "assisted_resolved": (
        "本部门协办的工单 {ticket} 已办结：{text}",
        "Ticket {ticket}, which your department assisted with, is resolved: {text}",
    ),
    "assisted_reopened": (
        "本部门协办的工单 {ticket} 已重新打开（主办：{lead}）：{summary}{reason}\n"
        "如有新情况，请发送「备注 {number} 内容」。",
        "Ticket {ticket}, which your department assists with, was reopened (led by {lead}): "
        "{summary}{reason}\nSend /note {number} text with anything new.",
    ),
    "assisted_lead": (
        "本部门协办的工单 {ticket} 已改由{lead}主办：{summary}\n"
        "本部门继续协办，如有情况请发送「备注 {number} 内容」。",
        "Ticket {ticket}, which your department assists with, is now led by {lead}: {summary}\n"
        "Your department still assists; send /note {number} text with anything new.",
    ),
    "mine_assisting": ("本部门协办中：", "Your department assists with:"),
    "mine_assisting_overdue": (
        "本部门协办中（超期 {count} 件）：", "Your department assists with ({count} overdue):"
    ),
    "dismiss_dispatched": (
        "工单 {ticket} 已转{department}办理，是否作废由中心工作人员决定。",
        "Ticket {ticket} was handed to {department}: only the centre's staff may dismiss it.",
    ),
    "claim_dispatched": (
        "工单 {ticket} 已转{department}办理，由其对接人认领；可发送「备注」补充情况。",
        "Ticket {ticket} was handed to {department}; its liaisons take it up. "
        "You can still add a note (/note).",
    ),
    "declined": (
        "工单 {ticket} 已退回综治中心，中心将重新研判分流。",
        "Ticket {ticket} went back to the centre, to be routed again.",
    ),
    "declined_colleagues": (
        "{name} 已将转{department}办理的工单 {ticket} 退回综治中心{comment}，"
        "{department}无需再认领。",
        "{name} sent ticket {ticket}, handed to {department}, back to the centre{comment}; "
        "{department} need not take it up.",
    ),
    "declined_notice": (
        "【部门退回】{department} {name} 退回工单 {ticket}：{reason}\n"
        "请重新研判：转办其他部门（转办 {number} 部门）或交网格员办理（指派 {number} 某人）。",
        "[Sent back] {name} of {department} sent ticket {ticket} back: {reason}\n"
        "Route it again: another department (/assign {number} department) or a grid worker "
        "(/assign {number} person).",
    ),
    "replying_to_line": (
        "（发送时回复的是工单 {ticket}，该工单{status}）",
        "(sent in reply to ticket {ticket}, which is {status})",
    ),
    "same_event_line": (
        "疑似与工单 {ticket} 为同一事件（另一位居民刚反映），请一并核实处理；"
        "核实确属同一事件，可发送「并案 {merge}」",
        "Maybe the same event as ticket {ticket} (another resident's report): check together; "
        "if it is, send /merge {merge}",
    ),
    "many_reporters_staff": (
        "【多人反映】工单 {ticket} 等 {count} 件疑似同一事件（{type}），{reporters} 位居民反映"
        "{raised}；请注意是否有群体性苗头，一并核实处理。核实确属同一事件，可发送「并案 {merge}」",
        "[Several reporters] Ticket {ticket} and others, {count} in all, may be one event "
        "({type}), reported by {reporters} residents{raised}: watch for a group dispute "
        "brewing, and check them together. If they are one event, send /merge {merge}",
    ),
    "many_reporters_raised": ("，已升为{urgency}", "; raised to {urgency}"),
    "many_reporters_detail": ("{count} 人", "{count} residents"),
    "many_reporters_raised_detail": (
        "{count} 人，升为{urgency}", "{count} residents, now {urgency}"
    ),
    "staff_model_urgent": (
        "（紧急为模型判断，未命中安全规则，请先核实）",
        "(urgent by the model alone, no safety rule fired: check it first)",
    ),
    "type_pending": ("待工作人员确认", "To be judged by staff"),
    "type_pending_desk": ("待人工研判", "Awaiting triage"),
    "rules_fired": ("风险提示：{rules}", "Safety rules: {rules}"),
    "crisis_support": (
        "你不是一个人，网格员会尽快联系你。心理援助热线 {hotline}（24 小时）；"
        "有生命危险请立即拨打 110 / 120。",
        "You are not alone: a grid worker will contact you soon. Mental-health helpline "
        "{hotline} (24 h); if a life is in danger call 110 / 120 now.",
    ),
    # bad input
    "empty_report": (
        "没有收到文字内容。请用文字描述遇到的问题（时间、地点、涉及的人）。",
        "No text received. Please describe the problem in words (when, where, who).",
    ),
    "help_report_here": (
        "直接在这里描述问题即可登记（时间、地点、涉及的人）。",
        "Describe the problem here to file it (when, where, who).",
    ),
    "area_yours": (
        "您所在的网格：{area}。私聊反映的问题交给这个网格；"
        "如需更改，发送「网格」加名称或代码：{choices}。",
        "Your area: {area}. What you report one to one goes there; to change it, send /area "
        "and its name or code: {choices}.",
    ),
    "area_none": (
        "您还没有选择网格。发送「网格」加名称或代码选择您所在的网格，"
        "私聊反映的问题就交给它：{choices}。",
        "You have not chosen an area. Send /area and its name or code to choose yours; what you "
        "report one to one goes there: {choices}.",
    ),
    "area_set": (
        "已将您的网格设为「{area}」。私聊反映的问题将交给这个网格。",
        "Your area is now {area}. What you report one to one goes there.",
    ),
    "area_by_admin": (
        "网格员和工作人员的网格（{area}）由管理员设置（授权），不能自行更改。",
        "A grid worker's or staff member's area ({area}) is set by an admin (/grant); "
        "they cannot change it themselves.",
    ),
    "help_private_report": (
        "不便在群里说的事，可以私聊机器人反映，不会在群里公开。",
        "Something you would rather not say in the group: write it to the bot one to one; "
        "it is not shown in the group.",
    ),
    # Where a resident reports one to one, they may ask to stay anonymous (匿名反映).
    "help_anonymous": (
        "怕被打击报复的，可以私聊发送「匿名反映：」加上要反映的事，"
        "办理的网格员和部门看不到您的姓名。",
        "Afraid of reprisals? Write to the bot one to one starting with \"anonymous:\": the "
        "grid workers and departments handling it do not see your name.",
    ),
    # ... where the chat with the bot is itself the intake point (WeCom, the Official
    # Account): there is no group to say it in, and no other chat to go to.
    "help_anonymous_here": (
        "怕被打击报复的，可以发送「匿名反映：」加上要反映的事，办理的网格员和部门看不到您的姓名。",
        "Afraid of reprisals? Start with \"anonymous:\": the grid workers and departments "
        "handling it do not see your name.",
    ),
    "desk_private_not_command": (
        "这条消息不是命令，没有登记。发送 /help 查看可用命令。",
        "That message is not a command and was not filed. Send /help for the commands.",
    ),
    "report_in_group_first": (
        "如需私下反映，请先发送「网格」选择您所在的网格（或在所在网格的群里发一条消息，"
        "如「你好」），再在这里发送；也可以直接在群里反映。私聊可用：查询 12、我的、/help。",
        "To report privately, first choose your grid with /area (or say something in your "
        "grid's group: \"hello\" will do), then send it here; or report in the group. Here "
        "you can use /status 12, /mine and /help.",
    ),
    "ack_private": (
        "（私下反映：仅您和办理人员可见，不会在群里公开。）",
        "(Reported privately: only you and those handling it see it; it is not shown in the "
        "group.)",
    ),
    "grid_private_report": (
        "【私下反映】新工单 {ticket}｜{area}｜{type}｜{urgency}\n{reporter}：{text}\n"
        "反映人未在群里公开，请勿在群里提及内容或反映人。认领请发送「认领 {number}」。",
        "[Reported privately] New ticket {ticket} | {area} | {type} | {urgency}\n"
        "{reporter}: {text}\n"
        "Its reporter did not say it in the group: do not mention it or them there. "
        "Send /claim {number} to take it up.",
    ),
    # A resident's report where every report is one to one (WeCom, an Official Account):
    # none is kept from a group, so nothing is said about one.
    "grid_new_report": (
        "【群众反映】新工单 {ticket}｜{area}｜{type}｜{urgency}\n{reporter}：{text}\n"
        "认领请发送「认领 {number}」。",
        "[Resident's report] New ticket {ticket} | {area} | {type} | {urgency}\n"
        "{reporter}: {text}\nSend /claim {number} to take it up.",
    ),
    # ... of a danger a safety rule names, reported in a group the workers may have muted.
    "retagged_urgent_notice": (
        "【紧急】{by} 将工单 {ticket}（{area}）改为紧急，请立即核实处置：\n{text}",
        "[URGENT] {by} marked ticket {ticket} ({area}) urgent: check on it now.\n{text}",
    ),
    "claim_to_take_up": ("认领请发送「认领 {number}」。", "Send /claim {number} to take it up."),
    "grid_urgent_report": (
        "【紧急】新工单 {ticket}｜{area}｜{type}｜{urgency}（群内反映）\n{reporter}：{text}\n"
        "请立即核实处置，认领请发送「认领 {number}」。",
        "[URGENT] New ticket {ticket} | {area} | {type} | {urgency} (reported in the group)\n"
        "{reporter}: {text}\nCheck on it now; send /claim {number} to take it up.",
    ),
    # To a department's liaison, of a case handed to it or asked of it (转办, 协办): where,
    # what and how urgent, as the grid's notice of a new report says (`grid_new_report`).
    "department_case": ("{area}｜{type}｜{urgency}", "{area} | {type} | {urgency}"),
    # To a department's liaison, of a case handed to it or asked of it (转办, 协办).
    "department_private_report": (
        "私下反映：反映人未在群里公开，办理中请勿向他人透露反映人。",
        "Reported privately: while handling it, do not tell anyone who reported it.",
    ),
    "staff_about_the_desk": (
        "【作风反映】反映的是中心自己人员（网格员、干部、工作人员）的作风问题：只通知值班室，"
        "不通知该网格的网格员；网格员和部门对接人不能认领或办结，请工作人员处理"
        "（可发送「认领 {number}」，或指派、转办）。",
        "[About the desk's own people] This report is about the conduct of the centre's own "
        "people (grid workers, officials, staff): only the staff room is told, not the area's "
        "grid workers; grid workers and liaisons cannot claim or resolve it. Staff handle it "
        "(/claim {number}, or assign or hand it on).",
    ),
    "about_the_desk_staff_only": (
        "工单 {ticket} 由中心工作人员直接办理，网格员和部门对接人不能认领、办结或处理。",
        "Ticket {ticket} is handled by the centre's staff directly: grid workers and "
        "liaisons cannot claim, resolve or work on it.",
    ),
    "staff_private_report": (
        "私下反映：反映人未在群里公开，请勿在群里提及内容或反映人",
        "Reported privately: do not mention it or its reporter in the group",
    ),
    "private_ticket_here": (
        "工单 {ticket} 为私下反映，不在群里显示，请私聊机器人查看。",
        "Ticket {ticket} was reported privately and is not shown in a group: ask the bot "
        "one to one.",
    ),
    "private_summary": ("（私下反映）", "(reported privately)"),
    # Anonymous reports (匿名反映, `bot.privacy.names_reporter`): who reported, to anyone but
    # staff and admins; the reporter's own acknowledgement; a resident asking in a group.
    "anonymous_reporter": ("匿名反映人", "Anonymous reporter"),
    "ack_anonymous": (
        "（匿名反映：您的姓名和联系方式只有综治中心工作人员可见，不告知网格员和承办部门。）",
        "(Reported anonymously: only the centre's staff see your name and contact details; "
        "the grid workers and departments handling it do not.)",
    ),
    "staff_anonymous_report": (
        "匿名反映：反映人身份仅中心工作人员可见，请勿告知网格员、部门或他人",
        "Reported anonymously: only the centre's staff may know its reporter; do not tell "
        "grid workers, departments or anyone else",
    ),
    "anonymous_in_group": (
        "群里的消息大家都能看到，无法匿名，这条消息没有登记。匿名反映请私聊机器人，"
        "发送「匿名反映：」加上要反映的事；群里这条可以撤回。",
        "Everyone in the group reads this message, so it cannot be anonymous, and it was not "
        "filed. To report anonymously, write to the bot one to one: \"anonymous: \" and what "
        "happened. You may delete the message here.",
    ),
    "anonymous_empty": (
        "请把要反映的事写在同一条消息里，例如「匿名反映：村东头小卖部后屋天天聚赌」。",
        "Write what happened in the same message, e.g. \"anonymous: gambling every night "
        "behind the shop at the east end of the village\".",
    ),
    # A report made anonymous after it was filed (匿名 12, `bot.desk.anonymity`): done, and
    # who read the name already (reported in a group, or one to one); refused.
    # To whoever works a ticket its reporter made anonymous after filing (匿名 12), privately.
    "anonymous_later_told": (
        "工单 {ticket} 的反映人已申请匿名，请勿向他人透露其身份。"
        "今后该工单显示的反映人为「匿名反映人」。",
        "The reporter of ticket {ticket} asked to be anonymous: do not tell anyone who they "
        "are. From now on the ticket shows them as \"Anonymous reporter\".",
    ),
    "anonymous_later_done": (
        "工单 {ticket} 已改为匿名反映：今后网格员和承办部门看到的反映人是「匿名反映人」，"
        "台账也不写您的姓名；您的姓名和联系方式只有综治中心工作人员可见。",
        "Ticket {ticket} is anonymous from now on: grid workers and departments read "
        "\"Anonymous reporter\", and the ledger leaves your name out; only the centre's "
        "staff see your name and contact details.",
    ),
    "anonymous_later_seen_private": (
        "在此之前已经看到过您姓名的人（如收到新工单通知的网格员、正在办理的人员）仍然知道"
        "是您反映的，这一点无法撤回。",
        "Those who read your name before now (the grid workers told of the new ticket, "
        "whoever is handling it) still know you reported it: that cannot be taken back.",
    ),
    "anonymous_later_seen_group": (
        "这件事是在群里反映的，群里的人都看到过是您发的；收到通知的网格员、正在办理的人员"
        "也已看到您的姓名。这一点无法撤回。",
        "You reported it in the group, so everyone there saw it came from you, and the grid "
        "workers told of it and whoever is handling it read your name: that cannot be taken "
        "back.",
    ),
    "anonymous_later_already": (
        "工单 {ticket} 已经是匿名反映，网格员和承办部门看不到您的姓名。",
        "Ticket {ticket} is anonymous already: grid workers and departments do not see your "
        "name.",
    ),
    "anonymous_later_not_yours": (
        "只能把您自己反映的问题改为匿名，{ticket} 不是您反映的工单。"
        "发送「我的」查看您反映过的问题。",
        "Only your own reports can be made anonymous, and {ticket} is not one of yours. Send "
        "/mine for your reports.",
    ),
    "anonymous_later_in_group": (
        "群里的消息大家都能看到，无法在群里改为匿名。要把自己反映的问题改为匿名，请私聊机器人，"
        "发送「匿名 {number}」；群里这条可以撤回。",
        "Everyone in the group reads this message, so nothing is made anonymous here. To make "
        "a report of yours anonymous, write to the bot one to one: /anonymous {number}. You "
        "may delete the message here.",
    ),
    "elsewhere_ticket_here": (
        "工单 {ticket} 不是在本群反映的，不在这里显示，请私聊机器人查看。",
        "Ticket {ticket} was not reported in this group and is not shown here: ask the bot "
        "one to one.",
    ),
    "ticket_in_private": (
        "工单 {ticket} 的全部记录（含处理经过）不在群里显示，"
        "请私聊机器人发送「详情 {number}」查看。",
        "The full history of ticket {ticket} (how it is being handled) is not shown in a "
        "group: send /ticket {number} to the bot one to one.",
    ),
    "elsewhere_summary": ("（其他群反映）", "(reported elsewhere)"),
    "report_in_group": (
        "请在所在网格的群里反映问题，以便网格员及时处理。私聊可用：查询 12、我的、/help。",
        "Please report in your grid's group so the grid worker sees it. "
        "Here you can use /status 12, /mine and /help.",
    ),
    "too_long": (
        "内容太长（{length} 字），单条请不超过 {limit} 字，可以分几条发送。",
        "That message is too long ({length} characters); please keep each under {limit}, "
        "or split it.",
    ),
    "unknown_command": (
        "不认识的命令 /{name}。发送 /help 查看可用命令。",
        "Unknown command /{name}. Send /help for the commands you can use.",
    ),
    "usage": ("用法：{usage}", "Usage: {usage}"),
    "one_ticket_each": (
        "一条消息只能写一个工单号，这次写了 {tickets}，都未处理。请分别发送：{each}",
        "One message takes one ticket number: {tickets} were written, and none was acted "
        "on. Send each on its own: {each}",
    ),
    "bad_ticket_number": (
        "「{value}」不是有效的工单号，工单号是数字，例如 12 或 #12。",
        "'{value}' is not a ticket number; use digits, e.g. 12 or #12.",
    ),
    "no_such_ticket": (
        "没有找到工单 {ticket}，或您无权查看。",
        "Ticket {ticket} was not found, or you may not see it.",
    ),
    "replied_aside": (
        "工单 {ticket} 不是在本群反映的，回复已私信发给您；请勿在群里提及其内容。",
        "Ticket {ticket} was not reported in this group: the reply went to you privately; "
        "please keep its details out of the group.",
    ),
    "not_allowed": (
        "您的身份（{role}）不能使用{command}。",
        "Your role ({role}) cannot use {command}.",
    ),
    "liaison_figures": (
        "工作量和督办由综治中心汇总。本部门的统计请发送「统计」，台账请发送「导出台账」；"
        "本部门的工单请发送「待办」（待认领）、「我的」（在办、协办）或「查找 词」查看。",
        "Workloads and overdue lists are the centre's. Your department's figures: /stats; its "
        "ledger: /export; its tickets: /queue (unclaimed), /mine (held, assisting) and "
        "/search words.",
    ),
    "already_assigned": (
        "工单 {ticket} 已由 {name} 负责，无需再指派。",
        "Ticket {ticket} is already held by {name}; nothing to assign.",
    ),
    "assign_within_department": (
        "部门对接人只能把工单指派给本部门（{department}）的对接人。工单 {ticket} 如不属于本部门"
        "职责，请发送「退回 {number} 原因」退回综治中心，由中心重新分派。",
        "A liaison assigns tickets only to their own department's ({department}) liaisons. If "
        "ticket {ticket} is not your department's, send /unclaim {number} with the reason: "
        "the centre routes it again.",
    ),
    "assign_by_staff": (
        "您的身份（网格员）不能使用「指派」「转办」：指派、转办工单由中心工作人员操作。您可以发送"
        "「退回 {ticket} 原因」把工单退回待认领队列，原因会告知中心；"
        "或「备注 {ticket} 原因」写明应由谁办理，再请中心转办。",
        "Your role (grid worker) cannot use /assign: centre staff assign and transfer "
        "tickets. Send /unclaim {ticket} with the reason to give it back to the queue (the "
        "centre is told why), or /note {ticket} with who should handle it, and ask the centre "
        "to transfer it.",
    ),
    "not_holder": (
        "工单 {ticket} 由 {holder} 负责，只有负责人或管理人员可以操作。",
        "Ticket {ticket} is held by {holder}; only the holder or staff can do that.",
    ),
    # More time to resolve (延期)
    "bad_extension": (
        "「{value}」不是时长。请写工作日、天或小时，"
        "例如「延期 {number} 5个工作日」「延期 {number} 2天」。",
        '"{value}" is not a length of time. Write working days, days or hours, e.g. '
        "/extend {number} 5wd or /extend {number} 2d.",
    ),
    # A grid worker's or liaison's 重开: staff reopen a case (`DeskBase._permitted`).
    "reopen_by_staff": (
        "您的身份（{role}）不能使用「重开」：重开工单由中心工作人员操作。如工单 {ticket} "
        "仍需办理，请发送「备注 {number} 原因」写明情况，并请中心重开。",
        "Your role ({role}) cannot use /reopen: centre staff reopen tickets. If ticket "
        "{ticket} needs more work, send /note {number} with why, and ask the centre to reopen "
        "it.",
    ),
    "reopen_closed_by_staff": (
        "您的身份（{role}）不能使用「重开」：重开工单由中心工作人员操作。工单 {ticket} "
        "已结案，不能再备注；如仍需办理，请向中心说明原因，请其重开。",
        "Your role ({role}) cannot use /reopen: centre staff reopen tickets. Ticket {ticket} "
        "is closed and takes no more notes; if it needs more work, tell the centre why and "
        "ask them to reopen it.",
    ),
    "extend_claim_first": (
        "工单 {ticket} 还没有人认领。认领后（「认领 {number}」）可以申请延期。",
        "Nobody holds ticket {ticket} yet. Claim it (/claim {number}) to ask for more time.",
    ),
    "extend_in_working_days": (
        "工单 {ticket} 的办结时限按工作日计（现为 {limit}），请按工作日延期，"
        "例如「延期 {number} 5个工作日」。",
        "Ticket {ticket}'s limit is in working days ({limit} now): extend it by working "
        "days, e.g. /extend {number} 5wd.",
    ),
    "extend_in_hours": (
        "工单 {ticket} 的办结时限按小时计（现为 {limit}），请按小时或天延期，"
        "例如「延期 {number} 12小时」。",
        "Ticket {ticket}'s limit runs around the clock ({limit} now): extend it by hours or "
        "days, e.g. /extend {number} 12h.",
    ),
    "extend_too_long": (
        "延期后的时限（{longer}）超过一年半，请核实后重发。",
        "That would make the limit {longer}, more than a year and a half: check and send again.",
    ),
    "extended": (
        "工单 {ticket} 的办结时限已延长 {by}，现为 {limit}，应于 {due} 前办结。",
        "Ticket {ticket} has {by} more: its limit is now {limit}, to be resolved by {due}.",
    ),
    "extended_holder": (
        "您负责的工单 {ticket} 的办结时限已延长 {by}（{name} 批准），现为 {limit}，"
        "应于 {due} 前办结。",
        "Ticket {ticket}, which you hold, has {by} more ({name} agreed): its limit is now "
        "{limit}, to be resolved by {due}.",
    ),
    "extended_reporter": (
        "您反映的问题（工单 {ticket}）情况较复杂，办理时间延长 {by}，预计于 {due} 前办结。"
        "发送「查询 {number}」可了解进度。",
        "Your report (ticket {ticket}) needs more time: {by} more, to be resolved by {due}. "
        "Send /status {number} for its progress.",
    ),
    # Mediation sessions (调解, bot.desk.mediating): the worker's replies, the reporter's
    # notices, the reminder before it (bot.mediation) and what /ticket shows.
    "mediation_set": (
        "工单 {ticket} 已安排调解：{when}，{place}。",
        "Ticket {ticket}: mediation set for {when}, at {place}.",
    ),
    "mediation_moved": (
        "工单 {ticket} 的调解已改期：{when}，{place}（原定 {was}）。",
        "Ticket {ticket}: mediation moved to {when}, at {place} (was {was}).",
    ),
    "mediation_cancelled": (
        "工单 {ticket} 的调解（{when}，{place}）已取消。",
        "Ticket {ticket}: the mediation ({when}, at {place}) is called off.",
    ),
    "mediation_claim_first": (
        "工单 {ticket} 还没有人认领。认领后（「认领 {number}」）可以安排调解。",
        "Nobody holds ticket {ticket} yet. Claim it (/claim {number}) to set a mediation.",
    ),
    # After the reply's sentence, before what it says of the reporter.
    "mediation_holiday": ("（注意：该日为节假日）", " (Note: that day is a holiday.)"),
    "mediation_weekend": ("（注意：该日为周末）", " (Note: that day is a weekend.)"),
    # After the reply's sentence: the English one's space before it.
    "mediation_reporter_told": ("已私信通知反映人。", " The reporter has been told privately."),
    "mediation_reporter_unreached": (
        "反映人未曾私聊过本助手，无法私信通知，请电话告知其调解时间、地点。",
        " The reporter has never written to the bot one to one and cannot be told privately: "
        "please phone them with the time and place.",
    ),
    "mediation_reporter_unreached_cancelled": (
        "反映人未曾私聊过本助手，无法私信通知，请电话告知其调解已取消。",
        " The reporter has never written to the bot one to one and cannot be told privately: "
        "please phone them that it is called off.",
    ),
    "mediation_reporter_hotline": (
        "反映人为{platform}热线来电人，请按工单中的联系电话告知其调解时间、地点。",
        " The reporter phoned the {platform} hotline: please call them back on the phone "
        "number in the ticket with the time and place.",
    ),
    "mediation_reporter_hotline_cancelled": (
        "反映人为{platform}热线来电人，请按工单中的联系电话告知其调解已取消。",
        " The reporter phoned the {platform} hotline: please call them back on the phone "
        "number in the ticket that it is called off.",
    ),
    "mediation_none": (
        "工单 {ticket} 没有已安排的调解。",
        "Ticket {ticket} has no mediation set.",
    ),
    "mediation_not_open": (
        "工单 {ticket} {status}，不能再安排调解。",
        "Ticket {ticket} is {status}: no mediation can be set for it now.",
    ),
    "mediation_no_time": (
        "没有看懂调解时间「{value}」。请先写时间，再写地点，"
        "如：调解 {number} 明天下午3点 人民调解室。",
        "Could not read a time in \"{value}\". Write the time, then the place: "
        "/mediate {number} 2026-03-05 14:00 people's mediation room.",
    ),
    "mediation_no_hour": (
        "调解时间「{value}」没有写几点，请写明钟点后重发，如「明天下午3点」。",
        "\"{value}\" names no hour; please add one (e.g. \"tomorrow 3pm\").",
    ),
    "mediation_bad_time": (
        "调解时间「{value}」不存在（日期或钟点不对），请改正后重发。",
        "\"{value}\" is no real day or time of day; please correct it.",
    ),
    "mediation_past": (
        "调解时间「{value}」已经过去了，请写将来的时间。",
        "\"{value}\" has already passed; please give a time to come.",
    ),
    "mediation_no_place": (
        "请在时间后写明调解地点，如：调解 {number} 明天下午3点 人民调解室。",
        "Please add the place after the time: /mediate {number} tomorrow 3pm people's "
        "mediation room.",
    ),
    "mediation_reporter": (
        "您反映的问题（工单 {ticket}）已安排调解：{when}，地点：{place}。请按时到场；"
        "如不能到场，请回复说明。",
        "Your report (ticket {ticket}): a mediation session is set for {when}, at {place}. "
        "Please come on time; if you cannot, reply to say so.",
    ),
    "mediation_reporter_moved": (
        "您反映的问题（工单 {ticket}）的调解已改期：{when}，地点：{place}（原定 {was}）。",
        "Your report (ticket {ticket}): the mediation session has moved to {when}, at "
        "{place} (it was {was}).",
    ),
    "mediation_reporter_cancelled": (
        "您反映的问题（工单 {ticket}）原定 {when} 在{place}的调解已取消，另行安排时会再通知您。",
        "Your report (ticket {ticket}): the mediation session set for {when} at {place} is "
        "called off. You will be told if another is set.",
    ),
    "mediation_reminder": (
        "【调解提醒】工单 {ticket}：{when} 在{place}调解，请提前准备、通知双方到场。{summary}",
        "[Mediation] Ticket {ticket}: mediation at {when}, at {place}. Prepare and make sure "
        "both parties come. {summary}",
    ),
    # To a residents' group that is a notify room (`residents_read`): not when nor where
    # the parties meet, which whoever reads the group would learn.
    "mediation_reminder_public": (
        "【调解提醒】工单 {ticket} 的调解时间快到了，请提前准备、通知双方到场"
        "（时间、地点请私聊发送「详情 {number}」查看）。",
        "[Mediation] Ticket {ticket}: its mediation session is near. Prepare and make sure "
        "both parties come (for its time and place, send /ticket {number} one to one).",
    ),
    "mediation_line": ("调解：{when}，{place}", "Mediation: {when}, at {place}"),
    # The reporter answers the session's notice, one to one, that they cannot come
    # (`bot.mediation.tell_cannot_come`): to whoever works the case, as its reminder goes.
    "mediation_cannot_come": (
        "【调解】工单 {ticket} 的反映人回复不能按时参加 {when} 在{place}的调解：「{text}」\n"
        "如需改期，请发送「调解 {number} 新的时间 地点」（反映人会收到通知）；"
        "取消请发送「取消调解 {number}」。",
        "[Mediation] Ticket {ticket}: the reporter replied that they cannot come to the "
        "mediation at {when}, at {place}: \"{text}\"\nTo move it, send /mediate {number} "
        "<new time> <place> (the reporter is told); to call it off, /mediate {number} cancel.",
    ),
    # To a residents' group that is a notify room: neither the session nor the words.
    "mediation_cannot_come_public": (
        "【调解】工单 {ticket} 的反映人对调解安排有回复，请私聊发送「详情 {number}」查看。",
        "[Mediation] Ticket {ticket}: the reporter answered about its mediation session "
        "(send /ticket {number} one to one to read it).",
    ),
    "mediation_cannot_come_ack": (
        "已收到。您不能按时参加工单 {ticket} 的调解（{when}，{place}），已转告办理人员；"
        "改期后会再通知您。",
        "Noted: you cannot come to the mediation for ticket {ticket} ({when}, at {place}). "
        "Whoever handles it has been told; you will be told if it moves.",
    ),
    # The same, when nobody was there to tell (no holder, no liaison, no notify room): it is
    # on the ticket, where staff read it.
    "mediation_cannot_come_kept": (
        "已收到。您不能按时参加工单 {ticket} 的调解（{when}，{place}），已记录在工单中，"
        "工作人员查看工单时会看到；改期后会再通知您。",
        "Noted: you cannot come to the mediation for ticket {ticket} ({when}, at {place}). "
        "It is recorded on the ticket, where staff will see it; you will be told if it moves.",
    ),
    "extend_request_staff": (
        "【延期申请】工单 {ticket}｜{area}｜{name} 申请延长办结时限 {by}（现为 {limit}）{reason}\n"
        "同意请发送「延期 {number} 至{until}」（或 /extend {number} ={until_code}），"
        "不同意请发送「不同意延期 {number}」。",
        "[More time asked] Ticket {ticket} | {area} | {name} asks for {by} more (limit now "
        "{limit}){reason}\nTo agree ({until} in all), send /extend {number} ={until_code}; "
        "to refuse, /extend {number} no.",
    ),
    "deadline_claim": ("认领期限：{due} 前（时限 {limit}）", "Claim by: {due} (limit {limit})"),
    "deadline_resolve": (
        "办结期限：{due} 前（时限 {limit}{extended}）",
        "Resolve by: {due} (limit {limit}{extended})",
    ),
    "deadline_extended": ("，已延期", ", extended"),
    "extend_already": (
        "工单 {ticket} 的办结时限已是 {limit}，无需再延期。",
        "Ticket {ticket}'s limit is already {limit}: nothing to extend.",
    ),
    "escalation_extension_asked": (
        "\n{name} 已申请延期 {by}，尚未批复；同意请发送「延期 {number} 至{until}」"
        "（或 /extend {number} ={until_code}），不同意请发送「不同意延期 {number}」。",
        "\n{name} asked for {by} more, not yet answered; to agree ({until} in all), send "
        "/extend {number} ={until_code}; to refuse, /extend {number} no.",
    ),
    "extend_button": ("同意延期", "Agree"),
    "extend_no_button": ("不同意", "Refuse"),
    "extend_decline_by_staff": (
        "工单 {ticket} 的延期申请由中心工作人员批复。",
        "Requests for more time on ticket {ticket} are answered by the centre's staff.",
    ),
    # A staff room's button pressed on a request that no longer stands (`Extending.extend`).
    "extend_button_stale": (
        "工单 {ticket} 的这条延期申请已失效：之后已{action}（{name}，{when}），按钮不再生效。"
        "如确需延期，请发送「延期 {number} 时长 理由」。",
        "That request for more time on ticket {ticket} no longer stands: since then, {action} "
        "({name}, {when}); the button does nothing. To extend it anyway, send "
        "/extend {number} <time> <reason>.",
    ),
    "extend_none_waiting": (
        "工单 {ticket} 没有待批复的延期申请。",
        "Ticket {ticket} has no request for more time waiting.",
    ),
    "extend_declined": (
        "已告知 {name}：工单 {ticket} 的延期申请未获同意。",
        "{name} has been told: no more time for ticket {ticket}.",
    ),
    "extend_declined_holder": (
        "您对工单 {ticket} 的延期申请未获同意（{name}）{reason}。请按原时限办理。",
        "Your request for more time on ticket {ticket} was refused ({name}){reason}. Please "
        "keep to the present limit.",
    ),
    "extend_requested": (
        "已提交延期申请：工单 {ticket} 延长 {by}。中心工作人员同意后生效，届时会通知您。",
        "Asked: {by} more for ticket {ticket}. It applies once the centre's staff agree; "
        "you will be told.",
    ),
    "bad_transition": (
        "工单 {ticket} 当前为「{status}」，不能{action}。",
        "Ticket {ticket} is {status}; it cannot be {action} now.",
    ),
    "dismiss_staff_only": (
        "工单 {ticket} 为紧急或有风险提示，只有中心工作人员可以作废。",
        "Ticket {ticket} is urgent or raised a safety rule; only the centre's staff may "
        "dismiss it.",
    ),
    "restore_staff_only": (
        "工单 {ticket} 已作废，只有中心工作人员可以恢复。",
        "Ticket {ticket} was dismissed; only the centre's staff may bring it back.",
    ),
    "restore_merged_staff_only": (
        "工单 {ticket} 已并入工单 {main} 一并处理（并案），只有中心工作人员可以撤销并案。"
        "发送「查询 {number}」可了解进度。",
        "Ticket {ticket} was merged into ticket {main} and is handled there; only the "
        "centre's staff may undo the merge. Send /status {number} to see how it stands.",
    ),
    "reopen_closed_staff_only": (
        "工单 {ticket} 已结案，只有中心工作人员可以重开。"
        "问题仍未解决的话，请把现在的情况再反映一次，会作为新的报事受理。",
        "Ticket {ticket} is closed; only the centre's staff may reopen it. If the problem is "
        "still there, report it again as it is now: it will be taken up as a new report.",
    ),
    "already_claimed": (
        "认领未成功：工单 {ticket} 已由 {holder} 认领。",
        "Not claimed: ticket {ticket} is already held by {holder}.",
    ),
    "already_yours": (
        "工单 {ticket} 已由您认领。",
        "You hold ticket {ticket} already.",
    ),
    "unknown_assignee": (
        "没有「{name}」这个部门，也没有叫这个名字的人员。可转办的部门：{departments}；"
        "交给人员请用对方的用户名或显示名。",
        "There is no department or person '{name}'. Departments that can take it: "
        "{departments}; for a person, use their user name or display name.",
    ),
    "unknown_person": (
        "找不到「{name}」。请使用对方的用户名或显示名。",
        "No one called '{name}' here. Use their user name or display name.",
    ),
    "ambiguous_person": (
        "「{name}」对应多个人，请使用用户名。",
        "'{name}' matches several people; use their user name.",
    ),
    "bad_role": (
        "没有「{role}」这个身份。可选：{choices}。",
        "There is no role '{role}'. Choose one of: {choices}.",
    ),
    "bad_label": (
        "没有「{value}」这个分类。可选：{choices}。",
        "'{value}' is not a known label. Choose one of: {choices}.",
    ),
    "bad_language": ("可选语言：zh、en。", "Languages: zh, en."),
    "assignee_not_worker": (
        "{name} 不是网格员或管理人员，不能指派给他。",
        "{name} is not a grid worker or staff member.",
    ),
    # workflow results
    "claimed": ("工单 {ticket} 已由 {name} 认领。", "Ticket {ticket} claimed by {name}."),
    "claimed_next": (
        "办结请发送「办结 {number} 办理结果」，进展请发送「备注 {number} 内容」。",
        "Send /resolve {number} with the outcome when done, /note {number} with progress.",
    ),
    "unclaimed": (
        "工单 {ticket} 已退回待认领队列。",
        "Ticket {ticket} is back in the queue.",
    ),
    # A grid worker's 退回 with a reason: the centre reads it, to transfer or reassign.
    "unclaimed_told": (
        "工单 {ticket} 已退回待认领队列，退回原因已告知中心。",
        "Ticket {ticket} is back in the queue; the centre has been told why.",
    ),
    "unclaimed_notice": (
        "【网格员退回】{area} {name} 退回工单 {ticket}：{reason}\n"
        "已回到本网格待认领队列；如需转办，请发送「转办 {number} 部门」或「指派 {number} 某人」。",
        "[Given back] {name} ({area}) gave ticket {ticket} back: {reason}\n"
        "It is in the grid's queue again; to transfer it send /assign {number} department, "
        "or /assign {number} person.",
    ),
    # A liaison giving back a case they hold: it stays with the department (for a colleague);
    # one that is not the department's goes to the centre with a second 退回 and a reason.
    "unclaimed_department": (
        "工单 {ticket} 已退回{department}待认领队列，本部门对接人可再认领。"
        "如不属于本部门职责，请再发送「退回 {number} 原因」，退回综治中心重新分流。",
        "Ticket {ticket} is back in {department}'s queue, for your department's liaisons to "
        "claim. If it is not your department's, send /unclaim {number} with the reason to "
        "send it back to the centre.",
    ),
    "noted": ("已为工单 {ticket} 添加备注。", "Note added to ticket {ticket}."),
    "resolved": ("工单 {ticket} 已办结：{text}", "Ticket {ticket} resolved: {text}"),
    "resolved_reporter": (
        "您反映的问题（工单 {ticket}）已办结：{text}\n如仍未解决，可发送「重开 {number}」。",
        "Your report (ticket {ticket}) has been resolved: {text}\n"
        "If it is not solved, send /reopen {number}.",
    ),
    "resolve_prompt": (
        "请发送「办结 {number} 办理结果」，写明如何解决的，结果会告知反映人。"
        "调解纠纷的，请以「调解成功」或「调解不成」开头，计入化解成功率。",
        "Send /resolve {number} followed by the outcome; the reporter will be told. For a "
        "dispute you mediated, start with \"settled\" or \"not settled\": it counts in "
        "the settled rate.",
    ),
    "closed": ("工单 {ticket} 已结案。", "Ticket {ticket} closed."),
    "closed_visit_pending": (
        "注意：该工单尚未回访（办结→回访→结案），结案后不再回访。",
        "Note: the follow-up visit, which comes before closing, had not been asked yet; "
        "now closed, it will not be.",
    ),
    "closed_visit_asked": (
        "注意：已回访，反映人尚未答复；结案后如答复不满意，工单不会重开，只通知工作人员。",
        "Note: the reporter was asked at the follow-up visit and has not answered; an "
        "unsatisfied answer now tells staff and does not reopen the ticket.",
    ),
    # Closing resolved cases together (结案, bot.desk.closing): the list, then the batch.
    "to_close_header": (
        "待结案工单（{area}）：共 {count} 件，办结早的在前",
        "Resolved tickets waiting to be closed ({area}): {count}, oldest resolution first",
    ),
    "to_close_line": ("{line}｜{visit}｜办结 {since}前", "{line} | {visit} | resolved {since} ago"),
    # A withdrawal: its status says 已撤回 already, and it was withdrawn, not resolved.
    "to_close_line_withdrawn": (
        "{line}｜无需回访｜{since}前撤回", "{line} | no visit | withdrawn {since} ago"
    ),
    "to_close_more": ("另有 {count} 件未列出。", "{count} more not shown."),
    "to_close_hint": (
        "其中回访满意或基本满意 {count} 件，发送「{command}」一并结案。",
        "{count} of them answered satisfied or fair: send {command} to close them.",
    ),
    "to_close_empty": (
        "没有待结案的工单（{area}）。", "No resolved tickets waiting to be closed ({area})."
    ),
    "close_rated_command": ("结案 满意{scope}", "/close satisfied{scope}"),
    "closed_rated": (
        "已结案 {count} 件（回访满意或基本满意）：{tickets}",
        "Closed {count} (answered satisfied or fair): {tickets}",
    ),
    "closed_rated_more": (
        "另有 {count} 件回访满意或基本满意的待结案，请再发送「{command}」。",
        "{count} more answered satisfied or fair wait: send {command} again.",
    ),
    "closed_rated_none": (
        "没有回访满意或基本满意的待结案工单（{area}）。发送「待结案」查看全部。",
        "No resolved ticket answered satisfied or fair waits to be closed ({area}). Send "
        "/close to see them all.",
    ),
    # 结案 未回复: the visits unanswered for [followup] unanswered_after ({after}: 7天, 7d).
    "to_close_unanswered_hint": (
        "{what}，发送「{command}」一并结案。", "{what}: send {command} to close them."
    ),
    "to_close_unanswered_part": (
        "回访超过 {after} 未回复（或无法回访）的 {count} 件",
        "{count} unanswered for over {after} (or never visited)",
    ),
    "to_close_withdrawn_part": ("已撤回的 {count} 件", "{count} withdrawn"),
    "close_unanswered_command": ("结案 未回复{scope}", "/close unanswered{scope}"),
    "closed_unanswered": (
        "已结案 {count} 件（回访超过 {after} 未回复）：{tickets}",
        "Closed {count} (visit unanswered for over {after}): {tickets}",
    ),
    "closed_withdrawn": (
        "已结案 {count} 件（反映人已撤回，无需回访）：{tickets}",
        "Closed {count} (withdrawn by their reporters: no visit): {tickets}",
    ),
    "closed_unanswered_more": (
        "另有 {count} 件可一并结案，请再发送「{command}」。",
        "{count} more wait: send {command} again.",
    ),
    "closed_unanswered_none": (
        "没有回访超过 {after} 未回复的待结案工单（{area}）。发送「待结案」查看全部。",
        "No resolved ticket whose visit went unanswered for over {after} waits to be closed "
        "({area}). Send /close to see them all.",
    ),
    "close_unanswered_detail": ("回访无应答", "(visit unanswered)"),
    # A rating read from everyday words (bot/visit_words.py), in the ticket's history.
    "rate_words_detail": (
        "{rating}（据回复「{said}」判断）", '{rating} (read from the reply "{said}")'
    ),
    "rate_unquoted_detail": ("{rating}（据回复判断）", "{rating} (read from a reply)"),
    "rate_correction_detail": ("{rating}（更正）", "{rating} (corrected)"),
    "close_withdrawn_detail": ("反映人已撤回，无需回访", "(withdrawn by its reporter: no visit)"),
    "labels_more": ("{tickets}等", "{tickets} and more"),
    "reopened": ("工单 {ticket} 已重新打开。", "Ticket {ticket} reopened."),
    "withdrawn": (
        "工单 {ticket} 已按您的意思撤回，不再办理。如问题再次出现，可发送「重开 {number}」。",
        "Ticket {ticket} is withdrawn as you asked and will not be pursued. If the problem "
        "comes back, send /reopen {number}.",
    ),
    "withdraw_not_reporter": (
        "只有反映人本人可以撤回工单 {ticket}。",
        "Only the person who reported ticket {ticket} may withdraw it.",
    ),
    "withdrawn_outcome": ("反映人撤回：{text}", "Withdrawn by the reporter: {text}"),
    "withdrawn_outcome_bare": ("反映人撤回", "Withdrawn by the reporter"),
    "withdrawn_notice": (
        "工单 {ticket} 的反映人已撤回{comment}。工单已办结，无需再处理。",
        "The reporter withdrew ticket {ticket}{comment}. It is resolved, nothing more to do.",
    ),
    "withdraw_checked": (
        "已收到您撤回工单 {ticket} 的申请。为稳妥起见，网格员核实情况后再办结。"
        "如有危险请立即拨打 110。",
        "We have your request to withdraw ticket {ticket}. To be safe, a grid worker will "
        "check on it before closing it. If anyone is in danger, call 110.",
    ),
    "withdraw_request_notice": (
        "工单 {ticket} 的反映人申请撤回{comment}。该工单紧急或涉及安全，未自动办结："
        "请核实当事人是否安全、是否受到压力，再办结。",
        "The reporter asked to withdraw ticket {ticket}{comment}. It is urgent or "
        "safety-flagged, so it stays open: check that the people involved are safe and not "
        "being pressed, then resolve it.",
    ),
    "dismissed": (
        "工单 {ticket} 已作废（非报事）：移出待办队列，不督办、不回访，统计中单列，"
        "并记入训练样本。如系误判，中心工作人员可发送「重开 {number}」恢复。",
        "Ticket {ticket} dismissed as not a report: out of the queue, no escalation, no "
        "follow-up, counted apart in /stats; kept as a training example. If this was a "
        "mistake, staff can send /reopen {number} to bring it back.",
    ),
    "dismissed_notice": (
        "{by} 已将工单 {ticket} 作废（非报事）{comment}，您无需再办理。",
        "{by} dismissed ticket {ticket} as not a report{comment}; there is nothing more to do "
        "on it.",
    ),
    "restored": (
        "工单 {ticket} 已恢复，回到待认领队列。",
        "Ticket {ticket} restored: it is back in the queue.",
    ),
    "held_reporter": (
        "您一小时内已反映 {count} 件事，这条消息已记录，暂不另行立案，网格员会查看后处理。"
        "如有危险请立即拨打 110。",
        "You have reported {count} matters in the last hour. This message is recorded and "
        "will be looked at by a grid worker, but not filed as a ticket of its own for now. "
        "If anyone is in danger, call 110.",
    ),
    "held_staff": (
        "{name} 一小时内已反映 {count} 件，其后的消息暂不立案，记入「未立案」"
        "（第一条为 {number} 号，需要时发送「立案 {number}」登记）：{text}",
        "{name} has reported {count} matters in the last hour; their further messages are "
        "logged, not filed, and listed by /unfiled (the first is no. {number}: /file {number} "
        "files it): {text}",
    ),
    "failed_report": (
        "抱歉，这条消息处理时出错了。消息已保存，工作人员会尽快查看并登记。",
        "Sorry, something went wrong with this message. It has been kept, and the desk will "
        "look at it and file it.",
    ),
    "failed_command": (
        "抱歉，这条命令处理时出错了，没有执行，请稍后再试。",
        "Sorry, something went wrong with this command; nothing was done. Please try again "
        "later.",
    ),
    "failed_report_staff": (
        "{name} 的消息处理时出错，已保存，尚未立案，记入「未立案」"
        "（{number} 号，核实后发送「立案 {number}」登记）：{text}",
        "Handling a message from {name} failed; it is kept, not filed, and listed by /unfiled "
        "(no. {number}: /file {number} files it): {text}",
    ),
    "failed_more_staff": (
        "另有 {count} 条消息处理时出错，已保存，尚未立案，发送「未立案」查看。",
        "{count} more message{count!p} could not be handled: kept, not filed; send /unfiled "
        "for the list.",
    ),
    "failed_grouped_staff": (
        "此后 {minutes} 分钟内再有消息处理出错，合并为一条通知。",
        "Further failures in the next {minutes} minutes are told in one notice.",
    ),
    "merged": (
        "工单 {ticket} 已并入工单 {main}（并案）：{ticket} 移出待办队列、不再单独督办，"
        "统计中单列；{main} 办结时，其反映人一并收到办理结果。"
        "如系误判，可发送「重开 {number}」恢复。",
        "Ticket {ticket} merged into ticket {main}: {ticket} leaves the queue and supervision "
        "and is counted apart in /stats; when {main} is resolved its reporter is told the "
        "outcome too. If this was a mistake, send /reopen {number} to bring it back.",
    ),
    "merged_reporter": (
        "您反映的问题（工单 {ticket}）与工单 {main} 为同一事件，已并案处理，办理结果将一并告知您。"
        "发送「查询 {number}」可了解进度。",
        "Your report (ticket {ticket}) is about the same event as ticket {main} and is handled "
        "with it; you will be told the outcome. Send /status {number} for its progress.",
    ),
    "merged_reporter_withdrawn": (
        "您反映的问题（工单 {ticket}）与工单 {main} 为同一事件，已并案。该事件的反映人已撤回反映；"
        "如问题仍未解决，请告诉我们。",
        "Your report (ticket {ticket}) is about the same event as ticket {main}, and is merged "
        "into it. That report was withdrawn by the person who made it; if the problem is not "
        "solved, please tell us.",
    ),
    "merged_reporter_resolved": (
        "您反映的问题（工单 {ticket}）与工单 {main} 为同一事件，该事件已办结：{text}",
        "Your report (ticket {ticket}) is about the same event as ticket {main}, which has "
        "been resolved: {text}",
    ),
    # In a group, of a case reported privately or in another group (`bot.privacy.hidden_in`).
    "merged_resolved_aside": (
        "您反映的问题（工单 {ticket}，已并入工单 {main}）已办结，"
        "办理结果请私聊机器人发送「查询 {number}」查看。",
        "Your report (ticket {ticket}, merged into ticket {main}) has been resolved; for the "
        "outcome, send /status {number} to the bot one to one.",
    ),
    "merged_outcome_aside": (
        "办理结果请私聊机器人发送「查询 {number}」查看。",
        "For the outcome, send /status {number} to the bot one to one.",
    ),
    "merged_resolved_reporter": (
        "您反映的问题（工单 {ticket}，已并入工单 {main}）已办结：{text}",
        "Your report (ticket {ticket}, merged into ticket {main}) has been resolved: {text}",
    ),
    "merged_holder_notice": (
        "您负责的工单 {ticket} 已并入工单 {main}（同一事件），无需再单独处理。",
        "Ticket {ticket}, which you hold, was merged into ticket {main} (the same event): "
        "nothing more to do on it alone.",
    ),
    "merge_carried": (
        "工单 {main} 随并案接续：{marks}。", "Carried over to ticket {main}: {marks}."
    ),
    "carried_major": ("列为重大疑难", "marked major and difficult"),
    "marks_separator": ("；", "; "),
    "carried_assisting": ("{department}协办", "{department} assisting"),
    "carried_from": ("随工单 {ticket} 并案", "with ticket {ticket}, merged in"),
    "assist_merged": (
        "本部门协办的工单 {ticket} 已并入工单 {main}（同一事件），请继续协办 {main}：{summary}",
        "Ticket {ticket}, which your department assists with, was merged into ticket {main} "
        "(the same event): please assist with {main} now. {summary}",
    ),
    "merge_button": ("并案 {ticket}→{main}", "Merge {ticket}→{main}"),
    "merged_outcome": ("已并入工单 {main}", "Merged into ticket {main}"),
    "merged_line": (
        "已并入工单 {main} 一并处理，当前进度：{status}",
        "Merged into ticket {main}, which is now: {status}",
    ),
    "merged_several": (
        "已将 {count} 张工单并入工单 {main}（并案）：{tickets}。它们移出待办队列、不再单独督办，"
        "统计中单列；{main} 办结时，其反映人一并收到办理结果。"
        "如系误判，可对其中一张发送「重开」恢复。",
        "Merged {count} tickets into ticket {main}: {tickets}. They leave the queue and "
        "supervision and are counted apart in /stats; when {main} is resolved their reporters "
        "are told the outcome too. If one was a mistake, send /reopen with its number.",
    ),
    "merge_refused_several": ("未并入的工单：", "Not merged:"),
    "merge_refused_line": ("· {text}", "- {text}"),
    "merge_into_which": (
        "没看懂要把哪几张并入哪一张：请在主工单号前写「到」，例如「并案 2 3 到 4」"
        "（把 2、3 并入 4）；一张并入另一张可写「并案 2 4」。",
        "Which tickets go into which? Put 'into' before the main ticket, e.g. "
        "/merge 2 3 into 4 (2 and 3 into 4); one into another is /merge 2 4.",
    ),
    "merge_same": (
        "不能把工单 {ticket} 并入它自己。",
        "Ticket {ticket} cannot be merged into itself.",
    ),
    "merge_bad_target": (
        "工单 {main} 当前{status}，不能并入：请并入正在办理或已办结的工单。",
        "Ticket {main} is {status} and cannot take others: merge into a ticket that is open "
        "or resolved.",
    ),
    "merge_more_urgent": (
        "工单 {ticket}（{urgency}）比工单 {main}（{main_urgency}）更紧急，"
        "并入后会按较慢的时限督办：请将 {main} 并入 {ticket}，"
        "或先用「改标」调整 {main} 的紧急程度。",
        "Ticket {ticket} ({urgency}) is more urgent than ticket {main} ({main_urgency}) and "
        "would be supervised on slower deadlines: merge {main} into {ticket} instead, or "
        "/retag {main} first.",
    ),
    "dismiss_has_merged": (
        "工单 {ticket} 已有其他居民反映的工单并入（{merged}），说明确有其事，不能作废。",
        "Other residents' tickets were merged into ticket {ticket} ({merged}): it is a real "
        "event and cannot be dismissed.",
    ),
    "assigned": ("工单 {ticket} 已指派给 {name}。", "Ticket {ticket} assigned to {name}."),
    "assigned_notice": (
        "{by} 将工单 {ticket} 指派给您：{text}",
        "{by} assigned ticket {ticket} to you: {text}",
    ),
    "resolved_event_open": (
        "与工单 {ticket} 疑似同一事件的 {tickets} 尚未办结：如确属同一件事，请一并办结"
        "（「办结 {number} 处理结果」）。",
        "Still open, and maybe the same event as ticket {ticket}: {tickets}. If it is the "
        "same matter, resolve it too (/resolve {number} outcome).",
    ),
    "assigned_overdue": (
        "该工单已超过办理期限 {late}，请优先办理。",
        "It is {late} past its deadline: please see to it first.",
    ),
    "handover_same": ("转交人和接手人都是 {name}。", "{name} cannot hand over to themselves."),
    "handover_none": ("{name} 目前没有负责中的工单。", "{name} holds no tickets now."),
    "handed_over": (
        "已将 {giver} 负责的 {count} 件工单转交 {taker}：{tickets}。",
        "Tickets held by {giver} handed over to {taker} ({count}): {tickets}.",
    ),
    "handed_over_from_you": (
        "{by} 已将您负责的 {count} 件工单转交 {taker}：{tickets}，您无需再办理。",
        "{by} handed the tickets you held ({count}) to {taker}: {tickets}. They are no "
        "longer yours.",
    ),
    "handed_over_notice": (
        "{by} 将 {giver} 负责的 {count} 件工单转交给您：{tickets}。发送「我的」查看。",
        "{by} handed you the tickets {giver} held ({count}): {tickets}. Send /mine to see them.",
    ),
    "grant_holds_tickets": (
        "{name} 还负责 {count} 件工单（{tickets}），"
        "改为居民前请先转交：「转交全部 {name} 接手人」。",
        "{name} still holds tickets ({count}: {tickets}); hand them over first: /handover "
        "{name} someone.",
    ),
    "grant_holds_elsewhere": (
        "{name} 还负责原岗位的 {count} 件工单（{tickets}），改任前请先转交："
        "「转交全部 {name} 接手人」。",
        "{name} still holds tickets of their present post ({count}: {tickets}); hand them "
        "over before the move: /handover {name} someone.",
    ),
    "granted": ("{name} 的身份已设为「{role}」{area}。", "{name} is now {role}{area}."),
    # ... someone whose display name is not their account's id: the bracket is the space.
    "granted_account": (
        "{name}（账号 {account}）的身份已设为「{role}」{area}。",
        "{name} (account {account}) is now {role}{area}.",
    ),
    # /people (人员): the desk's people, one to one only.
    "people_header": ("人员（共 {count} 人）：", "People ({count}):"),
    "people_account": ("{name}（{account}）", "{name} ({account})"),
    "people_more": (
        "只列出前 {shown} 人，共 {count} 人；可按身份或网格查看，如「人员 网格员」「人员 东镇」。",
        "Only the first {shown} of {count} are listed; list one role or area, e.g. "
        "/people grid_worker, /people DZ.",
    ),
    "people_residents_counted": (
        "居民 {count} 人（人数多，不逐一列出）。",
        "{count} residents (too many to list).",
    ),
    "people_none": ("没有符合条件的人员。", "Nobody matches."),
    "people_bad_word": (
        "「{value}」不是身份、网格或部门。用法：{usage}",
        "'{value}' is not a role, an area or a department. Usage: {usage}",
    ),
    "people_sent_privately": (
        "人员名单含个人信息，不在群里显示，已私信发给您。",
        "The list of people holds personal data, so it is not shown in a group; it is on "
        "its way to you privately.",
    ),
    "people_private_only": (
        "人员名单含个人信息，只在私聊中显示。请先私聊机器人（发送 /start），再在私聊中发送"
        "「人员{words}」。",
        "The list of people holds personal data, so it is only shown in a private chat. "
        "Write to the bot privately first (send /start), then send /people{words} there.",
    ),
    # A /grant that would leave no admin: nobody could grant (授权) until a restart.
    "grant_last_admin_self": (
        "您是唯一的管理员，不能取消自己的管理员身份：否则在机器人重启前没有人能再授权。"
        "请先授权另一人为管理员（授权 某人 管理员），再更改自己的身份。",
        "You are the only admin and cannot give up the role: until the bot restarts nobody "
        "could grant anything. Make someone else admin first (/grant person admin), then "
        "change your own role.",
    ),
    "grant_last_admin": (
        "{name} 是唯一的管理员，不能取消其管理员身份：否则在机器人重启前没有人能再授权。"
        "请先授权另一人为管理员。",
        "{name} is the only admin and keeps the role: until the bot restarts nobody could "
        "grant anything. Make someone else admin first.",
    ),
    # A /grant of someone the config's [[people]] lists otherwise: undone at the next start.
    "granted_config_restores": (
        "注意：配置文件的 [[people]] 把此人设为「{role}」{area}，机器人重启时会恢复为该身份；"
        "要长期更改，请同时修改配置文件。",
        " Note: the config file's [[people]] lists them as {role}{area}, which the bot "
        "restores at its next start; to make this last, change the config file too.",
    ),
    "granted_area": ("，网格：{area}", ", area: {area}"),
    "granted_department": ("，对接部门：{department}", ", for {department}"),
    "bad_department": (
        "「{value}」不是已设置的部门。部门对接人须写明部门：授权 某人 对接人 部门；"
        "部门：{choices}。",
        "'{value}' is not a department set up here. A liaison needs one: "
        "/grant person liaison DEPARTMENT; departments: {choices}.",
    ),
    # "授权 张警官 对接人" with no department: it read 「」不是部门代码.
    "department_required": (
        "部门对接人须写明对接的部门：「授权 {name} 对接人 部门」；部门：{choices}。",
        "A liaison needs their department: /grant {name} liaison DEPARTMENT; "
        "departments: {choices}.",
    ),
    "no_departments": (
        "（尚未配置部门：见配置文件的 [[departments]]）",
        "(none configured: [[departments]] in the config file)",
    ),
    "granted_no_area": (
        "，未设网格（可查看所有网格的工单；加上网格可限定，如「授权 某人 网格员 东镇」）",
        " with no area (sees every area's tickets; add an area code to limit it, e.g. "
        "/grant someone grid_worker DZ)",
    ),
    "retagged_private": (
        "工单 {ticket} 已改标，并记入训练样本（私下反映的工单，标签不在群内显示）。",
        "Ticket {ticket} re-tagged and kept as a training example (a private report: its "
        "labels are not shown in the group).",
    ),
    "retagged_elsewhere": (
        "工单 {ticket} 已改标，并记入训练样本（不是在本群反映的工单，标签不在这里显示）。",
        "Ticket {ticket} re-tagged and kept as a training example (not reported in this "
        "group: its labels are not shown here).",
    ),
    "retagged": (
        "工单 {ticket} 已改为 {type}｜{urgency}，并记入训练样本。",
        "Ticket {ticket} re-tagged {type} | {urgency} and kept as a training example.",
    ),
    "retag_extension_lapsed": (
        "原延期的办结时限（{limit}）不再适用，按新紧急程度的时限督办。",
        " The extension granted before (a resolve limit of {limit}) no longer applies: it is "
        "supervised on the new urgency's limits.",
    ),
    "assign_extension_lapsed": (
        "原延期的办结时限（{limit}）不再适用，按承办方的时限督办。",
        " The extension granted before (a resolve limit of {limit}) no longer applies: it is "
        "supervised on the limits of whoever handles it now.",
    ),
    "unfiled_header": (
        "未立案的群消息（发送「立案 编号」转为工单）：",
        "Group messages not filed (send /file N to make one a ticket):",
    ),
    "unfiled_line": (
        "消息 {number}｜{time}｜{sender}{flag}：{text}",
        "Message {number} | {time} | {sender}{flag}: {text}",
    ),
    "unfiled_held_flag": ("（超出每小时上限，暂缓立案）", " (held: over the hourly limit)"),
    "unfiled_failed_flag": ("（处理出错，未立案）", " (handling failed: not filed)"),
    "unfiled_no_area_flag": ("（网格未定）", " (area unknown)"),
    "file_which_area": (
        "消息 {number} 的反映人尚未选择网格，请指明网格再立案：「立案 {number} 网格代码」。"
        "可选：{areas}",
        "The sender of message {number} has not chosen their area: name it to file it, "
        "/file {number} <area code>. Areas: {areas}",
    ),
    "unfiled_empty": ("没有未立案的群消息。", "No unfiled group messages."),
    "no_such_message": (
        "没有找到未立案的消息 {number}（或不在您的网格）。",
        "No unfiled message {number} (or it is not in your area).",
    ),
    "message_erased": (
        "消息 {number} 已超过保存期限（{days} 天），内容已按规定删除，无法立案。",
        "Message {number} is older than the {days} days its words are kept: they were erased, "
        "so it cannot be filed.",
    ),
    "filed": (
        "消息 {number} 已立案为工单 {ticket}。",
        "Message {number} filed as ticket {ticket}.",
    ),
    "lang_set": ("已切换为中文。", "Language set to English."),
    # queries
    "status_line": (
        "工单 {ticket}｜{status}｜{type}｜{urgency}{holder}\n受理时间：{created}",
        "Ticket {ticket} | {status} | {type} | {urgency}{holder}\nReceived: {created}",
    ),
    "status_holder": ("｜负责人：{name}", " | holder: {name}"),
    "status_resolution": ("办理结果：{text}", "Resolution: {text}"),
    "report_wordless": ("（没有文字，只发来{items}）", "(no words, only {items})"),
    "summary_wordless": (
        "（没有文字，请发送「详情 {number}」查看）", "(no words: see /ticket {number})"
    ),
    "report_clipped": (
        "{text}…（全文请发送「详情 {number}」）", "{text}… (send /ticket {number} for all of it)"
    ),
    "resolution_clipped": (
        "{text}…（全文请发送「查询 {number}」）", "{text}… (send /status {number} for all of it)"
    ),
    "list_line": (
        "{ticket}｜{status}｜{urgency}｜{summary}",
        "{ticket} | {status} | {urgency} | {summary}",
    ),
    "mine_reported": ("您反映的问题：", "Your reports:"),
    "mine_held": ("您负责的工单：", "Tickets you hold:"),
    "mine_held_overdue": (
        "您负责的工单（超期 {count} 件）：", "Tickets you hold ({count} overdue):"
    ),
    "mine_overdue_flag": ("【已超期 {late}】", "[overdue {late}] "),
    # The ledger's 超期 of an open ticket past its resolve deadline, in 我的's words.
    "ledger_overdue": ("已超期 {late}", "overdue {late}"),
    "mine_empty": ("暂无记录。", "Nothing yet."),
    "mine_queue_department": (
        "本部门待认领 {count} 件，发送「待办」查看。",
        "Your department has {count} unclaimed: send /queue to see them.",
    ),
    "mine_queue_area": (
        "本网格待认领 {count} 件，发送「待办」查看。",
        "Your grid has {count} unclaimed: send /queue to see them.",
    ),
    "mine_queue_department_more": (
        "本部门待认领超过 {count} 件，发送「待办」查看。",
        "Your department has over {count} unclaimed: send /queue to see the most urgent.",
    ),
    "mine_queue_area_more": (
        "本网格待认领超过 {count} 件，发送「待办」查看。",
        "Your grid has over {count} unclaimed: send /queue to see the most urgent.",
    ),
    "mine_more_urgent": (
        "（只列出最紧急、最早的 {count} 件，还有更多。）",
        "(Only the {count} most urgent and oldest are listed; there are more.)",
    ),
    "mine_more_recent": (
        "（只列出最近的 {count} 件；更早的请发送“查询 工单号”。）",
        "(Only the latest {count} are listed; for an earlier one send \"status <number>\".)",
    ),
    "queue_header": ("待认领工单（{area}）：", "Unclaimed tickets ({area}):"),
    "queue_empty": ("没有待认领的工单。", "No unclaimed tickets."),
    "queue_own_department": (
        "部门对接人只能查看本部门（{department}）的待认领工单。",
        "A liaison sees their own department's queue ({department}).",
    ),
    "queue_own_area": (
        "网格员只能查看本网格（{area}）的待认领工单。",
        "A grid worker sees their own area's queue ({area}).",
    ),
    "queue_more": (
        "只列出最紧急、最早受理的 {count} 件，还有更多待认领。",
        "Only the {count} most urgent and oldest are listed; more are waiting.",
    ),
    "search_header": ("含“{terms}”的工单（{area}），最新的在前：",
                      "Tickets with '{terms}' ({area}), newest first:"),
    "search_line": (
        "{ticket}｜{date}｜{status}｜{urgency}｜{summary}",
        "{ticket} | {date} | {status} | {urgency} | {summary}",
    ),
    "search_more": (
        "只列出最新的 {count} 件；加一个词可缩小范围，如「查找 漏水 3栋」。",
        "Only the newest {count} are listed; add a word to narrow it down: /search leak block3.",
    ),
    "search_empty": ("没有找到含“{terms}”的工单（{area}）。",
                     "No tickets with '{terms}' ({area})."),
    "search_group_only": (
        "在群里只查本群反映的工单；私下反映的和其他群的，请私聊机器人查找。",
        "In a group only the tickets reported in it are searched; for those reported "
        "privately or in another group, ask the bot one to one.",
    ),
    "search_own_cases": ("，以及您经手的工单", " and tickets you hold or reported"),
    "search_too_many": (
        "查找最多用 {limit} 个词，请减少一些。", "A search takes at most {limit} words.",
    ),
    "search_own_department": (
        "部门对接人只能查找转给本部门（{department}）的工单和自己经手的工单。",
        "A liaison searches the tickets handed to their department ({department}) and the "
        "tickets they hold or reported.",
    ),
    "search_own_area": (
        "网格员只能查找本网格（{area}）的工单和自己经手的工单。",
        "Grid workers search their own area ({area}) and the tickets they hold or reported.",
    ),
    "all_areas": ("全部网格", "all areas"),
    "history_header": ("工单 {ticket} 全部记录：", "Ticket {ticket}, full history:"),
    "unreached_reporter": (
        "尚未送达反映人：{count} 条消息（须其先给机器人发消息，如公众号超过 48 小时未互动；"
        "其再发消息时自动补发）",
        "Not yet delivered to the reporter: {count} message(s) (they must write to the bot "
        "first, as on an Official Account 48 hours after their last message; they go when "
        "the reporter next writes)",
    ),
    "source_line": ("信息来源：{source}", "Source: {source}"),
    "reporter_line": ("反映人：{name}", "Reporter: {name}"),
    "history_line": ("{at} {actor} {action} {detail}", "{at} {actor} {action} {detail}"),
    "history_words": ("{text}", '"{text}"'),
    "attachments_line": ("附件：{items}", "Attachments: {items}"),
    "system_actor": ("系统", "system"),
    # supervision (督办)
    "escalation": (
        "【{level}督办】工单 {ticket} 超时{stage}｜{urgency}｜时限 {limit}，已等待 {waited}\n"
        "{area}｜{holder}\n{summary}",
        "[Escalation, {level}] Ticket {ticket} {stage} in time | {urgency} | "
        "limit {limit}, waiting {waited}\n{area} | {holder}\n{summary}",
    ),
    # One event's tickets (疑似同一事件, `bot.supervision.together`) escalated in one sweep at
    # the same deadline and level: one notice of them all, each as `escalation` reads it.
    "escalation_linked_header": (
        "【{level}督办】疑似同一事件的 {count} 件工单均超时{stage}：{tickets}",
        "[Escalation, {level}] {count} tickets that may be one event, each {stage} in "
        "time: {tickets}",
    ),
    "escalation_linked_item": (
        "工单 {ticket}｜{urgency}｜时限 {limit}，已等待 {waited}\n{area}｜{holder}\n{summary}",
        "Ticket {ticket} | {urgency} | limit {limit}, waiting {waited}\n{area} | {holder}\n"
        "{summary}",
    ),
    # The event's other open tickets, and the 并案 that would make them one case.
    "escalation_linked": (
        "（与 {tickets} 疑似同一事件，可发送{merges}合并）",
        "(maybe the same event as {tickets}; if it is, send {merges})",
    ),
    "escalation_linked_together": (
        "（核实确属同一事件，可发送{merges}合并）",
        "(if they are one event, send {merges})",
    ),
    "escalation_linked_merge": ("「并案 {merge}」", "/merge {merge}"),
    # The 并案 of an event's tickets into one (`bot.supervision.merge_suggestion`).
    "merge_into_form": ("{tickets} 到 {main}", "{tickets} into {main}"),
    "list_merge_hint": (
        "疑似同一事件的工单，核实后可发送{merges}合并。",
        "Tickets that may be one event: once checked, send {merges} to merge them.",
    ),
    # More tickets than one suggested 并案 names: the rest after it.
    "escalation_linked_etc": ("等", " (then the rest)"),
    # ... to a reader who may not merge (a grid worker, a liaison): named only.
    "escalation_linked_names": (
        "（与 {tickets} 疑似同一事件）", "(maybe the same event as {tickets})"
    ),
    # To an admin, of a major case (领导督办): why they hear of it from its first level.
    "escalation_major": (
        "重大疑难，领导督办：每次超时均报管理员。发送「详情 {number}」查看全部记录。",
        "A major and difficult case: the leadership is told of every escalation. "
        "Send /ticket {number} for its history.",
    ),
    "escalation_holder": (
        "【{level}督办】您负责的工单 {ticket} 超时{stage}（{urgency}，时限 {limit}，"
        "已等待 {waited}），请尽快处理；办结请发送「办结 {number} 办理结果」。\n{summary}",
        "[Escalation, {level}] Ticket {ticket}, which you hold, is {stage} in time "
        "({urgency}, limit {limit}, waiting {waited}). Please act now; "
        "send /resolve {number} with the outcome when done.\n{summary}",
    ),
    "overdue_header": (
        "超时工单（{area}，共 {count} 件，超时最久的在前）：",
        "Overdue tickets ({area}, {count}, most overdue first):",
    ),
    "overdue_line": (
        "{ticket}｜{urgency}｜{status}｜超时{stage} {late}｜已等待 {waited}｜{holder}｜{summary}",
        "{ticket} | {urgency} | {status} | {stage}, {late} late | waiting {waited} | "
        "{holder} | {summary}",
    ),
    "overdue_more": ("另有 {count} 件未列出。", "{count} more not shown."),
    "overdue_empty": ("没有超时工单。", "No overdue tickets."),
    "holder_is": ("负责人：{name}", "holder: {name}"),
    "holder_none": ("无人认领", "nobody holds it"),
    # nobody holds it, as someone gave it back (退回): it was taken up, and left
    "holder_given_back": ("无人认领（{name} 已退回）", "nobody holds it (given back by {name})"),
    "escalation_area": (
        "【{level}督办】{area}的工单 {ticket} 超时{stage}（{urgency}，时限 {limit}，"
        "已等待 {waited}），尚无人认领；请发送「认领 {number}」。\n{summary}",
        "[Escalation, {level}] Ticket {ticket} of {area} is {stage} in time "
        "({urgency}, limit {limit}, waiting {waited}) and nobody has taken it up; "
        "send /claim {number}.\n{summary}",
    ),
    # Nobody holds it and its time to be resolved is up too: not 尚无人认领 again, as at its
    # claim deadline's levels, but that the whole of its time has gone with nobody on it.
    "escalation_area_resolve": (
        "【{level}督办】{area}的工单 {ticket} 已过办结时限（{urgency}，时限 {limit}，"
        "已等待 {waited}），至今仍无人认领；请立即发送「认领 {number}」并处置。"
        "\n{summary}",
        "[Escalation, {level}] Ticket {ticket} of {area} is past its time to be resolved "
        "({urgency}, limit {limit}, waiting {waited}) and still nobody has taken it up. Send "
        "/claim {number} and act on it now.\n{summary}",
    ),
    "escalation_department": (
        "【{level}督办】转{department}办理的工单 {ticket} 超时{stage}（{urgency}，时限 {limit}，"
        "已等待 {waited}），尚无人认领；请发送「认领 {number}」。\n{summary}",
        "[Escalation, {level}] Ticket {ticket}, handed to {department}, is {stage} in time "
        "({urgency}, limit {limit}, waiting {waited}) and nobody there has taken it up; "
        "send /claim {number}.\n{summary}",
    ),
    "escalation_department_resolve": (
        "【{level}督办】转{department}办理的工单 {ticket} 已过办结时限（{urgency}，时限 {limit}，"
        "已等待 {waited}），至今仍无人认领；请立即发送「认领 {number}」并处置。"
        "\n{summary}",
        "[Escalation, {level}] Ticket {ticket}, handed to {department}, is past its time to "
        "be resolved ({urgency}, limit {limit}, waiting {waited}) and still nobody there has "
        "taken it up. Send /claim {number} and act on it now.\n{summary}",
    ),
    "reminder": (
        "【临期提醒】您负责的工单 {ticket}（{urgency}）将于 {due} 前到期"
        "（办结时限 {limit}），请抓紧办理。\n{summary}\n"
        "办结请发送「办结 {number} 办理结果」；{more_time}",
        "[Deadline near] Ticket {ticket} ({urgency}), which you hold, is due by {due} "
        "(limit {limit}).\n{summary}\n"
        "To resolve it send /resolve {number} outcome; {more_time}",
    ),
    "reminder_more": (
        "如需更多时间，请发送「延期 {number} {more} 原因」。",
        "for more time, /extend {number} {more} why.",
    ),
    # The holder's request for more time waits on staff: asking again would only put a
    # second request before them.
    "reminder_asked": (
        "您已申请延期 {by}，尚待中心批复，无需重复申请。",
        "you asked for {by} more, which waits on the centre: no need to ask again.",
    ),
    # One sweep's private notices of several tickets to one person, as one message
    # (`bot.supervision.arrange`): a header, then a line for each, most urgent first.
    "fold_header": (
        "【督办汇总】您有 {count} 件工单需要处理（最紧急的在前）{part}：",
        "[Escalations] {count} tickets need you (most urgent first){part}:",
    ),
    "fold_part": ("，第 {part}/{parts} 条", ", part {part} of {parts}"),
    # ... and to a staff room or an admin: each ticket's escalation, or one event's, in lines.
    "fold_header_staff": (
        "【督办汇总】本次督办 {count} 件工单（最紧急的在前）{part}：",
        "[Escalations] {count} tickets escalated (most urgent first){part}:",
    ),
    "fold_escalation_staff": (
        "【{level}督办】{ticket}｜{urgency}｜超时{stage} {late}｜{area}｜{holder}｜{summary}",
        "[Escalation, {level}] {ticket} | {urgency} | {stage} in time, {late} late | {area} | "
        "{holder} | {summary}",
    ),
    "fold_major": ("｜重大疑难，领导督办", " | major case: every escalation told"),
    # A complaint about the desk's own people (作风反映), which staff work themselves.
    "fold_about_the_desk": ("｜作风反映", " | about the desk's own people"),
    "fold_escalation": (
        "【{level}督办】{ticket}｜{urgency}｜超时{stage} {late}｜{summary}｜{act}",
        "[Escalation, {level}] {ticket} | {urgency} | {stage} in time, {late} late | {summary} "
        "| {act}",
    ),
    "fold_reminder": (
        "【临期】{ticket}｜{urgency}｜{due} 到期｜{summary}｜{act}",
        "[due soon] {ticket} | {urgency} | due {due} | {summary} | {act}",
    ),
    "fold_act_claim": ("「认领 {number}」", "/claim {number}"),
    "fold_act_resolve": ("「办结 {number} 办理结果」", "/resolve {number} outcome"),
    "escalated_detail": ("超时{stage}（{level}）", "{stage} in time ({level})"),
    # follow-up visits (回访)
    "followup_question": (
        "您好！您反映的问题（工单 {ticket}）已办结：{text}\n"
        "请问您对处理结果是否满意？请回复「满意 {number}」「基本满意 {number}」"
        "「不满意 {number}」（可在后面写上意见）。",
        "Hello! Your report (ticket {ticket}) has been resolved: {text}\n"
        "Are you satisfied with the outcome? Reply /rate {number} satisfied, "
        "/rate {number} fair or /rate {number} unsatisfied (a comment may follow).",
    ),
    # The ticket a merged reporter knows, and where it went, in their question (回访).
    "followup_merged_label": ("{ticket}，已并入工单 {main}", "{ticket}, merged into ticket {main}"),
    "rate_thanks": (
        "感谢您对工单 {ticket} 的评价（{rating}）！",
        "Thank you for rating ticket {ticket} ({rating})!",
    ),
    "rate_corrected": (
        "已将您对工单 {ticket} 的评价更正为：{rating}。谢谢！",
        "Your rating of ticket {ticket} is now: {rating}. Thank you!",
    ),
    # A rating read from everyday words ("还行吧，就是来得有点慢", `bot.visit_words`).
    "rate_read": (
        "已记录您对工单 {ticket} 的评价：{rating}{comment}。",
        "Recorded your rating of ticket {ticket}: {rating}{comment}.",
    ),
    "rate_read_comment": ("（意见：{text}）", " (comment: {text})"),
    "rate_read_correct": (
        "如不是这个意思，请回复「满意 {number}」「基本满意 {number}」「不满意 {number}」更正"
        "（可更正一次）。",
        " If that is not what you meant, send /rate {number} satisfied, fair or unsatisfied "
        "to correct it (once).",
    ),
    "rate_read_stands": (
        "不满意的评价会转工作人员再次处理，不能更正。",
        "An unsatisfied rating goes back to staff to handle again and cannot be corrected.",
    ),
    "rate_reopened": (
        "感谢反馈，很抱歉问题没有解决好。工单 {ticket} 已重新打开，网格员会再次处理，"
        "综治中心也已知悉。",
        "Thank you, and we are sorry it was not solved. Ticket {ticket} has been reopened; "
        "a grid worker will take it up again and the centre's staff have been told.",
    ),
    "rate_reopened_department": (
        "感谢反馈，很抱歉问题没有解决好。工单 {ticket} 已重新打开，承办部门会再次处理，"
        "综治中心也已知悉。",
        "Thank you, and we are sorry it was not solved. Ticket {ticket} has been reopened; "
        "the department handling it will take it up again and the centre's staff have been "
        "told.",
    ),
    # After the reply to a 不满意 whose words are about the desk's own people: where they went.
    "rate_about_the_desk": (
        "您对工作人员的意见已转综治中心工作人员处理，不告知网格员和承办部门。",
        "What you said about the desk's own people went to the centre's staff, not to the grid "
        "workers or a department.",
    ),
    "rate_flagged": (
        "感谢反馈，很抱歉问题没有解决好。工单 {ticket} 已转综治中心工作人员研判。",
        "Thank you, and we are sorry it was not solved. The centre's staff have been told "
        "about ticket {ticket} and will decide what to do.",
    ),
    "rate_already": (
        "您已评价过工单 {ticket}（{rating}），每次办结只需评价一次，谢谢！",
        "You have already rated ticket {ticket} ({rating}); one rating per resolution. Thank you!",
    ),
    "rate_reopen_hint": (
        "如问题仍未解决，请发送「重开 {number} 原因」。",
        "If the problem is not solved, send /reopen {number} with the reason.",
    ),
    # A visit staff made by phone (电话回访, `Ratings.visit`).
    "visit_recorded": (
        "已记录工单 {ticket} 的电话回访：{rating}{comment}。",
        "Recorded the phone visit of ticket {ticket}: {rating}{comment}.",
    ),
    "visit_reopened": (
        "工单已按回访不满意重新打开，回到待认领队列；办理人和值班室已收到通知。",
        "The ticket is reopened, as an unsatisfied answer does, and back in the queue; "
        "whoever resolved it and the staff room have been told.",
    ),
    "visit_flagged": (
        "工单未重开（已结案，或已并入其他工单）；值班室已收到通知，"
        "如需重办请发送「重开 {number}」。",
        "The ticket stays as it is (closed, or merged into another); the staff room has been "
        "told. To have it handled again, send /reopen {number}.",
    ),
    "visit_not_waiting": (
        "工单 {ticket} 目前没有待回访的评价（尚未办结，或回访已取消），未记录。",
        "Ticket {ticket} has no follow-up visit waiting for an answer (not resolved, or the "
        "visit was called off); nothing recorded.",
    ),
    "visit_answered": (
        "工单 {ticket} 的回访已有评价（{rating}），每次办结只记录一次，未记录。",
        "The visit of ticket {ticket} was answered already ({rating}): one answer per "
        "resolution; nothing recorded.",
    ),
    "visit_bad_rating": (
        "请写明回访结果：「回访 {number} 满意」「回访 {number} 基本满意」"
        "或「回访 {number} 不满意 意见」。",
        "Say what the reporter answered: /visit {number} satisfied, fair or unsatisfied "
        "(a comment may follow).",
    ),
    # Giving a ticket its area (划归网格, `Triage.route`).
    "routed": ("已将工单 {ticket} 划归{area}。", "Ticket {ticket} is now {area}'s."),
    "routed_triage": (
        "工单不再待人工研判（此前仅因未定网格）。",
        " It no longer awaits triage (it did only for want of an area).",
    ),
    "routed_told": (
        "已私信通知该网格的网格员认领。", " The area's grid workers have been told to claim it."
    ),
    "route_same": ("工单 {ticket} 已属于{area}。", "Ticket {ticket} is {area}'s already."),
    "no_area_detail": (
        "工单未写明所属网格，请工作人员划归网格（划归 工单号 网格）",
        "no area named: staff are to give it one (/route N area)",
    ),
    "rate_not_reporter": (
        "只有反映人本人可以评价工单 {ticket}。",
        "Only the person who reported ticket {ticket} can rate it.",
    ),
    "rate_not_open": (
        "工单 {ticket} 目前没有待评价的回访。",
        "Ticket {ticket} has no follow-up waiting for a rating.",
    ),
    "rate_which": (
        "您有几件工单在等待评价：\n{tickets}\n请写上工单号，例如「{rating} {number}」。",
        "Several of your tickets are waiting for a rating:\n{tickets}\nSay which, "
        "e.g. /rate {number} {rating}.",
    ),
    "rate_which_line": (
        "{ticket}「{summary}」{month}月{day}日办结",
        "{ticket} '{summary}' resolved {day} {month}",
    ),
    "rate_nothing_waiting": (
        "您目前没有待评价的工单。工单办结后，可回复「满意 工单号」「不满意 工单号」进行评价。",
        "None of your tickets is waiting for a rating. Once one is resolved, reply "
        "/rate <number> satisfied or /rate <number> unsatisfied.",
    ),
    "bad_rating": (
        "请选择：满意、基本满意 或 不满意，例如「满意 {number}」。",
        "Choose satisfied, fair or unsatisfied, e.g. /rate {number} satisfied.",
    ),
    "unsatisfied_staff": (
        "【回访不满意】工单 {ticket}｜{area}｜反映人：{reporter}{comment}\n"
        "办理人：{holder}。{outcome}",
        "[Follow-up: not satisfied] Ticket {ticket} | {area} | reporter: {reporter}{comment}\n"
        "Resolved by: {holder}. {outcome}",
    ),
    # An urgent staff notice with no staff chat, in a notify room the residents read: that a
    # ticket needs the duty staff, not its words or reporter (`Turn.to_staff`).
    "staff_urgent_in_group": (
        "【紧急】工单 {ticket} 需值班人员立即处理，详情请私聊机器人查看。",
        "[Urgent] Ticket {ticket} needs the duty staff now; see it in a private chat with the bot.",
    ),
    # The same, in a notify room the residents read: not who answered, nor what they said.
    "unsatisfied_group": (
        "【回访不满意】工单 {ticket}｜{area}\n办理人：{holder}。{outcome}",
        "[Follow-up: not satisfied] Ticket {ticket} | {area}\nResolved by: {holder}. {outcome}",
    ),
    # Above the desk's copy when the comment is about the desk's own people (作风反映): kept
    # from the grid and the departments, as a 作风反映's notice is (`unsatisfied_notices`).
    "unsatisfied_about_the_desk": (
        "【作风反映】工单 {ticket} 的回访意见反映的是中心自己人员（网格员、干部、工作人员）的"
        "作风问题：只通知值班室，不告知网格员和部门对接人，请工作人员核实处理。",
        "[About the desk's own people] The follow-up answer on ticket {ticket} complains of "
        "the conduct of the desk's own people (grid workers, cadres, staff): told to the "
        "staff room only, not to grid workers or department liaisons; staff, please look "
        "into it.",
    ),
    "comment_suffix": ("：「{text}」", ': "{text}"'),
    "unsatisfied_reopened": (
        "工单已重新打开，回到待认领队列。",
        "The ticket has been reopened and is back in the queue.",
    ),
    "unsatisfied_reopened_department": (
        "工单已重新打开，回到{department}待认领队列，已通知其对接人。",
        "The ticket has been reopened and is back in {department}'s queue; its liaisons "
        "were told.",
    ),
    "claim_again": (
        "再次认领请发送「认领 {number}」。", "Send /claim {number} to take it up again."
    ),
    "unsatisfied_merged": (
        "该工单已并入工单 {main}，未自动重开；如需重办请发送「重开 {number}」。",
        "This ticket was merged into ticket {main}, which was not reopened; send "
        "/reopen {number} to reopen it.",
    ),
    "unsatisfied_closed": (
        "工单已结案，未自动重开；如需重办请发送「重开 {number}」。",
        "The ticket is closed, so it was not reopened; send /reopen {number} to reopen it.",
    ),
    "followup_asked": ("已私信询问反映人是否满意", "asked the reporter privately"),
    "followup_asked_late": (
        "反映人私聊机器人后，补发回访询问是否满意",
        "asked the reporter privately once they had written to the bot",
    ),
    "hotline_note": (
        "（{platform}工单 {number}{details}）", "({platform} work order {number}{details})"
    ),
    "hotline_sep": ("；", "; "),
    "hotline_time": ("受理时间：{value}", "received {value}"),
    "hotline_category": ("诉求类别：{value}", "category: {value}"),
    "hotline_name": ("来电人：{value}", "caller: {value}"),
    "hotline_phone": ("联系电话：{value}", "phone: {value}"),
    "hotline_address": ("地址：{value}", "address: {value}"),
    "hotline_caller": ("{platform}来电人", "{platform} caller"),
    "followup_by_phone": (
        "热线来电人无法私信回访，请工作人员电话回访（来电人和电话见工单内容）",
        "a hotline caller cannot be written to: staff are to phone them (name and number in "
        "the report)",
    ),
    "followup_unreachable": (
        "反映人未与机器人私聊过，无法私信，未回访",
        "the reporter has never written to the bot privately; not asked",
    ),
    "duration_day": ("{n}天", "{n}d"),
    "duration_hour": ("{n}小时", "{n}h"),
    "duration_minute": ("{n}分钟", "{n}m"),
    "duration_short": ("不到1分钟", "under a minute"),
    "duration_working_day": ("{n}个工作日", "{n} working day"),
    "duration_working_days": ("{n}个工作日", "{n} working days"),
    "duration_working_short": ("不到1个工作日", "under a working day"),
    # statistics (/stats)
    "bad_period": (
        "看不懂时间段「{value}」。用法：{usage}",
        "'{value}' is not a period I understand. Usage: {usage}",
    ),
    "stats_header": ("工单统计（{start} 至 {end} 受理）：", "Tickets received {start} to {end}:"),
    "stats_header_area": (
        "工单统计（{area}，{start} 至 {end} 受理）：",
        "Tickets received in {area}, {start} to {end}:",
    ),
    "bad_area": (
        "「{value}」不是网格的名称或代码。可选：{choices}。",
        "'{value}' is not an area's name or code. Choose one of: {choices}.",
    ),
    "bad_stats_word": (
        "看不懂「{value}」：既不是时间段，也不是网格代码。用法：{usage}；网格代码：{choices}。",
        "'{value}' is neither a period nor an area code. Usage: {usage}; area codes: {choices}.",
    ),
    "stats_own_area": (
        "网格员只能查看本网格（{area}）的统计。",
        "Grid workers can see the statistics of their own area ({area}) only.",
    ),
    "stats_own_department": (
        "部门对接人只能查看本部门（{department}）的统计：请发送「统计」或「统计 本月」，"
        "不加网格或其他部门。",
        "A liaison can see the statistics of their own department ({department}) only: send "
        "/stats, or /stats month, with no area or other department.",
    ),
    "area_choice": ("{code}（{name}）", "{code} ({name})"),
    "department_choice": ("{name}（{code}）", "{name} ({code})"),
    "list_sep": ("、", ", "),
    "or_sep": ("或", " or "),
    "stats_none": ("该时段没有受理工单。", "No tickets were received in this period."),
    "stats_received": (
        "受理 {received} 件，已办结 {resolved} 件，办结率 {share}",
        "Received {received}, resolved {resolved} ({share})",
    ),
    # The comparison with the period before (环比), for a period that is over.
    "stats_vs_previous": (
        "环比：受理 {change}（上期{before}受理 {count} 件）{rise}",
        "Against the period before{before}: received {change} (then {count}){rise}",
    ),
    "stats_before_days": (" {start} 至 {end} ", " ({start} to {end})"),
    "stats_rise": ("；增加最多：{type} +{count}", "; largest rise: {type} +{count}"),
    "stats_withdrawn": (
        "（其中反映人撤回 {count} 件）", " (of which withdrawn by the reporter: {count})"
    ),
    "stats_by_status": ("按状态：{items}", "By status: {items}"),
    "stats_by_type": ("按类型：{items}", "By type: {items}"),
    "stats_by_urgency": ("按紧急程度：{items}", "By urgency: {items}"),
    "stats_by_area": ("按网格：{items}{more}", "By area: {items}{more}"),
    "stats_by_source": ("按来源：{items}", "By source: {items}"),
    "stats_areas_more": ("；另有 {count} 个网格", "; {count} more area{count!p}"),
    "stats_by_department": ("转办部门：{items}", "Handed to departments: {items}"),
    "stats_by_assisting": ("协办部门：{items}", "Assisted by departments: {items}"),
    # One department's figures: the cases it assists with (协办), another leading.
    "stats_assisted": (
        "本部门协办：{count} 件（已办结 {resolved}），由其他单位主办，不计入以上各项",
        "Assisting: {count} ({resolved} resolved), led by others, counted in none of the above",
    ),
    "stats_department_item": (
        "{department} {count}（已办结 {resolved}）", "{department} {count} ({resolved} resolved)"
    ),
    "stats_item": ("{label} {count}", "{label} {count}"),
    "stats_sep": ("｜", " | "),
    "stats_triage": ("待人工研判：{count} 件", "Awaiting triage: {count}"),
    "stats_dismissed": (
        "另有 {count} 件作废（非报事），不计入以上各项",
        "Also {count} dismissed as not a report, counted in none of the above",
    ),
    "stats_merged": (
        "另有 {count} 件并案（与其他工单为同一事件），不计入以上案件数"
        "（其反映人的回访评价照常计入）",
        "Also {count} merged into another ticket (the same event), not counted as cases above "
        "(their reporters' follow-up answers are)",
    ),
    "stats_claim": (
        "认领用时中位数：{median}（已认领 {count} 件）",
        "Median time to claim: {median} ({count} claimed)",
    ),
    "stats_resolve": (
        "办结用时中位数：{median}（已办结 {count} 件）",
        "Median time to resolve: {median} ({count} resolved)",
    ),
    "stats_on_time": (
        "按期办结 {on_time} 件，超期办结 {late} 件；按期办结率 {share}",
        "Resolved by the deadline: {on_time}, after it: {late}; on time {share}",
    ),
    "stats_major": (
        "重大疑难 {count} 件（已办结 {resolved} 件）",
        "Major and difficult cases: {count} ({resolved} resolved)",
    ),
    "stats_crowds": (
        "群体性纠纷（涉及 {crowd} 人以上）：{count} 件", "Group disputes ({crowd}+ people): {count}"
    ),
    "stats_amount": (
        "涉及金额：{count} 件共 {amount}", "Money involved: {count} case{count!p}, {amount}"
    ),
    "stats_settled_amount": (
        "，其中化解成功 {count} 件共 {amount}", "; of the disputes settled, {count}, {amount}"
    ),
    "stats_settled": (
        "调处结果：化解成功 {settled} 件，未化解 {unsettled} 件；化解成功率 {share}",
        "Disputes settled: {settled}, not settled: {unsettled}; settled {share}",
    ),
    "briefing_header": ("【每日简报】{day}（{weekday}）", "[Daily briefing] {day} ({weekday})"),
    "briefing_month": ("【月度统计】{year}年{month}月", "[Monthly figures] {year}-{month:02d}"),
    "briefing_month_ledger": (
        "上月台账：私聊机器人发送「导出台账 上月」。",
        "The month's ledger: send /export last-month to the bot in a private chat.",
    ),
    "briefing_month_ledger_of": (
        "{year}年{month}月台账：私聊机器人发送「导出台账 {year}-{month:02d}」。",
        "The month's ledger: send /export {year}-{month:02d} to the bot in a private chat.",
    ),
    "briefing_since": (
        "{since} 以来：受理 {received} 件{by_urgency}，办结 {resolved} 件{late}，"
        "重开 {reopened} 件",
        "Since {since}: {received} received{by_urgency}, {resolved} resolved{late}, "
        "{reopened} reopened",
    ),
    "briefing_resolved_late": ("（其中超期 {count} 件）", " ({count} after the deadline)"),
    "briefing_settled": ("（化解成功 {count} 件）", " ({count} settled)"),
    "briefing_by_urgency": ("（{items}）", " ({items})"),
    "briefing_ratings": ("回访评价 {count} 件：{items}", "Follow-up answers: {count} — {items}"),
    "briefing_backlog": (
        "在办 {open} 件：待认领 {unclaimed} 件，处理中 {claimed} 件，其中紧急 {urgent} 件",
        "Open: {open} — {unclaimed} unclaimed, {claimed} claimed; {urgent} of them urgent",
    ),
    "briefing_overdue": (
        "超时 {count} 件，发送「督办」查看。", "{count} overdue: send /overdue for the list.",
    ),
    "briefing_overdue_detail": (
        "超时 {count} 件（上次简报以来新增 {new} 件；超时最久：{ticket} 超时{stage} {late}），"
        "发送「督办」查看。",
        "{count} overdue ({new} new since the last briefing; most overdue: {ticket}, {stage}, "
        "{late} late): send /overdue for the list.",
    ),
    "briefing_none_overdue": ("没有超时工单。", "Nothing overdue."),
    "briefing_major": (
        "重大疑难在办 {count} 件，发送「重大疑难」查看。",
        "{count} major case{count!p} open: send /major for the list.",
    ),
    "briefing_to_close": (
        "待结案 {count} 件（其中回访满意 {rated} 件，发送「结案 满意」一并结案）",
        "Waiting to be closed: {count} ({rated} answered satisfied: send /close satisfied to "
        "close them)",
    ),
    "briefing_to_close_unrated": (
        "待结案 {count} 件（尚无回访满意的，发送「待结案」查看）",
        "Waiting to be closed: {count} (none answered satisfied yet: /close lists them)",
    ),
    "briefing_to_close_unanswered": (
        "其中{what}，发送「结案 未回复」一并结案", "Of these, {what}: /close unanswered closes them"
    ),
    "briefing_unanswered_part": ("回访久未回复 {count} 件", "{count} long unanswered"),
    "briefing_withdrawn_part": ("已撤回 {count} 件", "{count} withdrawn"),
    "briefing_screening": (
        "{day}排查报送：已报 {done}/{total} 个网格，未报送：{missing}",
        "Screening, {day}: {done} of {total} area{total!p} reported; not reported: {missing}",
    ),
    "briefing_screening_all": (
        "{day}排查报送：{total} 个网格全部报送", "Screening, {day}: all {total} areas reported",
    ),
    "screening_day": ("{month}月{day}日（{weekday}）", "{weekday} {day} {month}"),
    "screening_header": (
        "{day}矛盾纠纷排查报送：已报 {done}/{total} 个网格",
        "Dispute screening, {day}: {done} of {total} area{total!p} reported",
    ),
    "screening_day_off": ("（休息日）", " (not a working day)"),
    "screening_line": ("{area}：{what}", "{area}: {what}"),
    "screening_parts_sep": ("；", "; "),
    "screening_zero": ("零报告（{name} {time}{note}）", "zero report ({name}, {time}{note})"),
    "screening_found": ("上报 {count} 件", "disputes reported ({count})"),
    "screening_missing": ("未报送（网格员：{workers}）", "not reported (grid workers: {workers})"),
    "screening_no_worker": ("未设网格员", "none assigned"),
    "screening_zero_public": ("零报告", "zero report"),
    "screening_month": ("矛盾纠纷排查报送：{items}", "Dispute screening reported: {items}"),
    "screening_month_item": ("{area} {done}/{total} 天", "{area} {done} of {total} day{total!p}"),
    "screening_missing_public": ("未报送", "not reported"),
    "screening_future": ("{day}还没到。", "{day} has not come yet."),
    "screening_period": (
        "矛盾纠纷排查报送 {first} 至 {last}（{count} 个工作日{today}）：",
        "Dispute screening {first} to {last} ({count} working day{count!p}{today}):",
    ),
    "screening_period_today": (
        "，今天尚未报送的网格不计今天", "; today not counted for areas yet to report",
    ),
    "screening_rate": (
        "{area}：已报 {done}/{total} 天（零报告 {zero} 天，上报 {found} 天）{missed}",
        "{area}: reported {done} of {total} day{total!p} (zero-report days: {zero}, days with "
        "disputes reported: {found}){missed}",
    ),
    "screening_missed": ("；未报：{days}", "; missed: {days}"),
    "screening_missed_more": ("等，另 {count} 天", " and {count} more"),
    "screening_missing_more": ("等，另 {count} 个网格", " and {count} more"),
    "screening_no_days": ("这段时间没有工作日。", "No working days in that period."),
    "screening_no_areas": ("没有配置网格。", "No areas are configured."),
    "screening_reminder": (
        "{day}{area}还没有报送矛盾纠纷排查情况：发现矛盾纠纷请发送「上报：内容」，"
        "没有发现请发送「零报告」（可附排查情况，如「零报告 已走访12户」）。",
        "{area} has not reported its dispute screening for {day}: report what you found "
        "with /report text, or send /zero if you found nothing (you may add what you "
        "covered: /zero visited 12 households).",
    ),
    "zero_which_area": (
        "请写明哪个网格：零报告 网格名称或代码 [说明]。可选：{choices}。",
        "Which area? /zero AREA [note]. Choose one of: {choices}.",
    ),
    "zero_not_yours": (
        "只有{area}的网格员或中心工作人员可以报送该网格的排查情况。",
        "Only {area}'s grid workers or the centre's staff may report its screening.",
    ),
    "zero_found_already": (
        "{area}{day}已上报 {count} 件，已算作当天的排查报送，无需零报告。",
        "{area} has reported disputes found on {day} ({count}): that is its screening report "
        "for the day; no zero report is needed.",
    ),
    "zero_recorded": ("已记录：{area}{day}零报告。", "Recorded: zero report for {area}, {day}."),
    "zero_already_public": (
        "{area}{day}的零报告已报送。", "{area}'s zero report for {day} has been made.",
    ),
    "zero_stale": (
        "这条提醒是{day}的，零报告只能报送当天的：今天未发现矛盾纠纷，请发送「零报告」。",
        "That reminder was for {day}; a zero report is for today only: send /zero if today's "
        "screening found nothing.",
    ),
    "zero_note_added": (
        "已将说明补充到{area}{day}的零报告。", "Added the note to {area}'s zero report for {day}.",
    ),
    "zero_already": (
        "{area}{day}的零报告已由{name}于 {time} 报送。",
        "{area}'s zero report for {day} was made by {name} at {time}.",
    ),
    "briefing_time_asked": (
        "待批复的延期申请 {count} 件：", "Requests for more time waiting for an answer: {count}",
    ),
    "briefing_time_asked_line": (
        "{ticket}｜{name} 申请延期 {by}：同意请发送「延期 {number} 至{until}」"
        "（或 /extend {number} ={until_code}），不同意发送「不同意延期 {number}」",
        "{ticket} | {name} asks for {by} more: to agree ({until} in all) send "
        "/extend {number} ={until_code}, to refuse /extend {number} no",
    ),
    "briefing_unreachable": (
        "私信未送达（条）：{items}。须本人先私聊机器人（Telegram 上打开机器人发送 /start），"
        "才能收到指派、督办和临期提醒。",
        "Private messages waiting (count): {items}. They get them once they write to the bot "
        "privately (on Telegram: open the bot, send /start): assignments, escalations, reminders.",
    ),
    "briefing_time_asked_more": ("另有 {count} 件未列出。", "{count} more not listed."),
    "workload_header": (
        "网格员工作量（{area}，{start} 至 {end}）：",
        "Grid workers' cases ({area}, {start} to {end}):",
    ),
    "workload_line": (
        "{name}：在办 {holding} 件{late}｜办结 {resolved} 件{median}",
        "{name}: holding {holding}{late} | resolved {resolved}{median}",
    ),
    "workload_late": ("（超时 {count}）", " ({count} overdue)"),
    "workload_median": ("（用时中位数 {median}）", " (median {median})"),
    "workload_resolved_late": ("（超期办结 {count}）", " ({count} after the deadline)"),
    # of the tickets resolved, those reopened after a resolution of theirs: it did not hold
    "workload_reopened": ("（被重开 {count}）", " ({count} reopened)"),
    "workload_settled": ("（化解成功 {count}）", " ({count} settled)"),
    "workload_screened": (
        "｜排查：上报 {found} 件，零报告 {zero} 天",
        " | screening: disputes reported {found}, zero-report days {zero}",
    ),
    "workload_nobody": ("没有网格员。", "No grid workers."),
    "workload_header_person": (
        "{name} 的工作量（{area}，{start} 至 {end}）：",
        "{name}'s cases ({area}, {start} to {end}):",
    ),
    "held_tickets": ("在办工单：{tickets}", "Holding: {tickets}"),
    "held_late": ("（超时）", " (overdue)"),
    "held_none": ("无", "none"),
    "workload_not_worker": (
        "{name} 不是网格员、部门对接人或中心工作人员，没有工作量可查。",
        "{name} is not a grid worker, liaison or staff member: there are no cases to count.",
    ),
    "workload_header_department": (
        "部门对接人工作量（{area}，{start} 至 {end}）：",
        "Department liaisons' cases ({area}, {start} to {end}):",
    ),
    "workload_no_liaison": ("该部门没有对接人。", "The department has no liaison."),
    "workload_unclaimed": ("无人认领：{count} 件{late}", "Unclaimed: {count}{late}"),
    "workload_department": (
        "转{department}待认领：{count} 件{late}", "With {department}, unclaimed: {count}{late}"
    ),
    "stats_ratings": (
        "回访评价 {count} 件：{items}；满意率 {share}（满意与基本满意）",
        "Follow-up answers: {count} — {items}; satisfaction {share} (satisfied or fair)",
    ),
    "stats_no_median": ("暂无", "n/a"),
    # a department's tickets of one area (/stats, /workload, /export naming both)
    "scope_area_department": ("{area}转{department}", "{area} handed to {department}"),
    # the ledger from the chat (/export, 导出台账)
    "export_coming": (
        "正在生成台账（{scope}，{first} 至 {last} 受理，{format}），完成后以文件发给您。"
        "电话、身份证号已隐去。",
        "Making the ledger ({scope}, received {first} to {last}, {format}); it will come "
        "as a file. Phone and ID numbers are masked.",
    ),
    "export_queued": (
        "台账（{scope}，{first} 至 {last} 受理）",
        "Ledger ({scope}, received {first} to {last})",
    ),
    # {count} is what /stats counts as received; {apart}: export_caption_apart, or empty.
    "export_caption": (
        "台账：{scope}，{first} 至 {last} 受理，共 {count} 件{apart}。电话、身份证号已隐去。",
        "Ledger: {scope}, received {first} to {last}, {count} ticket{count!p}{apart}. "
        "Phone and ID numbers are masked.",
    ),
    # The rows /stats counts apart: listed in the file (状态 已作废 / 已并案), not in {count}.
    "export_caption_apart": (
        "另列{items}，不计入件数，与统计一致",
        "plus {items} listed but not counted, as in the statistics",
    ),
    # A department's ledger: of {count}, those handed to it (/stats' 受理) and those it
    # assists with (/stats' 本部门协办).
    "export_caption_assisted": (
        "主办 {led} 件、协办 {assisted} 件", "{led} handed to it, {assisted} it assists with"
    ),
    # What follows {count}: the two above, either or both.
    "export_caption_details": ("（{details}）", " ({details})"),
    "export_caption_details_sep": ("；", "; "),
    "export_apart_dismissed": ("作废 {count} 件", "{count} dismissed"),
    "export_apart_merged": ("并案 {count} 件", "{count} merged"),
    "export_sent_privately": (
        "台账含居民个人信息，不在群里发送，已私信发给您（{scope}，{first} 至 {last} 受理）。",
        "The ledger holds residents' personal data, so it is not posted in a group; "
        "it is on its way to you privately ({scope}, received {first} to {last}).",
    ),
    "export_private_only": (
        "台账含居民个人信息，只能私聊发送，不在群里发送。请先私聊机器人（发送 /start），"
        "再在私聊中发送「导出台账{words}」。",
        "The ledger holds residents' personal data, so it is only sent in a private chat, "
        "never in a group. Write to the bot privately first (send /start), then send "
        "/export{words} there.",
    ),
    "export_refused_large": (
        "台账文件被{channel}以文件过大拒收，未能发送。请缩短时间段（如按月、按周导出），"
        "或只导出一个网格（如「导出台账 本月 网格代码」）。",
        "{channel} refused the ledger file as too large, so it was not sent. Ask for a "
        "shorter period (a month or a week), or for one area (/export month AREA).",
    ),
    "export_too_large": (
        "台账文件超过{channel}单个文件 {limit} 的上限，未能发送。请缩短时间段（如按月、"
        "按周导出），或只导出一个网格（如「导出台账 本月 网格代码」）。",
        "The ledger is larger than the {limit} a file may be on {channel}, so it was not "
        "sent. Ask for a shorter period (a month or a week), or for one area "
        "(/export month AREA).",
    ),
    "export_no_files": (
        "{channel}不能由机器人发送文件，台账无法在这里导出。请在企业微信或 Telegram 中私聊"
        "机器人发送「导出台账」，或请管理员在服务器上运行 intake-bot db export。",
        "The bot cannot send files on {channel}, so the ledger cannot be exported here. "
        "Send /export to the bot privately on WeCom or Telegram, or ask an admin to run "
        "intake-bot db export on the server.",
    ),
    "export_unmasked": (
        "聊天中导出的台账一律隐去电话和身份证号：文件发出后存在平台服务器和每台收到它的"
        "设备上，一点就能转发。需要完整号码的，请管理员在服务器上运行 "
        "intake-bot db export --unmasked，留存在中心内部。",
        "A ledger exported in the chat always has phone and ID numbers masked: once sent, "
        "a file lives on the platform's servers and every device it reaches, and is "
        "forwarded with one tap. For the numbers in full, an admin runs "
        "intake-bot db export --unmasked on the server, for a copy kept in the centre.",
    ),
    "export_own_area": (
        "网格员只能导出本网格（{area}）的台账。",
        "Grid workers can export the ledger of their own area ({area}) only.",
    ),
    "export_own_department": (
        "部门对接人只能导出本部门（{department}）的台账：请发送「导出台账」或「导出台账 本月」，"
        "不加网格或其他部门。",
        "A liaison can export the ledger of their own department ({department}) only: send "
        "/export, or /export month, with no area or other department.",
    ),
    "export_no_xlsx": (
        "服务器未安装 openpyxl，不能导出 xlsx。请改用 csv（Excel、WPS 都能打开），"
        "或请管理员安装 dispute-intake-bot[xlsx]。",
        "openpyxl is not installed on the server, so xlsx cannot be made. Ask for csv "
        "(Excel and WPS open it), or ask an admin to install dispute-intake-bot[xlsx].",
    ),
    "bad_export_format": (
        "没有「{value}」格式。可选：csv、xlsx（默认 csv）。",
        "'{value}' is not a format I can make. Choose csv or xlsx (default: csv).",
    ),
    "bad_export_word": (
        "看不懂「{value}」：既不是时间段、网格代码，也不是格式（csv、xlsx）。"
        "用法：{usage}；网格代码：{choices}。",
        "'{value}' is neither a period, an area code nor a format (csv, xlsx). "
        "Usage: {usage}; area codes: {choices}.",
    ),
    "ledger_days": ("{first}至{last}", "{first}_{last}"),
    "duration_s": ("{s}秒", "{s} s"),
    "duration_m": ("{m}分钟", "{m} min"),
    "duration_hm": ("{h}小时{m}分钟", "{h} h {m} min"),
    "duration_dh": ("{d}天{h}小时", "{d} d {h} h"),
}

HELP: dict[str, tuple[str, str]] = {
    "resident": (
        "直接在群里描述问题即可登记（时间、地点、涉及的人）。\n"
        "查询 12 或 /status 12 — 查看工单进度\n我的 或 /mine — 我反映过的问题\n"
        "也可以直接问：「我反映的事怎么样了」「12号那个事到哪一步了」\n"
        "重开 12 或 /reopen 12 — 问题没解决，重新打开\n"
        "撤回 12 [原因] 或 /withdraw 12 — 已自行解决或不再需要，撤回自己的反映\n"
        "匿名 12 或 /anonymous 12 — 私聊发送，把自己反映的问题改为匿名"
        "（网格员、部门不再看到姓名）\n"
        "满意 12、基本满意 12、不满意 12 — 回访时评价办理结果\n"
        "网格 或 网格 DZ — 查看或选择您所在的网格（私聊反映的问题交给它）\n/lang en — English",
        "Describe the problem in the group to file it (when, where, who).\n"
        "/status 12 — progress of a ticket\n/mine — your reports\n"
        'Or just ask: "any update on my report?", "status of ticket 12?"\n'
        "/reopen 12 — not solved, reopen it\n"
        "/withdraw 12 [why] — settled, or no longer needed: take your report back\n"
        "/anonymous 12 — one to one: make your report anonymous (grid workers and departments "
        "no longer see your name)\n"
        "/rate 12 satisfied|fair|unsatisfied — answer the follow-up about a resolution\n"
        "/area or /area DZ — your area, or choose it (what you report one to one goes there)\n"
        "/lang zh — 中文",
    ),
    "grid_worker": (
        "/queue 待办 — 本网格待认领工单\n/claim 12 认领 12 — 认领\n/unclaim 12 退回 12 — 退回队列\n"
        "/note 12 内容 备注 12 内容 — 添加备注\n"
        "/involved 12 30人 5万元 涉及 12 30人 5万元 — 核定涉及人数、金额（台账、统计用）\n"
        "/resolve 12 结果 办结 12 结果 — 办结（调解的以「调解成功」或「调解不成」开头）\n"
        "/settled 12 化解成功|未化解|清除 调处结果 12 化解成功 — 补记（或清除）已办结工单的"
        "调处结果\n"
        "/status 12 查询 12 — 进度\n/mine 我的 — 我负责的工单\n"
        "/unfiled 未立案 — 被当作闲聊、未立案的消息\n/file 34 立案 34 — 把其中一条转为工单\n"
        "/ticket 12 详情 12 — 完整记录（私聊中显示完整联系方式）\n"
        "/dismiss 12 [原因] 作废 12 [原因] — 不是报事（误立案的闲聊）：作废，移出队列\n"
        "/report 内容 上报：内容 — 上报一件事（您的其他发言不登记为工单）\n"
        "/zero [排查情况] 零报告 — 今日排查未发现矛盾纠纷（发现的请「上报：内容」）\n"
        "/screening [昨天|本月] 排查情况 — 本网格排查报送情况\n"
        "/extend 12 5wd [原因] 延期 12 5个工作日 原因 — 申请延长办结时限（中心同意后生效）\n"
        "/mediate 12 时间 地点 调解 12 明天下午3点 人民调解室 — 安排调解"
        "（通知反映人，开始前提醒）；取消调解 12\n"
        "/search 词 查找 词 — 按内容、电话、反映人姓名查找本网格工单，如「查找 3栋 漏水」\n"
        "/workload [本月|上月|…] 工作量 — 本网格各网格员在办、超时、办结件数\n"
        "/stats [7d|本周|上周|本月|上月] 统计 — 本网格工单统计（默认近30天）\n"
        "/export [本月|上月|…] [csv|xlsx] 导出台账 — 本网格台账，私聊以文件发送"
        "（已隐去电话、身份证号）",
        "/queue — unclaimed tickets in your area\n/claim 12 — claim\n/unclaim 12 — give back\n"
        "/note 12 text — add a note\n"
        "/involved 12 30 people 50000 yuan — the people and money involved (for the ledger and "
        "/stats)\n"
        "/resolve 12 text — resolve (a mediation: start with settled or not settled)\n"
        "/settled 12 settled|not settled|clear — record (or clear) it afterwards for a ticket "
        "you resolved\n"
        "/status 12 — progress\n"
        "/mine — tickets you hold\n/unfiled — messages taken for chatter\n"
        "/file 34 — make one of them a ticket\n"
        "/ticket 12 — full history (phone numbers unmasked in a private chat)\n"
        "/dismiss 12 [why] — not a report (chatter filed by mistake): withdraw it\n"
        "/report text — report something yourself (your other messages are not filed)\n"
        "/zero [note] — today's screening found no dispute (report one found with /report)\n"
        "/screening [yesterday|month] — your area's screening reports\n"
        "/extend 12 5wd [why] — ask for more time to resolve (applies once staff agree)\n"
        "/mediate 12 time place — call the parties to a mediation session (the reporter is "
        "told; you are reminded before it); /mediate 12 cancel\n"
        "/search words — find your area's tickets by their words, a phone number or the "
        "reporter's name\n"
        "/workload [month|last-month|…] — your area's workers: holding, overdue, resolved\n"
        "/stats [7d|week|last-week|month|last-month] — your area's statistics (default: 30 days)\n"
        "/export [month|last-month|…] [csv|xlsx] — your area's ledger, as a file in a "
        "private chat (phone and ID numbers masked)",
    ),
    "liaison": (
        "您是部门对接人：中心转给本部门的工单由您认领、办理。\n"
        "/queue 待办 — 转给本部门、待认领的工单\n/claim 12 认领 12 — 认领\n"
        "/note 12 内容 备注 12 内容 — 添加备注\n"
        "/involved 12 30人 5万元 涉及 12 30人 5万元 — 核定涉及人数、金额（台账、统计用）\n"
        "/resolve 12 结果 办结 12 结果 — 办结（反映人会收到结果；调解的以「调解成功」"
        "或「调解不成」开头）\n"
        "/settled 12 化解成功|未化解|清除 调处结果 12 化解成功 — 补记（或清除）已办结工单的"
        "调处结果\n"
        "/unclaim 12 原因 退回 12 原因 — 不属于本部门职责：退回中心重新分流"
        "（已认领的则退回本部门待办）\n"
        "/assign 12 某人 指派 12 某人 — 交给本部门另一位对接人办理\n"
        "/extend 12 5wd [原因] 延期 12 5个工作日 原因 — 申请延长办结时限\n"
        "/mediate 12 时间 地点 调解 12 明天下午3点 人民调解室 — 安排调解"
        "（通知反映人，开始前提醒）；取消调解 12\n"
        "/status 12 查询 12 — 进度\n/ticket 12 详情 12 — 完整记录\n"
        "/mine 我的 — 我负责的、本部门协办的工单（协办的可查看、备注，办结后告知结果）\n"
        "/search 词 查找 词 — 按内容、电话、反映人姓名查找转给本部门的工单\n"
        "/stats [7d|本周|上周|本月|上月] 统计 — 本部门工单统计（转办、协办；默认近30天）\n"
        "/export [本月|上月|…] [csv|xlsx] 导出台账 — 本部门台账（含协办），私聊以文件发送"
        "（已隐去电话、身份证号）",
        "You are a department liaison: tickets the centre hands your department are yours to "
        "take up.\n"
        "/queue — your department's unclaimed tickets\n/claim 12 — claim\n"
        "/note 12 text — add a note\n"
        "/involved 12 30 people 50000 yuan — the people and money involved (for the ledger and "
        "/stats)\n"
        "/resolve 12 text — resolve (the reporter is told; a mediation: start with settled "
        "or not settled)\n"
        "/settled 12 settled|not settled|clear — record (or clear) it afterwards for a ticket "
        "you resolved\n"
        "/unclaim 12 why — not your department's: back to the centre to route again "
        "(one you hold goes back to your department's queue)\n"
        "/assign 12 name — give it to another of your department's liaisons\n"
        "/extend 12 5wd [why] — ask for more time to resolve\n"
        "/mediate 12 time place — call the parties to a mediation session (the reporter is "
        "told; you are reminded before it); /mediate 12 cancel\n"
        "/status 12 — progress\n/ticket 12 — full history\n"
        "/mine — tickets you hold, and those your department assists with (open and note "
        "them; you are told the outcome)\n"
        "/search words — find your department's tickets by their words, a phone number or "
        "the reporter's name\n"
        "/stats [7d|week|last-week|month|last-month] — your department's statistics (handed "
        "to it, assisting; default: 30 days)\n"
        "/export [month|last-month|…] [csv|xlsx] — your department's ledger (assisting "
        "included), as a file in a private chat (phone and ID numbers masked)",
    ),
    "staff": (
        "/assign 12 某人 指派 12 某人 — 指派\n"
        "/assign 12 部门 转办 12 派出所 [意见] — 转部门办理，由部门对接人认领\n"
        "/assist 12 部门 协办 12 司法所 [意见] — 请部门协办（主办不变）；取消协办 12 司法所\n"
        "/major 12 [原因] 列为重大 12 原因 — 列为重大疑难（告知管理员）；取消重大 12；"
        "重大疑难 — 在办的重大疑难\n"
        "/urge 12 [留言] 催办 12 留言 — 私信催促承办人（无人认领时为网格员或部门对接人）\n"
        "/handover 张三 李四 转交全部 张三 李四 — 把张三负责的工单全部转交李四\n"
        "/close 12 结案 12 — 结案；待结案 [网格或部门]（或 结案）— 已办结、待结案的工单及回访情况；"
        "结案 满意 [网格或部门] — 回访满意、基本满意的一并结案；"
        "结案 未回复 [网格或部门] — 回访久未回复的一并结案\n"
        "/visit 12 满意|基本满意|不满意 [意见] 回访 12 不满意 还是很吵 — 记录电话回访的结果"
        "（热线来电人、无法私信的反映人），与反映人自己评价相同\n"
        "/route 12 网格 划归 12 东镇 — 划归网格（未定网格的工单进入该网格待办，通知其网格员）\n"
        "/reopen 12 重开 12 — 重开；已作废、已并案的工单则恢复\n"
        "/retag 12 类型 紧急程度 改标 12 邻里纠纷 较急 — 改正分类\n"
        "/involved 12 30人 5万元 涉及 12 30人 5万元 — 核定涉及人数、金额\n"
        "/merge 12 7 并案 12 7 — 同一事件：把工单 12 并入 7，办结 7 时一并告知 12 的反映人\n"
        "/extend 12 5wd 延期 12 5个工作日 — 延长办结时限（也是批准网格员的延期申请；"
        "不同意延期 12 原因 则不批准）\n"
        "/mediate 12 时间 地点 调解 12 明天下午3点 人民调解室 — 安排调解"
        "（通知反映人，开始前提醒）；取消调解 12\n"
        "/queue [网格或部门] 待办 [网格或部门] — 待认领工单\n"
        "/overdue [网格或部门] 超期（督办）[网格或部门] — 超时工单，超时最久的在前\n"
        "/search 词 [网格] 查找 词 — 查找全部网格（或一个网格）的工单\n"
        "/people [身份] [网格或部门] 人员 — 网格员、部门对接人、工作人员、管理员及其网格、"
        "身份来源（配置文件或授权）；人员 居民 — 居民（仅私聊）\n"
        "/screening [今天|昨天|本月] [网格] 排查情况 — 各网格矛盾纠纷排查报送"
        "（零报告、上报、未报送）；零报告 网格 [说明] — 代网格员报送\n"
        "/workload [时间段] [网格或部门] 工作量 — 网格员（或部门对接人）工作量"
        "（默认近30天、全部网格）；工作量 王网格员 — 某人的工作量和在办工单\n"
        "/stats [7d|上周|本月|上月|2026-11-01..2026-11-30] [网格或部门] 统计 — 工单统计"
        "（默认近30天、全部网格）"
        "\n/export [时间段] [网格或部门] [csv|xlsx] 导出台账 — 台账文件，私聊发送"
        "（默认近30天、全部网格、csv）",
        "/assign 12 person — assign\n"
        "/assign 12 department [note] — hand it to a department, whose liaisons take it up\n"
        "/assist 12 department [note] — ask a department to assist (the lead stays); "
        "/assist 12 -department: no longer\n"
        "/major 12 [why] — mark a major, difficult case (the admins are told); /major 12 off; "
        "/major — the open ones\n"
        "/urge 12 [words] — press whoever has it (unclaimed: its grid workers or liaisons)\n"
        "/handover person1 person2 — every ticket person1 holds, to person2\n"
        "/close 12 — close; /close — the resolved tickets waiting to be closed, with their "
        "follow-up visits; /close satisfied [area or department] — close those answered "
        "satisfied or fair; /close unanswered [area or department] — those whose visit "
        "went long unanswered\n"
        "/visit 12 satisfied|fair|unsatisfied [comment] — record a follow-up visit made by "
        "phone (a hotline caller, a reporter the bot cannot write to), as their own answer\n"
        "/route 12 area — give a ticket its area (one with none reaches that grid's queue "
        "and its workers are told)\n"
        "/reopen 12 — reopen; a dismissed or merged ticket is brought back\n"
        "/retag 12 type urgency — correct the tags\n"
        "/involved 12 30 people 50000 yuan — the people and money involved\n"
        "/merge 12 7 — the same event: handle ticket 12 with 7 (its reporter is told 7's outcome)\n"
        "/extend 12 5wd — more time to resolve (also how a grid worker's request is agreed; "
        "/extend 12 no [why] refuses it)\n"
        "/mediate 12 time place — call the parties to a mediation session (the reporter is "
        "told; you are reminded before it); /mediate 12 cancel\n"
        "/queue [area or department] — queue\n"
        "/overdue [area or department] — overdue tickets, most overdue first\n"
        "/search words [area] — find tickets in every area (or one)\n"
        "/people [role] [area or department] — grid workers, liaisons, staff and admins, "
        "their areas and where their role came from (config file or /grant); /people "
        "resident — residents (privately only)\n"
        "/screening [today|yesterday|month] [area] — each area's dispute screening (zero "
        "reports, reports, missing); /zero AREA [note] — report one for a grid worker\n"
        "/workload [period] [area or department] — grid workers' (or a department's "
        "liaisons') cases (default: 30 days, every area); /workload person — one person's, "
        "and the tickets they hold\n"
        "/stats [7d|last-week|month|last-month|2026-11-01..2026-11-30] [area or "
        "department] — statistics "
        "(default: 30 days, every area)"
        "\n/export [period] [area or department] [csv|xlsx] — the ledger as a file, privately "
        "(default: 30 days, every area, csv)",
    ),
    "admin": (
        "/grant 某人 身份 [网格或部门] 授权 某人 身份 — 设置身份：居民、网格员、对接人、工作人员、"
        "管理员（或 resident, grid_worker, liaison, staff, admin）；网格员可加网格"
        "（授权 李师傅 网格员 东镇），部门对接人须写部门（授权 张警官 对接人 派出所）",
        "/grant person role [area or department] — set a role (resident, grid_worker, "
        "liaison, staff, admin; a grid worker's area: /grant person grid_worker DZ; a "
        "department's liaison: /grant person liaison PCS)",
    ),
}

#: How each command is written, as the reply to a bad or missing argument shows it, in the
#: reader's language (the parser answers a command typed in words, 认领 or 办结, in those words).
USAGE: dict[str, tuple[str, str]] = {
    "status": ("/status 12", "/status 12"),
    "claim": ("/claim 12", "/claim 12"),
    "unclaim": ("/unclaim 12", "/unclaim 12"),
    "note": ("/note 12 内容", "/note 12 text"),
    "resolve": ("/resolve 12 办理结果", "/resolve 12 outcome"),
    "close": ("/close 12", "/close 12"),
    "reopen": ("/reopen 12", "/reopen 12"),
    "ticket": ("/ticket 12", "/ticket 12"),
    "assign": ("/assign 12 worker1", "/assign 12 worker1"),
    "grant": (
        "/grant 某人 身份 [网格或部门]，如「授权 李师傅 网格员 东镇」「授权 张警官 对接人 派出所」"
        "（身份：居民、网格员、对接人、工作人员、管理员，或 resident、grid_worker、liaison、"
        "staff、admin）",
        "/grant person role [area or department], e.g. /grant worker1 grid_worker DZ, "
        "/grant officer1 liaison PCS (roles: resident, grid_worker, liaison, staff, admin)",
    ),
    "retag": ("/retag 12 邻里纠纷 紧急", "/retag 12 neighbour urgent"),
    "file": ("/file 34", "/file 34"),
    "dismiss": ("/dismiss 12 [原因]", "/dismiss 12 [why]"),
    "merge": ("/merge 12 7（并案 12 7：把 12 并入 7）", "/merge 12 7 (12 into 7)"),
    "settled": (
        "/settled 12 化解成功 | 未化解 | 清除（调处结果 12 化解成功）",
        "/settled 12 settled | not settled | clear",
    ),
    "involved": (
        "/involved 12 30人 5万元 | 清除（涉及 12 30人 5万元）",
        "/involved 12 30 people 50000 yuan | clear",
    ),
    "urge": ("/urge 12 [留言]（催办 12 今天务必上门）", "/urge 12 [words]"),
    "major": (
        "/major 12 [原因]，/major 12 off（列为重大 12 原因；取消重大 12；重大疑难）",
        "/major 12 [why], /major 12 off, /major",
    ),
    "assist": (
        "/assist 12 SFS [意见]，/assist 12 -SFS（协办 12 司法所 意见；取消协办 12 司法所）",
        "/assist 12 SFS [note], /assist 12 -SFS",
    ),
    "area": ("/area DZ（网格 DZ）", "/area DZ"),
    "zero": ("/zero [网格代码] [排查情况]（零报告 已走访12户）", "/zero [area code] [note]"),
    "screening": (
        "/screening [今天 | 昨天 | 本周 | 本月 | 2026-12-01 | …] [网格代码]",
        "/screening [today | yesterday | week | month | 2026-12-01 | …] [area code]",
    ),
    "withdraw": ("/withdraw 12 [原因]", "/withdraw 12 [why]"),
    "anonymous": ("/anonymous 12（匿名 12）", "/anonymous 12"),
    "people": (
        "/people [身份] [网格或部门]（人员；人员 网格员；人员 东镇；人员 派出所）",
        "/people [role] [area or department] (/people grid_worker, /people DZ)",
    ),
    "decline": ("/unclaim 12 原因（退回 12 不属于本部门职责）", "/unclaim 12 why"),
    "lang": ("/lang zh | /lang en", "/lang zh | /lang en"),
    "search": ("/search 词 [更多词] [网格代码]", "/search words [more words] [area code]"),
    "workload": (
        "/workload [7d | 本周 | 本月 | 上月 | 2026-11 | …] [网格代码]，或 工作量 某人",
        "/workload [7d | week | month | last-month | 2026-11 | …] [area code], or "
        "/workload person",
    ),
    "extend": (
        "/extend 12 5wd [原因]（延期 12 5个工作日 原因；2d、12h）", "/extend 12 5wd [why] (2d, 12h)"
    ),
    "handover": ("/handover worker1 worker2（转交全部 张三 李四）", "/handover worker1 worker2"),
    "mediate": (
        "/mediate 12 时间 地点（调解 12 明天下午3点 人民调解室；安排调解 12 3月5日 14:00 村委会；"
        "取消调解 12）",
        "/mediate 12 time place (/mediate 12 2026-03-05 14:00 people's mediation room; "
        "/mediate 12 tomorrow 3pm village office; /mediate 12 cancel)",
    ),
    "rate": ("/rate 12 满意|基本满意|不满意", "/rate 12 satisfied|fair|unsatisfied"),
    "visit": (
        "/visit 12 满意|基本满意|不满意 [意见]（回访 12 不满意 还是很吵）",
        "/visit 12 satisfied|fair|unsatisfied [comment]",
    ),
    "route": ("/route 12 网格（划归 12 东镇）", "/route 12 area (/route 12 DZ)"),
    "stats": (
        "/stats [7d | 今天 | 本周 | 上周 | 本月 | 上月 | 10月 | 上季度 | 今年 | 2026-11 | "
        "2026-11-01..2026-11-30] [网格代码]",
        "/stats [7d | today | week | last-week | month | last-month | last-quarter | year | "
        "2026-11 | 2026-11-01..2026-11-30] [area code]",
    ),
    "export": (
        "/export [7d | 本周 | 上周 | 本月 | 上月 | 2026-11 | 2026-11-01..2026-11-30] [网格代码] "
        "[csv | xlsx]",
        "/export [7d | week | last-week | month | last-month | 2026-11 | "
        "2026-11-01..2026-11-30] [area code] [csv | xlsx]",
    ),
}


def usage(command: str, lang: str | None) -> str:
    """How `command` is written (USAGE), in `lang`; /help for a command without a line."""
    pair = USAGE.get(command)
    return pair[lang_index(lang)] if pair else "/help"


def command_help(command: str, role: str, lang: str | None) -> str | None:
    """What "/help `command`" answers: its line in the help of `role` (or of any role: /help
    lists only one's own), as help writes it, with the words a Chinese reader types and what
    it does ("/claim 12 认领 12 — 认领": "用法：/claim 12" alone sent them back to the
    slash); then its usage line (USAGE) where that says more (examples: 授权); None for a
    command neither names."""
    theirs = help_text(role, lang).splitlines()  # as their help has it: staff's /queue
    others = (line for pair in HELP.values() for line in pair[lang_index(lang)].splitlines())
    lines = [*theirs, *others]
    line = next((line for line in lines if _command_of(line) == f"/{command}"), None)
    written = usage(command, lang) if command in USAGE else None
    if line is None or written is None:
        return line or written
    return line if written in line else f"{line}\n{written}"

NAMES: dict[str, tuple[str, str]] = {
    # What a template message (模板消息) says happened, in at most five characters (a
    # template's phrase field), and what to do about it (bot.adapters.wechat).
    "notice_event.resolved": ("已办结", "resolved"),
    "notice_event.followup": ("待评价", "rate it"),
    "notice_event.merged": ("已并案", "merged"),
    "notice_event.other": ("新消息", "new message"),
    "notice_note": ("请回复任意文字查看详情", "Reply with any text to read it"),
    # statuses
    "status.new": ("待认领", "new"),
    "status.claimed": ("处理中", "claimed"),
    "status.resolved": ("已办结", "resolved"),
    "status.closed": ("已结案", "closed"),
    "status.reopened": ("已重开", "reopened"),
    "status.dismissed": ("已作废", "dismissed"),
    "status.merged": ("已并案", "merged"),
    # Not a status of its own: a resolved (or closed) ticket its reporter withdrew (撤回).
    "status.withdrawn": ("已撤回", "withdrawn"),
    # roles
    "role.resident": ("居民", "resident"),
    "role.grid_worker": ("网格员", "grid worker"),
    "role.staff": ("中心工作人员", "staff"),
    "role.admin": ("管理员", "admin"),
    "role.liaison": ("部门对接人", "department liaison"),
    # Where a person's role came from, as /people (人员) lists them.
    "people.config": ("配置文件", "config file"),
    "people.grant": ("授权", "/grant"),
    "people.every_area": ("未设网格（所有网格）", "no area (every area)"),
    "people.sep": ("｜", " | "),
    # actions (as verbs, for "cannot be {action}" and the history)
    # What a button under an acknowledgement does (the history's words above are past tense).
    "area.none": ("未设", "none"),
    "department.some": ("相关部门", "a department"),
    # A routing reply's department, in a residents' group (`bot.desk.base.DeskBase._routed`).
    "department.concerned": ("相关部门", "the department concerned"),
    # What a report with no words sent, as the desk's notices of it say (`Render.wordless`).
    "attachment.photo": ("图片", "a picture"),
    "attachment.voice": ("语音", "a voice message"),
    "attachment.video": ("视频", "a video"),
    "attachment.location": ("位置", "a location"),
    "attachment.link": ("链接", "a link"),
    "attachment.document": ("文件", "a file"),
    "attachment.contact": ("名片", "a contact"),
    "attachment.other": ("附件", "an attachment"),
    "button.claim": ("认领", "Claim"),
    "button.resolve": ("办结", "Resolve"),
    "button.zero": ("零报告", "Zero report"),
    # The follow-up visit's answers, capitalised as the other buttons are (rating.* names
    # them in a sentence: "Thank you for rating ticket #1 (satisfied)!").
    "button.satisfied": ("满意", "Satisfied"),
    "button.fair": ("基本满意", "Fair"),
    "button.unsatisfied": ("不满意", "Unsatisfied"),
    "action.created": ("登记", "filed"),
    "action.addendum": ("补充", "added"),
    "action.claim": ("认领", "claimed"),
    "action.unclaim": ("退回", "unclaimed"),
    "action.note": ("备注", "noted"),
    "action.resolve": ("办结", "resolved"),
    "action.close": ("结案", "closed"),
    "action.reopen": ("重开", "reopened"),
    "action.assign": ("指派", "assigned"),
    "action.dispatch": ("转办", "transferred"),
    "action.decline": ("部门退回", "sent back by"),
    "action.assist": ("请协办", "asked to assist:"),
    "action.settled": ("调处结果", "dispute:"),
    "action.involved": ("涉及", "involves:"),
    "action.major": ("列为重大疑难", "marked major"),
    "action.major_off": ("取消重大疑难", "no longer major"),
    "action.urge": ("催办", "pressed"),
    "action.unassist": ("取消协办", "no longer assisting:"),
    "action.retag": ("改标", "re-tagged"),
    # The model's type for a report told in parts, read on its words together (`bot.pipeline`).
    "action.typed": ("按补充内容定类", "typed by the model from the words added"),
    "action.escalated": ("督办", "escalated"),
    "action.reminded": ("临期提醒", "reminded of the deadline"),
    "action.followup": ("回访", "follow-up"),
    "action.followup_unreachable": ("回访", "follow-up"),
    "action.rate": ("评价", "rated"),
    # Staff wrote down what the reporter answered on the phone (电话回访).
    "action.rate_phone": ("记录电话回访", "recorded the phone visit:"),
    "action.route": ("划归网格", "moved to area"),
    "action.no_area": ("待人工研判", "awaiting triage:"),
    "action.dismiss": ("作废", "dismissed"),
    "action.withdraw": ("撤回", "withdrawn"),
    "action.anonymous": ("改为匿名反映", "made it anonymous"),
    "action.same_event": ("疑似同一事件", "maybe the same event as"),
    "action.many_reporters": ("多人反映", "reported by several residents:"),
    "action.withdraw_request": ("申请撤回", "asked to withdraw"),
    "action.restore": ("恢复", "restored"),
    "action.merge": ("并案", "merged"),
    "action.merge_in": ("并入", "merged in"),
    "action.extend": ("延期", "extended"),
    "action.extend_request": ("申请延期", "asked for more time"),
    "action.extend_declined": ("不同意延期", "refused more time"),
    "action.mediation": ("安排调解", "mediation set:"),
    "action.mediation_cancelled": ("取消调解", "mediation called off:"),
    "action.mediation_reminded": ("调解提醒", "reminded of the mediation"),
    "action.mediation_cannot_come": ("回复不能参加调解", "said they cannot come to the mediation"),
    "weekday.0": ("星期一", "Monday"),
    "weekday.1": ("星期二", "Tuesday"),
    "weekday.2": ("星期三", "Wednesday"),
    "weekday.3": ("星期四", "Thursday"),
    "weekday.4": ("星期五", "Friday"),
    "weekday.5": ("星期六", "Saturday"),
    "weekday.6": ("星期日", "Sunday"),
    # A day's month as a date names it: 12月3日, "3 Dec" (an English reader took "12/3" for
    # 12 March, or could not tell).
    "month.1": ("1", "Jan"),
    "month.2": ("2", "Feb"),
    "month.3": ("3", "Mar"),
    "month.4": ("4", "Apr"),
    "month.5": ("5", "May"),
    "month.6": ("6", "Jun"),
    "month.7": ("7", "Jul"),
    "month.8": ("8", "Aug"),
    "month.9": ("9", "Sep"),
    "month.10": ("10", "Oct"),
    "month.11": ("11", "Nov"),
    "month.12": ("12", "Dec"),
    "settlement.settled": ("化解成功", "settled"),
    "settlement.unsettled": ("未化解", "not settled"),
    "settlement.unknown": ("未说明", "not said"),
    "involved.none": ("未填", "not said"),
    # How a resolved ticket's follow-up visit stands, in the list of those waiting to be
    # closed (待结案, bot.workflow.visit_standing).
    "visit.satisfied": ("回访满意", "visit: satisfied"),
    "visit.fair": ("回访基本满意", "visit: fair"),
    "visit.unsatisfied": ("回访不满意", "visit: unsatisfied"),
    "visit.asked": ("已回访未答复", "visited, no answer"),
    "visit.none": ("未回访", "not visited"),
    "visit.withdrawn": ("已撤回，无需回访", "withdrawn, no visit"),
    "rating.satisfied": ("满意", "satisfied"),
    "rating.fair": ("基本满意", "fair"),
    "rating.unsatisfied": ("不满意", "unsatisfied"),
    # supervision: the deadline missed ("超时未认领"), and how far past it
    "stage.claim": ("未认领", "not claimed"),
    "stage.resolve": ("未办结", "not resolved"),
    "level.1": ("一级", "level 1"),
    "level.2": ("二级", "level 2"),
    "level.3": ("三级", "level 3"),
    "level.4": ("四级", "level 4"),
    "level.5": ("五级", "level 5"),
    # safety rules (classifier/rules.py), as shown under an acknowledgement
    "rule.self_harm": ("自伤/轻生危险（有方法、计划或正在发生）", "self-harm: method, plan or act"),
    "rule.suicidal_ideation": ("轻生念头", "suicidal thoughts"),
    "rule.weapon": ("持械/凶器", "weapon"),
    "rule.violence": ("暴力冲突", "violence"),
    "rule.threat_to_kill": ("扬言伤人", "threat to kill or maim"),
    "rule.fire": ("火情", "fire"),
    "rule.gas": ("燃气泄漏", "gas leak"),
    "rule.water_electricity": ("水电危险", "water near electricity"),
    "rule.missing_person": ("人员走失", "missing person"),
    "rule.extreme_act": ("扬言极端行为", "threat of an extreme act"),
    "rule.explosion_toxic": ("爆炸/有毒气体", "explosion or toxic gas"),
    "rule.collapse": ("垮塌危险", "collapse"),
    "rule.flooding": ("水淹险情", "flooding"),
    "rule.crowd": ("人员聚集", "crowd gathering"),
    "rule.road_danger": ("道路险情", "danger on the road"),
    "rule.medical_emergency": ("急症/受伤", "medical emergency"),
    "rule.confinement": ("限制人身自由", "confinement"),
    "rule.distress": ("情绪危机", "emotional distress"),
    "rule.unsafe_structure": ("房屋设施危险", "structure about to fall"),
    "rule.basic_needs_cut": ("基本生活保障中断", "basic needs cut off"),
    "rule.vulnerable_people": ("涉及老幼病残孕", "vulnerable people"),
    "rule.high_fever": ("老人/儿童高烧", "high fever (child, elderly or sick)"),
    "rule.vulnerable_unreachable": (
        "老幼病人长时间联系不上", "vulnerable person unreachable for hours"
    ),
    "rule.many_affected": ("涉及人数多", "many people affected"),
    "rule.escalating": ("矛盾激化", "escalating"),
    # not a pattern: reports of one event from several residents (bot.many_reporters)
    "rule.many_reporters": ("多人反映", "several residents reported it"),
    "rule.staff_urgent": ("经人工研判为紧急", "judged urgent by the desk"),
    # not a pattern: a report about the conduct of the desk's own people (bot.conduct)
    "rule.about_the_desk": ("作风反映", "about the desk's own people"),
    # channels, as the ledger names them
    "channel.telegram": ("Telegram", "Telegram"),
    "channel.wecom": ("企业微信", "WeCom"),
    "channel.official_account": ("微信公众号", "WeChat Official Account"),
    "channel.console": ("终端演示", "console demo"),
    # the ledger (台账) export: sheet title and column headings
    "ledger.title": ("台账", "Ledger"),
    "ledger.number": ("工单号", "Ticket"),
    "ledger.received_at": ("受理时间", "Received"),
    "ledger.channel": ("渠道", "Channel"),
    "ledger.area": ("网格", "Area"),
    "ledger.group": ("来源群", "Group"),
    "ledger.reporter": ("反映人", "Reporter"),
    "ledger.text": ("反映内容", "Report"),
    "ledger.type": ("纠纷类型", "Dispute type"),
    "ledger.needs_triage": ("待人工研判", "Awaiting triage"),
    "ledger.urgency": ("紧急程度", "Urgency"),
    "ledger.status": ("状态", "Status"),
    "ledger.worker": ("网格员", "Grid worker"),
    "ledger.claimed_at": ("认领时间", "Claimed"),
    "ledger.resolved_at": ("办结时间", "Resolved"),
    "ledger.resolution": ("办理结果", "Resolution"),
    "ledger.events": ("记录数", "Events"),
    "ledger.dismissed_at": ("作废时间", "Dismissed"),
    "ledger.dismissed_by": ("作废人", "Dismissed by"),
    "ledger.dismissal": ("作废原因", "Why dismissed"),
    "ledger.department": ("建议承办部门", "Suggested department"),
    "ledger.rating": ("回访评价", "Follow-up answer"),
    "ledger.resolve_limit": ("延期后办结时限", "Extended limit"),
    "ledger.on_time": ("按期办结", "On time"),
    "ledger.handled_by": ("承办部门", "Handled by"),
    "ledger.settled": ("调处结果", "Dispute settled"),
    "ledger.assisting": ("协办部门", "Assisting"),
    "ledger.major": ("重大疑难", "Major case"),
    "ledger.people_involved": ("涉及人数", "People involved"),
    "ledger.amount_involved": ("涉及金额（元）", "Money involved (yuan)"),
    "ledger.source": ("信息来源", "Source"),
    "ledger.closed_at": ("结案时间", "Closed"),
    "ledger.resolve_deadline": ("办结期限", "Resolve by"),
    "ledger.overdue": ("超期", "Overdue"),
    "ledger.mediation_at": ("调解时间", "Mediation at"),
    "ledger.mediation_place": ("调解地点", "Mediation place"),
    # A department's ledger's last column: the case handed to it (主办) or assisted (协办).
    "ledger.part": ("主办/协办", "Lead or assisting"),
    "ledger.leads": ("主办", "lead"),
    "ledger.assists": ("协办", "assisting"),
    # Where a report came from (bot.workflow.Source): the ledger's column, /stats' line.
    "source.group": ("民情群", "intake group"),
    "source.private": ("私聊反映", "one to one"),
    "source.grid": ("网格员上报", "grid worker"),
    "source.desk": ("工作人员登记", "desk"),
    "source.hotline": ("12345热线", "12345 hotline"),
    "ledger.yes": ("是", "yes"),
    "ledger.no": ("否", "no"),
    "ledger.one_to_one": ("一对一会话", "one-to-one chat"),
    "ledger.file": ("台账", "ledger"),  # the start of an exported file's name
    # labels the classifier placeholder uses
    "label.unclassified": ("待分类", "unclassified"),
}


def lang_index(lang: str | None) -> int:
    return 1 if lang == "en" else 0


class _Formatter(string.Formatter):
    """str.format with `{count!p}`: an English plural's "s" ("1 ticket", "2 tickets"),
    where "1 tickets" was written; Chinese counts need none."""

    def convert_field(self, value: object, conversion: str | None) -> object:
        if conversion == "p":
            return "" if value == 1 else "s"
        return super().convert_field(value, conversion)


_FORMATTER = _Formatter()


class Phrase(str):
    """Chinese words standing where a sentence names a person: 相关部门, said of a liaison in
    a residents' group (`bot.privacy.holder_said`), a department's name where a case went
    (`taken_from_you`).  The Chinese sentences set a person's name off with spaces (由 worker1
    负责: a Latin user name runs into the characters otherwise); their own words take none
    (由相关部门负责, not 由 相关部门 负责), so `t` drops those spaces around a Phrase."""


def _unspaced(template: str, params: dict[str, object]) -> str:
    """`template` (Chinese) without the spaces setting off a Phrase's placeholder from the
    words beside it; a space between two placeholders stays (东镇 相关部门: area, who)."""
    for key, value in params.items():
        if isinstance(value, Phrase):
            field = re.escape("{" + key + "}")
            template = re.sub(rf"(?<=[^\s}}]) ({field})", r"\1", template)
            template = re.sub(rf"({field}) (?=[^\s{{])", r"\1", template)
    return template


def t(key: str, lang: str | None, **params: object) -> str:
    """The sentence `key` in `lang`, filled with `params`."""
    template = CATALOGUE[key][lang_index(lang)]
    if lang_index(lang) == 0 and any(isinstance(v, Phrase) for v in params.values()):
        template = _unspaced(template, params)
    return _FORMATTER.format(template, **params) if "!p}" in template else template.format(
        **params
    )


# Outcomes the bot writes itself, stored in the desk's language when a case ends (a
# withdrawal, 撤回; a merge, 并案): `outcome_in` reads them back in the reader's.
_STORED_OUTCOMES = ("withdrawn_outcome", "withdrawn_outcome_bare", "merged_outcome")


def _outcome_pattern(template: str) -> re.Pattern[str]:
    """A stored outcome's template as a pattern: its words, each placeholder a group."""
    parts = re.split(r"\{(\w+)\}", template)
    return re.compile("".join(
        re.escape(part) if i % 2 == 0 else rf"(?P<{part}>.+)" for i, part in enumerate(parts)
    ), re.S)


_OUTCOME_PATTERNS = [
    (key, _outcome_pattern(template)) for key in _STORED_OUTCOMES for template in CATALOGUE[key]
]


def outcome_in(text: str, lang: str | None) -> str:
    """A resolution as `lang` reads it: one the bot wrote (反映人撤回：…, 已并入工单 #7) is
    stored in the desk's language, and an English reader read Chinese after "Resolution:";
    it is said again in `lang`, the reporter's or worker's own words in it as they were.
    Any other outcome (a worker's) is theirs, as written."""
    for key, pattern in _OUTCOME_PATTERNS:
        found = pattern.fullmatch(text)
        if found:
            return t(key, lang, **found.groupdict())
    return text


def name(key: str, lang: str | None) -> str:
    """A short label (status, role, action) in `lang`; the key itself if unknown."""
    pair = NAMES.get(key)
    return pair[lang_index(lang)] if pair else key.split(".", 1)[-1]


def type_label(code: str, lang: str | None) -> str:
    labels = TYPES.get(code)
    return labels[lang_index(lang)] if labels else name(f"label.{code}", lang)


def urgency_label(code: str, lang: str | None) -> str:
    """The urgency's name without the taxonomy's explanation after a colon ("Urgent", not
    "Urgent: danger to life…"): a resident reads 较急 in Chinese, so "High" in English; the
    explanation is the classifier's definition (classifier/taxonomy.py), not a reply."""
    labels = URGENCIES.get(code)
    label = labels[lang_index(lang)] if labels else name(f"label.{code}", lang)
    return label.split(":", 1)[0]


def joined(items: Iterable[str], lang: str | None) -> str:
    """Items as a reply lists them: 派出所、司法所 in Chinese, "police, judicial" in English
    (a 、 in an English reply reads as a stray character)."""
    return t("list_sep", lang).join(items)


def counted(lang: str | None, *parts: tuple[str, int], **params: object) -> str:
    """The parts whose count is above 0, each as its key says it, listed: "回访久未回复 2 件、
    已撤回 1 件" (a count of 0 is left out rather than said)."""
    return joined((t(key, lang, count=n, **params) for key, n in parts if n), lang)


def money(yuan: int, lang: str | None) -> str:
    """An amount as a centre's report writes it: 3000元, 12.5万元 (万 from ten thousand on);
    ¥125,000 in English."""
    if lang_index(lang) == 1:
        return f"¥{yuan:,}"
    if abs(yuan) < 10_000:
        return f"{yuan}元"
    return f"{yuan / 10_000:.2f}".rstrip("0").rstrip(".") + "万元"


def settlement_label(settled: bool | None, lang: str | None) -> str:
    """化解成功 or 未化解: what a resolution's outcome said of the dispute (调处结果); 未说明
    (None) when it said neither, or the result was taken back."""
    if settled is None:
        return name("settlement.unknown", lang)
    return name("settlement.settled" if settled else "settlement.unsettled", lang)


def help_text(
    role: str, lang: str | None, reports_here: bool = False, private_reports: bool = False
) -> str:
    """Help for a role includes everything the roles below it may do.  `reports_here`: the
    chat is itself an intake point (a WeChat conversation with the account), so a resident
    is told to describe the problem here, not in a group they may not have, and that they
    may do it anonymously (匿名反映), as one to one they may (`bot.pipeline`).
    `private_reports`: a resident may also write to the bot one to one (私下反映), and
    anonymously (匿名反映), which they would not guess."""
    order = ["resident", "grid_worker", "staff", "admin"]
    if role == "liaison":  # works one department's cases, none of the grid's
        return _with_lang(HELP[role][lang_index(lang)].splitlines(), lang)
    upto = order[: order.index(role) + 1] if role in order else order[:1]
    # Workers do not need the resident's "describe it in the group" text.
    parts = [HELP[r][lang_index(lang)] for r in upto if not (r == "resident" and len(upto) > 1)]
    if reports_here and upto == ["resident"]:
        first, _, rest = parts[0].partition("\n")
        told = t("help_report_here", lang) + "\n" + t("help_anonymous_here", lang)
        parts[0] = told + "\n" + rest
    elif private_reports and upto == ["resident"]:
        first, _, rest = parts[0].partition("\n")
        told = t("help_private_report", lang) + "\n" + t("help_anonymous", lang)
        parts[0] = first + "\n" + told + "\n" + rest
    # A command a higher role's help describes again (staff's /stats covers every area, a
    # worker's their own) is listed once, as the higher role has it.
    lines: list[str] = []
    for i, part in enumerate(parts):
        later = {_command_of(line) for higher in parts[i + 1:] for line in higher.splitlines()}
        lines += [line for line in part.splitlines() if _command_of(line) not in later - {""}]
    return _with_lang(lines, lang)


def _with_lang(lines: list[str], lang: str | None) -> str:
    """A role's help lines, with the resident's /lang line if they lack one: left out with
    the resident's text, a worker who chose English found no way back."""
    if not any(line.startswith("/lang") for line in lines):
        lines = lines + [
            line for line in HELP["resident"][lang_index(lang)].splitlines()
            if line.startswith("/lang")
        ]
    return "\n".join(lines)


def _command_of(help_line: str) -> str:
    """The command a help line describes ("/stats"), or "" for a line of prose."""
    return help_line.split(maxsplit=1)[0] if help_line.startswith("/") else ""
