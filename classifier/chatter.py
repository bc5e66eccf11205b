"""The forms group chatter takes that the model alone leaves in the queue.

Why explicit forms next to the model: the chatter vote (`IntakeClassifier._decide`) drops a
message only when both heads agree with room to spare, because a dropped report costs a
resident far more than a chatter ticket costs a worker.  That caution files whole kinds of
group traffic as tickets although nothing in them asks the desk to act: a forwarded notice
whose headline names a danger ("【冬季防一氧化碳中毒】…"), a question about the group itself
("反映问题要实名吗"), an update saying a matter is settled ("跟楼上说好了，他们十点以后不弄了"),
an advert ("无需征信…秒批秒到").  These forms are narrow and can be read; when one matches,
the model's own lean towards chatter is enough (`CHATTER_FORM_FLOOR` in `classifier.runtime`).

A form never drops a message on its own, and never one with a complaint in it ("转发：停水三天了
没人管", "在群里说了三次都没人管"): the safety guards of the vote (rules, crisis words, the
model's sense of danger) still apply to every form, except that a notice, which names dangers by
nature, is not held back by the model's sense of danger alone.
"""

from __future__ import annotations

import re

# A forwarded notice or safety tip: "【停水通知】…", "【燃气安全】闻到煤气味立即关阀",
# "温馨提示：…", "转发：…", "供电所通知：…".  Groups are full of them, and their advice names
# every danger a rule knows.  Only the opening counts (a headline in 【】 with a notice word, or a
# notice prefix), and never when the text calls for help (紧急, 求助): "【紧急】3栋着火了" is a
# report.  `classifier.rules` also reads it: a notice warning of a danger is not the danger.
_NOTICE = re.compile(
    r"^(@所有人\s*)?(【[^】]{0,12}(通知|提醒|提示|预警|须知|知识|常识|科普|倡议|安全|防范|公告|"
    r"反诈|温馨|转发|计划停|停电|停水|停气|检修|公示|通告|认证|接种|义诊|体检|报名|征集|政策|补贴|"
    r"防(溺水|汛|火|诈|骗|疫|一氧化碳|中毒|暑|寒|冻|滑|雷|台风))[^】]{0,6}】|"
    r"温馨提示|友情提示|安全提示|转发[:：]|请大家注意|"
    r"[^\s，。：:]{0,8}(通知|提醒|公告|公示|通告|小知识|小贴士|常识|须知)[:：])"
)
_ALARM = re.compile(
    # "紧急通知：明天停水" is a notice (seventeenth round); a danger told in one still fires,
    # since a notice's cue counts when its clause tells an event (`classifier.telling`)
    r"紧急(?!通知|提醒|提示|公告)|求助|求救|救命|"
    # a call to act now, which no notice makes (sixteenth round): "转发：…有个娃儿掉水头了，
    # 大人正在捞，哪个离得近快去帮忙", "…墙塌了，人被压在下头，快打120"
    r"快去|快打|快(派|叫)人|赶紧(去|派|来|喊|拦|救)|得赶紧"
)
# A headline in 【】 that names only a topic (【防火】, 【防汛】, 【安全隐患】) is also how a grid
# worker or a resident heads a report: "【防火】后山着火了，火势往村里蔓延".  Such an opening makes
# a notice only when the headline says notice (通知, 提醒, 预警 …) or the body advises or
# announces (`_ADVISES`): "【燃气安全】闻到煤气味立即关阀开窗", "【停电】明天0点至0点检修".
_NOTICE_WORD = re.compile(
    r"通知|提醒|提示|预警|须知|知识|常识|科普|倡议|公告|温馨|转发|公示|通告|认证|接种|义诊|体检|"
    r"报名|征集|政策|补贴|计划停|检修"
)
_ADVISES = re.compile(
    r"请(大家|各位|广大|居民|村民|家长|业主|群众|住户)|大家|不要|不得|切勿|请勿|严禁|禁止|注意|务必|"
    r"及时|立即|立刻|马上(关|开|离|拨|撤)|千万|谨防|警惕|防止|预防|避免|切记|牢记|确保|做好|"
    r"如遇|如发现|如有|一旦|遇到|拨打|报修|联系|咨询|近期|期间|将于|届时|明天|明日|后天|下周|本周|"
    r"0点|0月|0日|0号|明早|明晚|恢复|知识|常识|小贴士|须知|科普|倡议|"
    # the short imperatives of a safety campaign: "骑电动车戴好头盔，酒后不开车", "睡前封好炉火",
    # "挂电话、不转账", "…的都是骗子"
    r"(戴|系|关|管|看|封|盖|锁|拴|收)好|(睡|出门|离家|用)前|不转账|不载人|酒后不|一律|核实|都是骗子|骗局|"
    r"平安|安全第一"
)


def _opens_as_notice(text: str) -> bool:
    """`text` opens like a notice (`_NOTICE`); a bare topic headline also needs advice after it."""
    opening = _NOTICE.match(text)
    if opening is None:
        return False
    headline = opening.group()
    if "【" not in headline or _NOTICE_WORD.search(headline):
        return True
    return bool(_ADVISES.search(text, opening.end()))


def notice(text: str) -> bool:
    """True if `text` opens as a forwarded notice or safety tip, calls for no help and complains
    of nothing: "【停电通知】…学校门口变压器一直冒火花咋回事" forwards a notice to report a danger,
    and the rules, which skip a notice's cues, must read it."""
    return _opens_as_notice(text) and not _ALARM.search(text) and not _COMPLAINT.search(text)


# A complaint inside any form (or a call for help, `_ALARM`): then it is a report in a chatter
# form's clothes ("转发：3栋停水三天了没人管", "在群里说了三次楼道灯坏了都没人管",
# "水是来了可是是黄的").
_COMPLAINT = re.compile(
    r"没人管|不管|没人理|没有人(管|理|来)|投诉|举报|反映(了|过)|咋办|怎么办|如何是好|凭什么|过分|"
    r"欺负|几天了|好几天|一直(没|不)|到现在|至今|还(没|是没|不)|又(停|坏|漏|吵|来|开始)|再次|"
    r"帮帮|维权|退钱|退款|骗了|被骗|欠(我|薪|钱|款)|不给|赔偿|威胁|打人|报警|"
    r"但是|可是|不过|就是.{0,4}(不|没)|"
    # happening now, in a hurry, or the writer's own loss: "机器人在吗？急！有人在撬车锁"
    r"现在|正在|还在|快来|来人|急[!?]|(我|俺|家里|我家|我妈|我爸).{0,12}(被|扣了|骗|损失)|"
    # fifteenth round, from a blind probe of reports dressed as chatter: a notice with the
    # writer's own outage or danger after it ("【停水通知】明天停水？我们这都停三天了 有人管没",
    # "【停电通知】…变压器一直冒火花咋回事"), a beating ("机器人能发语音吗 我打字慢 我老公又打我
    # 了"), "狗是找到了 可腿被隔壁家打断了"
    r"有人管|咋回事|怎么回事|一直(在)?(冒|漏|响|停|没|不)|我们这|"
    r"[一二两三四五六七八九十几]天了|打我|打断|"
    # sixteenth round, from a probe of headlines: "温馨提示：不是提示哈，是反映…"
    r"是(来)?反映|不是(提示|提醒|通知)"
)
# A nuisance that recurs, in a question about the group or a settled-sounding message: "@机器人
# 这个群能反映问题吗 楼上天天半夜拖椅子".  Not read in a notice: tips say "每天出门前检查煤气阀门".
_NUISANCE = re.compile(r"天天|每天|半夜|冰凉")
# A question about the group or the bot itself, asked in a few words: "机器人在吗",
# "反映问题要实名吗", "在群里说了事会有人回吗", "为啥我发的图片别人看不到".
_GROUP_QUESTION = re.compile(
    r"(这个群|本群|咱们?群|我们群|群主|机器人|bot|小助手|管理员|在群里(说|发|报|问|反映))"
    r".{0,12}(吗|么|嘛|啥|咋|怎么|是不是|能不能|可不可以|有没有|会不会|\?|(不|没|没得)$)|"
    r"(反映|报事|上报|举报|投诉|反应)(问题|事情|事)?.{0,2}(要|需要|得|用)(实名|身份证|留电话|本人|登记)|"
    r"(发|能发|可以发)(语音|图片|视频|照片|定位)|"
    r"(为啥|为什么|咋|怎么).{0,6}(发的|发不|看不到|看不了|收不到|听不了|听不到)"
)
_GROUP_QUESTION_MAX = 30
# A matter already settled, told in a few words: "井盖今天上午已经补上了", "跟楼上说好了…";
# not one still open ("电工来了也没修好", "还没解决") or asked after ("电梯修好了吗").
_SORTED = re.compile(
    r"(?<![没未])(?<!没有)(?:"
    r"(修|弄|整|补|处理|谈|说|讲|商量)好了|修好|补上了|恢复(了|正常)|(来|通)(电|水|气)了|"
    r"下水道通了|找到了|找着了|和好了|解决了|搞定了|没事了|没得事|莫得(事|问题)|误会一场|虚惊一场|"
    r"不(弄|吵|闹|堵)了|(拴|牵|关)起来了|(拉|清)走了|(已经|都)撤了|不用了|不用跟了|莫再跟"
    r")(?![^,。!?]{0,2}(吗|么|没有?$|没有?\?|\?))"
)
_SORTED_MAX = 40
# A promise to oneself or a condition is a plan, not a settled matter: "我跟自己说好了，期末成绩
# 出来那天要是还是倒数，就结束" (a crisis file's row) is not "跟楼上说好了".
_PLAN = re.compile(r"(跟|和|对)自己|(要是|如果|万一|假如).{0,20}就")
# An advert or spam: loans, insurance, produce, jobs.
_ADVERT = re.compile(
    r"私聊|私信我|加(我)?(微信|微|v|vx|威信|q)|微信同号|扫码(进群|领|下单|关注)|秒批|秒到|无需征信|"
    r"包邮|日结|诚聘|接龙下单|一手货源|欢迎(订购|选购|咨询)|(兼职|刷单).{0,10}(赚|元)"
)

# The group organising itself: a sign-up list (接龙), someone asking to add a person to the group,
# every household asked to post its door number or name, a head count ("统计一下…").  In a short
# message only: a letter may tell how someone "把我拉进一个群" to defraud them.
_ROLL_CALL = re.compile(
    r"接龙|拉.{0,8}进(群|来)|(加|拉)进群|新进群|"
    r"(楼号|门牌号?|名字|姓名|电话|户主|身份证号).{0,8}(发一下|报一下|发群里|报上来|私发)|统计一下"
)
_ROLL_CALL_MAX = 60
# ... but not one that gathers people to search or to help ("接龙：今晚去河边找老王的" is a search
# party, and the desk should hear of the missing man), nor one gathering names for a complaint, a
# petition or a patrol ("接龙：反对在小区门口建垃圾站的签名", "接龙 今晚巡逻抓偷电瓶的").
_GATHERS_FOR_A_CAUSE = re.compile(
    r"找|救|帮|反对|不同意|抗议|告|起诉|维权|签名|联名|要求|受不了|臭|偷|丢了|欠|涨价|骗|巡逻"
)

# A call for attention and nothing else: "在吗", "网格员在不在？", "你好，有人吗".  People open a
# chat this way and say what is wrong in the next message.  Filed, it was a ticket nobody could
# act on, often an urgent one ("在不在": P(urgent) 0.92).  It broke the nudge too: a second
# open ticket meant "有人管吗" no longer found the one it was about (`bot.repeats`).
_PING = re.compile(
    r"(?:(?:你好|您好|hello|hi|喂|哈喽|嗨)[,\s!~。.…]*)?"
    r"(?:(?:网格员|网格长|书记|主任|村长|领导|老师|同志|大家|各位|机器人|小助手|助手|管理员|群主)"
    r"[,\s!~。.…]*)?"
    r"(?:在吗|在么|在嘛|在不在|在没|在没有|有人吗|有人在吗|有人没|有人没有|有没有人|在线吗)"
    r"[?!~。.…\s]*"
)

#: The forms whose words say nothing is wrong: a bare call for attention, a notice or tip (it
#: names dangers by nature), a matter settled, the group organising itself.  Not a question
#: about the group: a farewell takes that shape ("机器人在吗 明天这个号就没人了";
#: docs/classifier-history.md §2, twelfth round). The urgency head's own P(urgent) does not
#: hold these back (`IntakeClassifier._decide`); the rules,
#: which read "happening now", and the crisis and farewell words
#: (`classifier.rules.keeps_out_of_chatter`) still do.  Why: on short messages that P(urgent) is
#: mostly noise ("井盖今天上午已经补上了👍" had 0.26, "那家已经把狗拴起来了，没事了" 0.31), and the
#: forms it held back were filed *urgent*.  An advert keeps the model's guard: it may sell a means
#: ("找个伴一起去烧炭 有意者私聊").
CALM_FORMS = frozenset({"ping", "notice", "sorted", "roll_call"})


def whole_message_form(text: str) -> str | None:
    """"ping" when already-normalised `text` is nothing but a call for attention, else None.
    Read whatever the type head leans to (`IntakeClassifier._decide`): there is no report in
    such a message to lose."""
    return "ping" if _PING.fullmatch(text) else None


def form(text: str) -> str | None:
    """The chatter form already-normalised `text` takes, or None (also when it complains).

    Forms, in the order tried: "ping", "notice", "group_question", "sorted", "roll_call",
    "advert".
    """
    if whole_message_form(text):
        return "ping"
    if _COMPLAINT.search(text) or _ALARM.search(text):
        return None
    if _opens_as_notice(text):
        return "notice"
    if _NUISANCE.search(text):
        return None
    if len(text) <= _GROUP_QUESTION_MAX and _GROUP_QUESTION.search(text):
        return "group_question"
    if len(text) <= _SORTED_MAX and _SORTED.search(text) and not _PLAN.search(text):
        return "sorted"
    if (len(text) <= _ROLL_CALL_MAX and _ROLL_CALL.search(text)
            and not _GATHERS_FOR_A_CAUSE.search(text)):
        return "roll_call"
    if _ADVERT.search(text):
        return "advert"
    return None

