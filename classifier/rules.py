"""Explicit safety rules that can only raise urgency, never lower it.

Why rules next to a model: a statistical model trained on a few thousand examples will miss some
message that says "he is at the door with a knife".  For danger to someone *now* the desk wants a
guarantee a worker can read: each rule is a named, reviewable pattern, the ticket records which
rule fired (`Classification.rules`), and the final urgency is the more urgent of the model's and
the rules' (`taxonomy.more_urgent`), so a rule can never make a message *less* urgent.

A cue told as a question, denied, named as a possibility, told as over or recounted in a
letter does not fire (`classifier.telling`: false alarms erode trust in the urgent queue).

Self-harm cues are exempt from that context: "有人一起死吗" is a question and still a crisis, and
"不想活了" contains a negation by nature.  Missing one is far worse than a false alarm, so they
have their own, narrower filters (`_crisis_suppressed`): a denial right before the cue, a news or
fiction story about someone else, a legal/insurance question about someone else's death.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from classifier.regex_gate import gated
from classifier.taxonomy import URGENCY_RANK
from classifier.telling import Telling
from classifier.text import EMERGENCY_NUMBER


@dataclass(frozen=True)
class Rule:
    """One named safety rule: a regex over normalised text and the urgency it raises to."""

    name: str
    urgency: str
    pattern: re.Pattern[str]
    context_sensitive: bool = True  # False: negation/question context never suppresses it
    source: str = ""  # the pattern as written here; `pattern` is its fast-scanning compilation


#: Children and elderly relatives, as a report of someone missing names them.
_KIN = (
    "(老人|老太太|老爷子|奶奶|爷爷|姥姥|姥爷|外婆|外公|孩子|小孩|儿子|女儿|闺女|娃|我爸|我妈|"
    "孙子|孙女|外孙|宝宝|"
    # the same in dialect (Cantonese, Minnan, Hunan, Shaanxi; fifteenth round)
    "阿妈|阿爸|阿公|阿婆|阿爷|阿嫲|细路|细人仔|囡仔|伢|碎娃)"
)


#: Whose health a sudden illness puts at risk now: kin as above, and the old, the sick and the
#: newborn named otherwise ("老头", "病人", "婴儿").
_FRAIL = rf"({_KIN[1:-1]}|老头|老太|老伴|婴儿|病人|孕妇|产妇|父亲|母亲)"


#: Tools and materials that are weapons when wielded (the weapon rule needs a hand or a blow).
_TOOL = "(铁棍|钢管|木棍|棍子|棍棒|棒子|铁锹|锄头|砖头|酒瓶|铁锤|锤子|扳手)"


def _rule(name: str, urgency: str, pattern: str, context_sensitive: bool = True) -> Rule:
    # gated: the same match spans, ~25x faster to scan on long letters (classifier.regex_gate)
    return Rule(name, urgency, gated(pattern), context_sensitive, pattern)


RULES: tuple[Rule, ...] = (
    # --- urgent: danger to life, health or safety now -------------------------------------
    # Self-harm is graded like the Columbia scale (C-SSRS) that crisis lines triage by: a wish
    # to be dead without a method, plan or intent is `suicidal_ideation` (high: a worker must
    # reach the person soon, and sees the rule); a named method or means, a plan, intent, a
    # farewell or an act in progress is `self_harm` (urgent: danger now).  Both lexicons come
    # from general knowledge of how such messages are written, incl. Traditional characters
    # and net slang (紫砂/自鲨).  Hyperbole ("热得想死", "想死你了") is excluded in the
    # patterns; news, fiction and legal questions about someone else in `_crisis_suppressed`.
    _rule(
        "self_harm",
        "urgent",
        # intent and threats: a decision, a time, a companion, someone to punish
        r"(我|俺|就|要|准备|打算|决定|今天|今晚|明天|这周|周末|马上|现在)(就)?(去)?(自杀|轻生|寻死|跳下去|了结|结束(自己的?)?生命)|"
        r"(今天|今晚|明天|马上|这就|等下|一会儿?)(就)?(去|要)?(死|走了|解脱|结束)|"
        r"要去死|(准备|打算|决定)(去)?死|一起死|结伴.{0,4}(死|走|自杀)|约.{0,4}(自杀|一起走)|"
        # planning (C-SSRS "plan"): a decision or a chosen place, way or day
        r"(计划|准备|打算|决定|想好|选好|看好|找好)了?.{0,6}(自杀|去死|跳下去|结束自己|了结)|"
        r"(迟早|早晚|总有一天)(会|要)?(去死|自杀)|"
        r"死给.{0,2}看|同归于尽|浇汽油|自焚|(我|就|那)就?去死|死亡搭子|自杀搭子|(zs|自杀|紫砂|自鲨)群|"
        r"(浇|泼|淋)(在)?自己(身上)?|汽油.{0,8}(浇|点|烧|准备好|买好)|(点|烧)了?.{0,2}汽油|打火机.{0,6}(汽油|点火)|"
        # methods and means
        r"怎么死|怎样死|死法|(自杀|自s|zs|紫砂|自鲨)的?(方法|办法|方式)|(不痛|不疼|无痛)(的|地)?(死|走|方法)|"
        r"跳楼(?!价|大?甩卖|清仓|机)|跳河|跳江|跳海|跳湖|跳桥|跳崖|跳下去|跳下来|投河|投江|卧轨|"
        r"喝农药|喝药|服毒|吞药|吞了.{0,4}药|吃安眠药|安眠药|安定片|攒.{0,4}药|百草枯|敌敌畏|"
        r"老鼠药|割腕|割脉|割手|划手腕|割自己|自残|自伤|伤害自己|上吊|吊死|烧炭|买了?炭|"
        r"手腕.{0,4}(划|割)|划了.{0,3}(道|刀)|刀片.{0,10}划|绳子.{0,6}(买好|准备好|挂好)|"
        r"炭.{0,6}(准备好|买好|点上)|把药.{0,2}(藏|攒)|吃了(好多|一把|一瓶|一堆)药|"
        r"药.{0,8}(全|都|一起|一次)(吃|吞)了?.{0,4}(能|会)(走(?!路|动)|死|睡过去|醒不来)|"
        r"绳子.{0,6}(挂|系|绑).{0,4}(门把手|房梁|横梁|暖气管|吊扇)|"
        r"喝(了|下|下了)?(半瓶|一瓶|大半瓶|小半瓶|一口|几口)?(农药|药水|敌敌畏|百草枯|老鼠药)|(想|在想)怎么(结束|死|走)|想好了怎么(走|死)|"
        # acts in progress
        r"站在(楼顶|天台|窗台|桥上|桥边|河边)|在(桥|楼顶|天台|河边)上?站了|"
        r"(坐|站|蹲|爬)(在|到|上)了?(窗台|楼顶|天台|阳台外|栏杆外|护栏外|楼顶边|桥栏)|"
        # seventeenth round: "一个小姑娘一个人坐在大桥栏杆上 哭得厉害", "楼顶上有个小伙子坐在边沿上"
        r"(坐|站|蹲)(在|于)(大桥|桥|楼顶|天台|房顶)[^,。!?]{0,2}(栏杆|护栏|边沿|边缘)|"
        r"(楼顶|天台|房顶|屋顶)[^,。!?]{0,10}(坐|做|站|蹲)在[^,。!?]{0,2}(边沿|边缘|边上|栏杆)|"
        r"(我|人)(现在)?在(天台|楼顶)|翻(过|出)了?(栏杆|护栏|窗户)|爬塔吊|几楼才(够|能)|"
        r"(药|农药|绳子|炭|汽油).{0,4}(已经)?(买好|准备好|备好|攒够|吃下去|喝下去)|"
        # fifteenth round, a letter's words: "我已经买好了一瓶农药放在身边…就在村委会门口喝下去",
        # "说'对不起，照顾好孩子'，随后手机关机", "我已在塔吊上，不解决就不下来"
        r"买好了?.{0,4}(农药|安眠药|老鼠药|耗子药|绳子|木炭|汽油)|(农药|老鼠药|耗子药)[^。!?]{0,20}喝下去|"
        r"(对不起|照顾好(孩子|爸妈|老人|家里))[^。!?]{0,20}(关机|联系不上|失联)|"
        r"(我|他|她|人)(已|已经)在(塔吊|吊车|高压塔|铁塔|广告牌|楼顶|天台)上|"
        r"划了?(手腕|胳膊|手臂)|(手腕|手臂|胳膊)上.{0,6}刀痕|血止不住|"
        r"爬(上|到)了?.{0,6}(塔吊|楼顶|天台|脚手架|高压塔|水塔|烟囱|屋顶|房顶|铁塔|电线杆|吊车|广告牌)|睡过去.{0,4}不(要|想)?(再)?醒|"
        # farewells and plans
        r"遗书|遗言|交代后事|永别了|诀别|再见了?(这个)?世界|(下辈子|来世|来生)(再)?见|(?<!想)永远下线|"
        r"(和|跟)这个世界告别|告别这个世界|这是我最后一次|最后一次(跟|和)(大家|你们|你)说话|"
        r"最后一次在.{0,6}说话|最后的话|最后一条朋友圈|"
        r"对不起(所有人|爸妈|爸爸妈妈|父母|我的家人|家人)|(别|不要)(再)?找我了|"
        r"(如果|要是|万一)(明天)?我不在了|我死(了)?(之后|以后)|等我死了|"
        r"跳樓|遺書|燒炭|安眠藥|農藥|"
        # oblique means (C-SSRS "method"): hoarding prescribed pills, asking a dose or how long
        # gas takes, a painless way hinted at with an ellipsis, fresh cuts again
        r"(一片|一粒|一颗)都没吃.{0,8}(存|攒|留|藏)|"
        r"(吃|吞)多少(片|粒|颗|瓶).{0,8}(能|会|才|就)(……|…|睡过去|醒不来|不醒|死|走)|"
        r"多少片.{0,6}(睡过去|醒不来|不醒)|"
        r"(煤气|燃气|天然气)(阀|罐|灶)?.{0,6}(开着|拧开|打开|开).{0,8}(多久|多长时间)|"
        r"(有没有|哪种|什么)(不疼|不痛|不难受|没痛苦)的(……|…|\.\.\.)|"
        r"(胳膊|手腕|手臂|大腿)上.{0,6}(条|道)新的|"
        # threats of an extreme act in a dispute: "this life stays on his site"
        r"没打算活着|不打算活着|(这条|我这条|俺这条)命(就)?(撂|扔|留|搭)在|(就)?不是走下来|"
        # preparatory acts with finality (giving away, settling up, last words)
        r"(送给|给了|托付给|寄养|转给|塞给|留给|结清|结了|还清|还了|交代).{0,30}"
        r"(以后(就)?(不来了|用不着|用不上|不回来)|再也不(来|回)|不用(再)?(等|找)我|"
        r"该说的都说完了|再不还就来不及)",
        context_sensitive=False,
    ),
    _rule(
        "suicidal_ideation",
        "high",
        r"自杀|自尽|自缢|轻生|寻死|寻短见|求死|(?<![你他她们])去死|"
        r"(?<![热冷饿困笑馋吓累烦])(?<![热冷饿困笑馋吓累烦]得)想死(?![你您他她大家宝])|"
        r"不如死|死了算了|死掉算了|死了(也)?(就)?(好|解脱|干净|一了百了)|一死了之|一了百了|"
        r"不想活(?![动跃])|不想再活|不活了|活不下去|活不成|活够了|活腻了|不想活下去|"
        r"没(有)?(活下去|活着)的(意义|理由|勇气|必要)|不知道(怎么|为什么|为啥)(要)?活下去|"
        r"活着没(有)?意思|活着(还)?有什么意思|活着(好|太|真)?累|"
        r"结束(自己的?)?生命|结束这一切|结束一切|了结(自己|生命|此生)|自我了断|了断自己|"
        r"离开这个世界|离开人世|撑不下去|熬不下去|想不开|"
        r"想解脱|求解脱|彻底解脱|永远(地)?解脱|早点解脱|从这个世界(上)?消失|不想醒(过)?来|"
        r"永远睡下去|为什么还要活|为啥还活着|想着死|不(想|要)再?做人了|没有我.{0,4}(会)?(过得)?更好|"
        r"我(走|死|不在)了?(以后|之后)?.{0,2}(大家|他们|你们|家里|爸妈|家人)(都|就|也)?(会)?(轻松|好过|省心)|"
        r"安乐死|死了(多|就)好|让我死|早点死|早死早|不想(再)?存在|想去天堂|自我了结|"
        r"死掉(就|也)?(好|算了)|紫砂|自鲨|自s(?![a-z])|自殺|輕生|我(要是|若是|如果)不在了",
        context_sensitive=False,
    ),
    _rule(
        "weapon",
        "urgent",
        # a kitchen knife, not a blunt or faulty one ("买的菜刀用了两天就卷刃了", "水果刀钝了");
        # one bought is a weapon still ("拿着刚从集上买的水果刀要捅他")
        r"(菜刀|水果刀)"
        r"(?![^,。!?]{0,6}(卷刃|生锈|钝|磨|质量|退货|换货|价格|多少钱|坏了))|"
        r"砍刀|尖刀|杀猪刀|匕首|斧头|斧子|拿刀|持刀|动刀|拿着刀|提着刀|砍人|砍伤|"
        r"捅(人|了|伤|死|他|她|你|我)|刀子|"
        # a gun, not a water pistol, a welding torch or the idiom 刀枪不入
        r"(?<![水喷焊气钉胶刀])枪(?!不入|手)|"
        # tools and building materials are weapons only in a hand or a blow ("拿着钢管",
        # "抄起砖头就砸"), not lying about ("小区里到处是土堆和钢管", "支撑的木棍")
        rf"(拿|拎|提|举|抄|抡|挥|持|握|攥|扛|带|用|抓|操|扬|端|甩|掂)(着|起|了|上)?.{{0,4}}{_TOOL}|"
        rf"{_TOOL}.{{0,4}}(打|砸|抡|挥|追|敲|扔|砍|捅|戳|拍|劈|抽|冲|对着|朝|拿|举|抄|亮|掏|"
        r"往.{0,3}(身上|头上|脸上))|"
        # to cut someone, not a tree or a price ("村里要砍我家门口的树", "想砍价")
        r"(?<![树竹])(来|要|去|想)砍(?![^,。!?]{0,8}(树|价|柴|竹|草|枝|伐|一刀))|"
        r"砍(我|你|他|她)(?!家)|砍死",
    ),
    _rule(
        "violence",
        "urgent",
        # not bleeding as an illness ("脑出血", "术后出血", "产后大出血": medical history) nor
        # "学习被打乱"
        r"打起来|(?<![狗猫鸡鸭鹅牛羊])打架(?!子鼓)|斗殴|群殴|(?<!想)打人|被打(?!乱|扰|败|湿|针|疫苗)|殴打|动手打|动手了|打伤|"
        # seventeenth round, from a blind probe of dangers: a beating, someone crying "别打了",
        # "被丈夫推下楼梯"
        r"毒打|暴打|(喊|叫|哭|求)[^,。!?]{0,4}别打了|推下(了)?(楼梯|楼|台阶)|"
        r"打破(?!.{0,2}(界线|界限|纪录|记录|僵局|垄断|常规|壁垒|格局|传统|平衡|沉默|瓶颈|惯例|局面))|"
        r"打得|头破血流|(?<!心)(?<!心在)流血(?!流汗|又流汗|流泪|又流泪)|(?<![脑内后中胃道宫鼻])出血|"
        r"掐.{0,2}脖子|往死里(打|揍|踹|掐)|"
        # something picked up to hit with ("抄起灭火器互砸", not "拿起手机给她打电话"), someone
        # pushed over a balcony ("拽到阳台往外推")
        r"(抄起|抡起|举起|拿起)[^,。!?]{0,5}(砸|打(?!电话|给|过去|过来)|扔)|互砸|对砸|"
        # things thrown or smashed now: "有人开始扔石头", "在砸东西"
        r"(开始|在)(扔|砸)(石头|砖头|东西|瓶子)|"
        r"把(他|她|我|人|孩子|女的|男的|老人)[^,。!?]{0,8}往(外|下)推|"
        # a beating under way, told plainly: "他又在打娃", "正往我肚子上踹"
        r"(正在|正|又在|还在)(打|揍|踹|捶)(我|俺|他|她|娃|孩子|老婆|媳妇|人|伊|佢)|开片|"
        # seventeenth round, from urgent rows only the model caught: the abuser named, at it again
        # ("我男人喝了酒又动手", "我老公又打我了")
        r"(老公|男人|丈夫|老汉|男的|他爸|孩子爸|公公|婆婆)[^,。!?]{0,8}又(打|揍|踹)(我|俺)|"
        r"(喝了?酒|喝醉了?|喝多了|发酒疯)[^,。!?]{0,3}又动手(?!术|脚)|"
        # "老汉喝醉了在揍他家娃" (not 在打: "他在打我电话"); "人都倒了还不停手"
        r"在(揍|踹|捶)(我|他|她|娃|孩子|老婆|媳妇|人)|还不停手|"
        # 在打 too, once what follows is no call, game or lawsuit: "我老公喝醉了在家打我和孩子"
        # (the model alone filed it 较急), "邻居在打他老婆"; not "他在打我电话", "在家打游戏"
        r"在(家|家里|屋里|屋)?打(我|俺|他|她|娃|孩子|老婆|媳妇|我们|我妈|我爸|老人)"
        r"(?![^,。!?]{0,4}(电话|手机|微信|牌|麻将|游戏|球|工|针|招呼|交道|主意|官司|卡|钱|字|扫|听|算))|"
        r"往[^,。!?]{0,3}(身|肚子|头|脸|胸口|背)上?(踹|踢|砸|捶)|"
        r"(?<![墙棚房屋树杆])推倒(?!重建|重来|重盖|重做|翻建|重修)|拳打脚踢|扇耳光|家暴",
    ),
    _rule(
        "threat_to_kill",
        "urgent",
        r"杀了你|杀人|杀了他|要杀我|杀(你|我|他|她)全家|弄死|砍死|斩死|打死|毒死(?=你|他|她|我|人|对方|全家|一家)|放.{0,3}火|烧了你|"
        # burning someone, not crops ("买的化肥是假的,苗全烧死了")
        r"烧死(?=你|他|她|我|人|自己|全家|一家|在)|(把[^,。!?]{0,6}|一块儿?|一起|同归于尽)烧死|"
        # not firecrackers ("鞭炮炸了一地纸屑")
        r"(?<!爆)(?<!鞭炮|炮仗|爆竹|烟花)(?<![考香帅美爽嗨笑])(?<![^煤燃沼然]气)炸了(?!个|一个)|灭门|报复社会|要你的命|"
        # "他说要杀了我", not a wish to die ("谁来杀了我吧")
        r"(?<!谁来)(?<!谁能)(?<!来人)(?<!谁)杀了我(?!吧|算了|得了)|"
        r"一块死|一起死|"
        # a threat to maim, as a loan shark puts it: "明天再不还就来卸我一条腿"
        r"卸.{0,3}(腿|胳膊)|打断.{0,3}(腿|手)|"
        # "说下午三点带人来把我们一家砍了"
        r"(带人|叫人|找人|喊人)(来|过来|上门)?[^,。!?]{0,6}(砍(?!伐|树|柴|竹|了)|杀|烧死|弄死)|"
        r"把(我|你|他|她)们?(一家|全家|家人|一家人)?(砍|杀)了|"
        # a raid announced for a time: "说今晚就带人来砸我家"
        r"(今晚|今夜|今天|明天|马上|等会|待会|一会儿?)(就|要)?(带人|叫人|找人)(来|过来|上门)?"
        r"[^,。!?]{0,8}(砸|打|砍|烧|收拾)|"
        # ransom: "要求我们在今晚十二点前转账五万元，否则'后果自负'"
        r"(转账|打钱|汇钱|赎金)[^。!?]{0,20}(否则|不然)[^。!?]{0,8}(后果自负|撕票)",
    ),
    _rule(
        "fire",
        "urgent",
        r"(?<!热得要)(?<!热得)着火(?!了?似的|了?一样)|失火|(?<!小心)火烛(?!小心)|起火|火灾|烧起来了|火很大|火(更|越来越|越烧越)大|烧到(了)?(隔壁|邻居|第.家|林子|树林|山林|房子|屋)|"
        # not a cooker's flame ("燃气灶火苗特别小", "火苗一直是黄的": the gas supply)
        r"火势|浓烟|冒烟|冒火花|(?<![灶炉])火苗(?![^,。!?]{0,4}(小|黄|红|不旺|不稳|弱))",
    ),
    _rule(
        "gas",
        "urgent",
        # not a tyre or a ball going flat ("轮胎漏气"), nor personal data leaked ("信息泄漏了")
        r"煤气味|燃气味|天然气味|煤气泄漏|燃气泄漏|煤气罐.{0,4}漏|(?<![胎球慢])漏气|煤气中毒|"
        # a detector that has gone off, not one installed or misfiring ("老是误报")
        r"一氧化碳(?!报警器(?![^,。!?]{0,4}(响|叫|报警了)))|"
        r"(?<![被])(?<!信息|隐私|资料|数据|号码|密码|地址|秘密|内容|照片)泄漏了|"
        r"(天然气|燃气|煤气)(管道?)?.{0,6}(断|破|漏|味)|(气体|钢瓶|气罐)[^,。!?]{0,6}(外泄|泄漏|泄露)",
    ),
    _rule(
        "water_electricity",
        "urgent",
        # a leak, not the breaker that guards against one ("漏电保护器老跳闸")
        r"漏电(?!保护|开关)|触电|电线.{0,4}(掉|断|落|垂)|高压线.{0,4}(掉|断|落|垂)|"
        r"(水|淹|泡).{0,8}(配电|电箱|电表|电闸|变压器|插座|插苏|插排|插线板|灯座|灯孔|灯泡|灯管|"
        r"吊灯|吸顶灯|吊顶灯|电灯)|"
        # the other way round: "电表箱进水了", "插座在滴水", "配电房被淹了"
        r"(配电|电箱|电表|电闸|变压器|插座|插排|插线板|灯座|吊灯|电线|线路|电路|电梯井|充电桩)"
        r".{0,6}(进水|泡水|泡在水|被淹|淹了|渗水|漏水|滴水|灌水|灌进水)|"
        # sparks and burning wires: a fire about to start
        r"打火花|电火花|冒火星|(电线|插座|插排|插线板|电表|线路|电路|电箱|开关).{0,4}"
        r"(冒烟|烧焦|闪(蓝光|火)|冒(火|蓝光)|打火|噼里啪啦|滋滋)",
    ),
    # Not in the first rule set; added in the eleventh round from the labelling guide's own
    # categories (danger to life now: a vulnerable person lost, an extreme act threatened with
    # the means at hand, an explosion or a toxic cloud people flee from).
    _rule(
        "missing_person",
        "urgent",
        # "走丢/走失/失踪" after anyone who may be lost; "不见了", "没回来" only right after a
        # child or an elderly person, and not after their things ("孩子的作业本不见了")
        rf"({_KIN}|老头|老太|老爸|老妈|父亲|母亲|患者|病人|学生|智障|痴呆|癫痫|精神病)"
        r".{0,8}(?<!差点|险些|万一|担心)(?<!怕)(走丢|走失|失踪|实踪|跑丢|走散|行散|下落不明)(?!过)|"
        r"(弟弟|哥哥|妹妹|姐姐)[^,。!?]{0,8}(走丢|走失|走散)|"
        r"强行把(孩子|娃|小孩)[^,。!?]{0,4}(抱|拉|拽|带)(上|走)|"
        rf"({_KIN}|老人|智力残疾|智障|痴呆|精神病|残疾)[^。!?]{{0,24}}(外出|出门|上山|放学|离家)[^。!?]{{0,8}}未归|"
        rf"{_KIN}(?!的)[^。!?]{{0,60}}(仍无|仍然没有|毫无)(消息|音讯|下落)|"
        rf"{_KIN}(?!的).{{0,20}}(找无人|揾唔到|揾唔见)|"
        rf"{_KIN}(?!的)(跑)?丢了|少了(一|两|几|三)个(娃|孩子|学生|小孩)|跑出去[^。!?]{{0,10}}找不(到|着)|"
        rf"{_KIN}(?!的)[^,。!?的]{{0,6}}(不见了|找不到了|找不见了|找不着了|没影了)|"
        # "孩子找不着快两个钟了": hours counted since
        rf"{_KIN}(?!的)[^,。!?的]{{0,6}}(找不着|找不到|找不见)(快|已经|有)?[^,。!?]{{0,4}}(小时|钟头|个钟)|"
        rf"{_KIN}(?!的).{{0,20}}(到现在|一直|至今|还)(都)?(没|没有)(回来|回家|找到)|"
        # "老人上山找羊 山里起大雾 到现在联系不上" (not "一直联系不上": someone who left long ago)
        rf"{_KIN}(?!的).{{0,20}}(到现在|至今|现在|还)(都)?联系不上|"
        r"(陌生|不认识).{0,10}(抱走|带走|拉走|抱上|拽上|拖上|抢走|带上|拉上|塞进|塞上)|"
        # seventeenth round: "有同学说看见她跟一个不认识的男子走了"
        r"跟(着)?(一个|个|两个|几个)?(陌生|不认识)[^,。!?]{0,5}(走了|上了车|上车了)|拐走|(抢|偷)(走)?(孩子|娃|小孩)(?!的)|"
        # a stranger in dialect: "有个小女孩被生人抱走了" (fifteenth round)
        r"生人.{0,4}(抱走|带走|拉走|抢走)|"
        # a blind probe of dangers (seventeenth round): "陌生女人说是孩子姑姑，把小宝接走了",
        # "一个男的抱着隔壁家两岁的娃上了一辆白色面包车", "有个小男孩一个人在湖边走"
        r"陌生[^。!?]{0,20}(接走|抱走|带走)|抱着[^,。!?]{0,8}(娃|孩子|小孩|女孩|男孩)[^,。!?]{0,3}上了?[^,。!?]{0,6}车|"
        r"(小孩|小男孩|小女孩|孩子|娃)[^,。!?]{0,4}一个人在(河|湖|水库|塘|江|海|铁路|铁轨|高速)边?",
    ),
    _rule(
        "extreme_act",
        "urgent",
        # seventeenth round: the means on a body or in a hand now ("我身上已经浇了汽油 打火机就攥在
        # 手里", "身上绑着汽油瓶", "手里攥着农药瓶子", "车里有两桶汽油")
        r"(身上|自己)[^,。!?]{0,4}(浇|泼|淋)(了|满)?[^,。!?]{0,2}(汽油|柴油)|"
        r"(浇|泼|淋)了?(一身|满身)[^,。!?]{0,2}(汽油|柴油)|已经(浇|泼)了?[^,。!?]{0,2}(汽油|柴油)|"
        r"(绑|揣|攥|握|举|端|抱)着[^,。!?]{0,4}(汽油|柴油|农药)(瓶|桶)|"
        r"(拎|提|背)着[^,。!?]{0,4}(汽油|柴油)(瓶|桶)?(?![^,。!?]{0,6}加油)|"
        r"车(里|上)(有|放着|装着)[^,。!?]{0,3}(桶|瓶)(汽油|柴油)|打火机(就)?(攥|握|拿|捏|抓)在手|"
        # the means, then a dare or a threat within a sentence or two — or the other way round
        r"(汽油|柴油|液化气罐|煤气罐|气罐|农药|炸药|雷管|硫酸).{0,30}"
        r"(谁(来|敢|动|再).{0,8}(试试|就)|试试看|拼了|拼命|同归于尽|鱼死网破|一起死|豁出去|"
        r"大不了一死|点了|炸了|烧了|点燃|扬言)|"
        r"(谁(来|敢|动|再).{0,8}(试试|就)|拼了|拼命|同归于尽|鱼死网破|豁出去|大不了一死).{0,30}"
        r"(汽油|柴油|液化气罐|煤气罐|气罐|农药|炸药|雷管|硫酸)",
    ),
    _rule(
        "explosion_toxic",
        "urgent",
        r"(发生|突然|一声|厂里|厂子|车间|锅炉|储罐|罐车|煤气罐|液化气罐|气罐|罐子)(了)?.{0,2}"
        r"(爆炸|炸了)(?!似的|一样|一般)|爆炸声|"
        r"(毒气|有毒气体|氯气|氨气|液氨|硫化氢|化学品|化工原料).{0,4}(泄漏|泄露|漏了|漏出|外泄)|"
        r"(罐车|罐体|储罐)[^,。!?]{0,6}(泄漏|泄露|漏了|外泄)|"
        r"(烟|雾|味|毒气).{0,20}(往外跑|跑出来|跑出去|疏散|撤离)|"
        # symptoms only when many have them: one person's headache is a chronic complaint
        r"(烟|雾|味|毒气).{0,20}(好几个|好多|一群|大家|不少|很多).{0,6}(胸闷|喘|咳|晕|吐)|"
        # fifteenth round: many taken ill at once, "十多名居民出现恶心、呕吐", "二十多名村民腹泻"
        r"(十|几|多)[^,。!?]{0,3}(名|个)(居民|村民|人|孩子|学生|工人|工友|游客)[^。!?]{0,10}"
        r"(呕吐|晕倒|昏迷|中毒|腹泻|抽搐)",
    ),
    _rule(
        "collapse",
        "urgent",
        # happening, not done: "老房子塌了半边，一家人挤在灶屋里住" is a housing need (high),
        # "房子快塌了" a request for repairs; a wall bulging and shedding is about to fall
        r"随时(会|要|可能)?(塌|倒)|塌方|山体滑坡|泥石流|决口|决堤|溃坝|垮坝|"
        # fifteenth round, from the dialect probe: "山泥倾泻", "山上滑坡", "厝被土掩去了"
        r"山泥倾泻|山崩|(山上|山坡)[^,。!?]{0,2}滑坡(了)?(?!隐患)|(?<![会能将])发生[^,。!?]{0,5}滑坡|"
        r"(树|电线杆)[^,。!?]{0,6}压在[^,。!?]{0,4}(房顶|屋顶|房子|车)上|"
        r"房梁[^,。!?]{0,4}(吱吱|咯吱|作响|断了)|屋顶掉土|"
        r"(泥|土|石头|沙)[^,。!?]{0,4}(冚住|埋住|埋了|掩去|掩了)|"
        r"(被|让|遭|畀)(大|洪)?水冲(走|跑|咗|了|去)|紧冲紧远|"
        r"(大水|洪水|山洪|发水)[^。!?]{0,12}(出不来|走不了|困在|冲走)|"
        # a levee or a dam letting water through: the warning before it gives way
        r"(堤|坝|塘埂)[^,。!?]{0,4}(渗水|漏水|冒水|管涌|裂开)|管涌|"
        r"(泥水|洪水|山洪)[^,。!?]{0,4}(往|冲进|灌进|漫进)|"
        # earth or stones coming down now, told verb first or thing first
        r"((一直|正在|还在|现在)(往下)?|开始往下)(滚|掉|落)(石头|砖头?|土)|"
        r"(石头|砖头|石块|泥土|泥石|土|泥)[^,。!?]{0,4}(正|在|一直|不断)往下(滚|掉|落|滑)|"
        r"(山坡|山体|坡)[^,。!?]{0,4}((正在|开始|又|还在)(往下)?|往下)滑(?![^,。!?]{0,2}玩)|泥石滑下|"
        r"(墙|墙体|房子|楼)[^,。!?]{0,4}(正|正在)?往外(倾斜|歪)|"
        r"漫过(了)?(堤顶|河堤|大堤|坝顶|堤坝)|(水库|河道)?水位[^,。!?]{0,4}超过(了)?警戒|溢洪道[^,。!?]{0,4}(渗漏|漏水|裂)|"
        r"(墙(?!皮)|楼|房子?|屋顶|房顶|阳台|挡土墙|围墙|山体|山坡|路基|桥)"
        r".{0,6}(正在塌|在塌|往外鼓|鼓包|外鼓|裂开了|往外裂|掉渣|往下掉(土|砖)|变形了)|"
        r"(天花板|吊顶|屋顶|房顶|楼板).{0,4}塌(了|下来)|"
        r"(广告牌|招牌|脚手架|塔吊|大树|电线杆|路灯杆)(?!上).{0,4}(摇摇欲坠|砸下来|掉下来)|"
        # a blind probe of dangers (seventeenth round): "广告牌被风吹得直晃…下面全是买菜的人",
        # "老墙歪得厉害，下面就是娃们上学走的道", "岩体…持续掉落碎石"
        r"(广告牌|招牌|灯箱|脚手架|塔吊|墙|墙体)[^。!?]{0,12}(晃|歪)[^。!?]{0,16}(下面|底下|下边)[^,。!?]{0,4}"
        r"(全是|都是|有|就是|站着|坐着)[^,。!?]{0,6}(人|学生|娃|孩子)|(不断|持续|一直)(掉落|滚落|坠落)",
    ),
    # A demo's gap: "桥那边水漫上来了" was urgent by the model alone, so the ticket showed no
    # reason.  `collapse` names a dam giving way or flood water pouring into a village; this names
    # water rising now and reaching homes, people and roads.  A leak in a flat ("楼上漏水",
    # "水管爆了 水淹到我家了") is the property company's or a neighbour's matter, not a flood:
    # `_HOUSEHOLD_WATER` keeps the rule from firing on it (`fired_rules`).
    _rule(
        "flooding",
        "urgent",
        # water rising now: "水漫上来了", "水还在往上涨", "水位一直在涨", "发大水了"
        r"水(已经|还在|一直|正在|不停|又)?(往上)?(漫|涨)上来|"
        r"水(还在|一直|正在|不停|越来越快)(往上)?(涨|漫)|水位[^,。!?]{0,4}(还在|一直|正在|不停|猛|暴)涨|"
        r"发(大|洪)水了|(河水|江水|洪水|大水|山洪|塘水|水库的?水)[^,。!?没不未]{0,4}(漫|淹|灌)(到|进|过|上)|"
        # water reaching homes, people or roads: "水淹到一楼了", "水漫到膝盖了", "水冲进院子"
        r"(?<![漏渗滴脏污废粪臭])水[^,。!?没不未]{0,2}((淹|漫|灌)(到|进|过|上)|冲进)(了)?[^,。!?]{0,4}"
        r"(屋|房|家|院|门口|一楼|床|膝盖|腰|大腿|胸口|(?<!脚)脖子|村|街|路|桥|车顶|车窗|店|厂)|"
        # "家里进水了 老人还在屋里", "村子被淹了" (not a phone, a car or a bathroom)
        r"(家里|屋里|屋头|屋子|房子|院子|村里|村子|一楼|店里|厂房|整个村)[^,。!?没不未]{0,2}"
        r"(进水了|进了水|灌水|被淹|淹了|全淹|泡水了|泡在水)",
    ),
    _rule(
        "crowd",
        "urgent",
        # not a habit ("每天晚上都聚集…", a gambling den) nor a gathering that names a pastime
        # ("聚集着一伙人打牌赌钱", "在门口聚集喧哗"): public order, not a crowd now
        r"(?<!每天|经常|天天|长期|常年|总是|常常|每晚)(?<!每天都|每晚都|经常都)"
        r"聚集(?!区|地|点|着?.{0,4}(打牌|赌|喝酒|喧哗|聊天|下棋|跳舞))|"
        # 冲击 a building or a line, not a market ("冲击了小商户的生意")
        r"围堵|围攻|(?<!车)堵门|堵在.{0,6}门口|拉横幅|聚众闹事|群体性|围住[^,。!?]{0,2}(厂门|大门|校门|门口|车)|"
        r"(?<!受)冲击(?![^,。!?]{0,8}(生意|市场|价格|行业|经济|销量|实体|商户|收入|就业|心理|视觉))|"
        r"(几十|上百|一百多|好几十|几百|一群|一帮|好多)(个|号)?人.{0,6}(围|堵|聚|闹|冲|打|对峙)|"
        # seventeenth round: "聚了一百多个工人", "十几个亲戚都堵在医院大厅", "一帮人要拦车"
        r"聚(了|集了)(上百|数百|数十|百余|好几十|几十|几百|[一二三四五六七八九两几]{1,2}[十百]多?|一大帮|一大群)"
        r"(?![^,。!?]{0,6}(同学|战友|老乡|朋友|亲戚|吃|喝|聚餐|打牌|跳|舞|唱|下棋|看|玩|拜年|团年))|"
        r"(十几|几十|上百|一百多|好几十|几百|[二三四五六七八九]十多|一大帮|一大群)(个|号|名)?"
        r"(工人|农民工|村民|业主|家属|亲戚|人)[^,。!?]{0,4}(都)?(堵在|围在|围着|拦车|拦路|堵路|冲进)|"
        # fifteenth round, formal registers: "上百名摊贩聚在市场办公楼前", "百余名货车司机…将
        # 车辆横停在国道上", "三十多名村民将挖掘机横在省道上拦截过往车辆"
        r"(上百|几十|数十|百余|数百|几百|[二三四五六七八九]十多)名?[^,。!?]{0,2}"
        r"(村民|摊贩|司机|工人|业主|群众|家属|学生|居民)[^,。!?]{0,10}(聚|围|堵|拦|对峙|横停|横在)|"
        r"拦截过往车辆|(国道|省道|路口|公路)[^,。!?]{0,6}堵死|"
        # the other way round, and a crowd turning to force: "围了几十个", "有人要往里冲",
        # "把执法车掀翻了"
        r"围了(几十|上百|一百多|好几十|几百|一大群|一群)|越围越多|(要|在|都)往里冲|掀翻",
    ),
    # Seventeenth round, from a blind probe of dangers: a road made deadly now, which no other
    # rule names ("一辆货车刹车失灵了，正在下坡往集市冲", "G4往北108公里附近有辆车逆行，开得飞快",
    # "高速上有几头牛在跑").
    _rule(
        "road_danger",
        "urgent",
        # a drunk at the wheel now ("有个喝醉的人开着车在小区里横冲直撞 已经撞了两辆"), not the
        # letters' "渣土车横冲直撞" of every day
        r"(喝醉|醉酒|酒驾|醉驾|喝多)[^。!?]{0,8}(开着?车|驾车)[^。!?]{0,12}(横冲直撞|乱撞|撞了|往人)|"
        r"刹车失灵(?!的)|(?<!被)逆行(?!的)[^。!?]{0,10}(飞快|很快|好快|撞)|"
        r"(高速|国道|省道|快速路)[^,。!?]{0,8}逆行(?![^,。!?]{0,4}(被罚|罚款|罚了|扣分|记分|处罚))|"
        r"(高速|国道|省道|快速路)(公路|路)?(上|中间|当中)[^,。!?]{0,4}(有)?[^,。!?]{0,4}"
        r"(牛|羊|猪|马|狗|人|老人|小孩|孩子)[^,。!?]{0,4}(在)?(跑|走|乱窜|游荡|走来走去|乱跑)",
    ),
    _rule(
        "medical_emergency",
        "urgent",
        # Events, not the hospital's or the letter's nouns ("抢救室", "抢救费用", "救护车收费",
        # "这是我们的救命钱"); a call to an emergency number (`normalize_for_rules` keeps their
        # digits), not a discount ("打8折"), nor that number called again and again.
        r"昏迷|(?<!都要)(?<!得要)(?<!得快)晕倒|(?<!得人要)(?<!得要)(?<!得快)(?<!得人快)晕过去|不省人事|抽搐|(?<!的)抢救(?!室|费|设备|药|中心|措施|能力|性)|(?<![罐瓶胎球])没气了|没有呼吸|"
        r"大出血|救护车(?!费|收费|司机|乱收费)|救命(?!钱|稻草|药|恩人|之恩)(?![^,。!?]{0,4}(好好笑|笑死|哈哈|😂|🤣))|"
        r"(?<!多次|再次)(?<!多次拨|再次拨)"
        rf"打{EMERGENCY_NUMBER}(?!热线|投诉|反映|举报|市长|政务|便民|服务|平台|询问|咨询|查询)|"
        # told to call one now, as a disaster night's group wrote it: "…压到人了，快叫120"
        rf"(快|赶紧|赶快|马上|快点)(叫|喊|打){EMERGENCY_NUMBER}|"
        # a person poisoned, not a crop or an animal ("怕菜中毒")
        r"(?<![菜苗树狗猫鸡鸭鱼猪牛羊])中毒|溺水|(?<!好像)(?<!像是)(?<!仿佛)掉进(了)?[^,。!?]{0,6}(河|塘|井|水|窖|坑)|卡在里面|"
        # a person fallen in, told without 进 (sixteenth round): "一个小孩掉水塘里了"
        r"(小孩|孩子|娃|老人|有人)[^,。!?的]{0,4}(掉|落|跌)(到)?[^,。!?]{0,3}(河|塘|井|水库|水渠|湖|江|水)(里|头|里头|里面)|躺(在)?地上|"
        # fallen in, told as 落水 ("河里有人落水了"; not a drain's 落水管, 落水口), by the
        # water ("河边有个小孩掉下去了", "井盖没了有人掉下去了"), or carried off
        # ("河水冲走了一个人"): a demo's gaps
        r"[人孩娃生子女][^,。!?的]{0,4}落水(?!管|口|槽|沟|道|斗)|"
        r"([河塘湖江井池库渠][边沿岸堤里]?|井盖|井口)[^,。!?]{0,8}[人孩娃][^,。!?]{0,4}"
        r"[掉跌滑摔]了?[下进]去|"
        r"[人孩娃][^,。!?]{0,6}被[^,。!?]{0,3}水冲走|水冲走了[^,。!?]{0,4}[人孩娃]|"
        # seventeenth round: blood on someone now ("俺姐头上都是血", "满脸是血", "地上全是血"), a
        # person lying in the road ("被撞的人还躺在路上"), fainted typed as 晕到
        r"((头|脸|身|手)上(全|都|满)?(是|都是)血|满(脸|头|身)(是|都是)?血|一(脸|头|身)的?血|"
        r"地上(全|都)是血|血流(了)?(一地|满地))(?![^,。!?]{0,6}(杀|宰)(鱼|鸡|鸭|猪|羊))|"
        r"(躺|倒卧|倒)在(马路|公路|路)(上|中间|中央|当中|边上)|(路中间|路中央|马路中间|马路上)[^,。!?]{0,2}躺着|"
        # a blind probe of dangers (seventeenth round): "到现在都醒不过来，脸色发紫",
        # "女子仍被压在车下", "被一辆逆行轿车撞倒，现腿部骨折无法移动"
        r"(到现在|还是|一直|都)(都|还)?醒不过来|脸色发紫|压在[^,。!?]{0,3}(车|车轮|车底)(下|底)|卷(入|进)(了)?车(底|轮)|"
        r"(撞倒|撞伤|摔下|推下|砸中|砸伤|压伤)[^。!?]{0,20}(无法移动|不能动|动不了|起不来)|"
        r"(晕到|晕倒|摔倒|倒|摔)(在)?(地上)?了?[^,。!?]{0,3}(没反应|不出声|不动了|叫不应|喊不应)|"
        r"压在(瓦砾|废墟|砖头|石头|土|泥|预制板)[^,。!?]{0,2}下|(还能听到|正在|还在|挥手)[^,。!?]{0,4}呼救|"
        r"(落|关|锁|卡|塌|堵)[^。!?]{0,12}(里面|里头)(还有|有)[^,。!?]{0,10}(人|顾客|学生|老人|孩子|工人)"
        r"[^,。!?]{0,4}出不(去|来)|"
        # someone pinned, not money or a file held up ("材料压着不办", "工程款被总包压着半年不给")
        r"压着(?!不|没)(?![^,。!?]{0,4}(不|没)(给|发|办|批|放|处理|让|还|付|结))|"
        r"压在[^,。!?]{0,4}(下面|底下|下边)|"
        # people crushed under what fell ("围墙倒塌压到人了", "倒了压了两个人"); not a count of
        # anything else pressed ("压了两个月工资")
        r"压(到|倒|伤|住)(了)?(人|[一两三四五几]个人)|压了[一两三四五几]个人|"
        # someone trapped, not a problem one is stuck on ("困在这个问题上")
        r"(被困(?!扰|惑)|困在)(?![^,。!?]{0,8}(问题|事|困境|难题|局面|情绪|过去|扯皮|纠纷|官司))|"
        r"呼吸困难|喘不上气|喘不过气|嘴唇发紫|口吐白沫|大口吐血|神志不清|叫不醒|"
        # caught or stuck: "头发卷进机器了", "孩子手卡在健身器材里", "下去两个人清淤,半天没上来"
        r"卷进[^,。!?]{0,3}(机器|机子|滚筒|皮带|传送带|搅拌)|(拉|拽|救)不出来|"
        r"(手|脚|头|腿|胳膊|脖子)[^,。!?]{0,2}卡在|"
        r"(井|窨井|下水道|化粪池|罐|地窖)[^。!?]{0,14}(没上来|没出来|晕在)|"
        # fifteenth round: a vehicle into a crowd; dogs on a person now (not a bite told to
        # claim for it, "狗上个月咬了我家孩子", nor "他家狗不咬人"); someone overcome by fumes
        r"(冲|撞|开)(进|到)(了)?[^,。!?]{0,6}人(群|堆)|(冲|开)上(了|咗)?(行人路|人行道)|"
        r"撞(倒|咗|翻|飞|了)(了)?(好)?(几|两|三|四|五|多)个(人|路人|学生|娃|小孩|老人)|"
        r"把[^,。!?]{0,3}(娃|孩子|小孩|人|老人|老太|老头|细路)(轧|碾)(了|死|伤|倒)|"
        r"地上(一)?动不动|地上不动|(他|她|人|老人|老太|老头|爸|妈|爷爷|奶奶|孩子|娃)[^,。!?]{0,4}倒在(客厅|屋里|房里|卫生间|厕所|床边)|"
        r"没来得及(跑)?出来|还在屋里没(有)?出来|悬在半空|"
        r"跌(咗)?落.{0,2}(河|塘|井|水|池|海)|(冇|无)(咗)?(呼吸|气了)|"
        r"(电梯|升降机)[^。!?]{0,4}(卡住|困住|停住|卡在)[^。!?]{0,8}(里面|入面|里头|里边)(有|困)|"
        r"(野(生)?(菌|蘑菇)|毒(菌|蘑菇)|菌子)[^。!?]{0,12}(吐|晕|倒|抽)|"
        r"(狗|犬|藏獒)[^,。!?]{0,10}(正在咬|还在咬|围着|追着|追咬|扑)"
        r"(向|上)?[^,。!?]{0,6}(人|娃|孩子|小孩|老人|俩娃|两个娃|学生|路人|我)|"
        # a dog that will not let go: "咬住…不松口", "死咬着我腿不放"
        r"(咬住|咬着)(了)?(人|娃|孩子|小孩|老人|我|他|她)?(的)?(腿|手|胳膊|脖子|脸)[^。!?]{0,4}"
        r"(不放|不松口|不撒嘴)|(人|孩子|娃|小孩|老人)也被咬(了|伤)|"
        r"把(人|娃|孩子|小孩|老人|我|他|她)[^,。!?]{0,4}(熏|呛|毒)(晕|倒)了|"
        # a demo's gaps (danger to life now, as the labelling guide has it): fallen and cannot
        # get up ("老人在家摔倒了 爬不起来"), unconscious in other words ("没意识了", "失去知觉";
        # not "没意识到"), a febrile fit (惊厥), choking on food ("娃被果冻噎住了"; not a retort
        # that leaves one speechless, "被他一句话噎住了")
        r"(摔倒|跌倒|滑倒|绊倒|摔了一跤|跌了一跤|摔了个跟头|倒在地上|倒地)[^。!?]{0,8}"
        r"(起不来|爬不起来|站不起来|扶不起来|动不了|不能动)|"
        r"失去(了)?(意识|知觉)|没(有)?(意识|知觉)了|人事不省|惊厥|"
        r"(果冻|糖|花生|枣|汤圆|年糕|饭|东西|食物)[^,。!?]{0,3}(噎住|卡住了?(喉咙|嗓子))|"
        r"噎住了?[^,。!?]{0,4}(喘不|说不出话|脸(都)?(发)?(紫|青)|上不来气)",
    ),
    _rule(
        "confinement",
        "urgent",
        # a person shut in, not a dog or a hen ("把狗关起来", "鸡关在笼子里"), a door, nor someone
        # shut out ("关在售楼处外面") or a key locked in ("钥匙锁在家里了")
        r"不让(出门|出来|出去)|不让走|(?<![狗猫鸡鸭鹅猪牛羊门窗])关起来|"
        r"(?<![狗猫鸡鸭鹅猪牛羊兔])关在(?![^,。!?]{0,6}(外面|外边|门外|外头))|"
        r"(?<!钥匙|手机|东西|证件)锁在([^,。!?]{0,4}里|屋|家|房)|锁(屋|家|房|屋子|房间)里|"
        # tied up: "养老院把俺娘绑在床上", "用铁链子拴在猪圈里" (not a dog tied to a tree)
        r"(?<![狗猫牛羊驴马鸡])(绑|捆|拴|铐)在(床|椅子|凳子|柱子|暖气管|猪圈|铁架)|"
        r"扣住不放|不放(人|我|他|她)|"
        r"绑架|绑走",
    ),
    # --- high: escalating, many affected, vulnerable people, basic needs cut, distress, a structure
    # about to fall
    _rule(
        "distress",
        "high",
        r"抑郁|绝望|崩溃|生不如死|痛苦|没有希望|没希望|坚持不下去|坚持不住|撑不住|熬不住|"
        r"不想醒|心好累|心累|活着干嘛|活着干什么|活着有什么用|累赘|消失|解脱|下辈子|"
        r"心如死灰|生无可恋|没人在乎|没人关心|多余的人|拖累|走投无路|没有出路|看不到希望|"
        # Not "睡不着"/"失眠"/"难受" alone: "噪音吵得人睡不着" is an ordinary noise complaint.
        r"想哭|好难过|活着(好|太|真)?难|想消失|活着的意义|心情(很|好|特别|非常)?(差|不好|低落)|孤独|空虚",
        context_sensitive=False,
    ),
    _rule(
        # about to fall, said plainly ("房子要塌了", "桥快塌了"): the labelling guide files it
        # high (a repair that cannot wait), the collapse rule's "随时会塌" and a bulging wall
        # urgent.  The model alone filed "房子要塌了" as a low-priority question.
        "unsafe_structure",
        "high",
        r"(房子?|屋|墙|桥|楼|顶|棚|坡|坎|电线杆|树|树枝)[^,。!?]{0,4}(快|要|眼看|马上)(就)?(倒|塌|垮|断)"
        r"(?!闭|霉|卖|账|网|供|货|粮|奶|电|水|气|联|档|更)",  # not 快倒闭了, 要断网了
    ),
    _rule(
        "basic_needs_cut",
        "high",
        r"停水|断水|没水|没有水|停暖|没暖气|暖气不热|暖气.{0,4}(停|坏|不热)|不供暖|停电|断电|"
        r"断水断电|零下",
    ),
    _rule(
        "vulnerable_people",
        "high",
        r"(家里有|有个|还有|带着)(老人|小孩|孕妇|残疾人|婴儿|病人)|[八九]十多岁|[八九]十岁|"
        r"瘫痪|孕妇|独居老人|留守老人|留守儿童",
    ),
    # A demo's gap: "我家老人发烧40度了" was dropped as chatter.  A child's or an old person's
    # high fever is health at risk now (high: a worker reaches them soon), not danger to life
    # (a fit or unconsciousness is `medical_emergency`).  Digits read as "0" here
    # (`classifier.text.normalize_for_rules`), so any temperature told with a fever counts:
    # one is told only when it is high.  Not a fever that is over ("高烧已经退了"), nor an
    # adult's ("我发高烧老板不让请假"): `fired_rules` wants one of `_FRAIL` just before the cue.
    _rule(
        "high_fever",
        "high",
        r"(发高烧|高烧|高热)(?!量|天气|(已经|已|都)?(退了|退下来|好了))|"
        r"(发烧|烧到|烧了|体温)[^,。!?]{0,3}(0|三十八|三十九|四十)(\.0)?(度|°)|"
        r"(发烧|烧)[^,。!?]{0,6}不退",
    ),
    # An old person, a child or someone sick nobody can reach for hours, who may be lying
    # where they fell ("老人一天没吃饭联系不上", "独居老人两天没出门 敲门没人应").  High, not
    # urgent: nothing says a danger has happened, but a worker should knock soon.  A time is
    # needed ("我妈不接电话" alone is a family quarrel), and one of `_FRAIL` just before it.
    _rule(
        "vulnerable_unreachable",
        "high",
        r"(一天|一整天|两天|几天|好几天|一上午|一下午|一晚上|一夜|半天|昨天|昨晚|从早上|从昨)"
        # not "没动静" alone nor "电话打不通": a complaint's "我爸昨天去反映的 到现在没动静",
        # "我妈昨天给物业打电话打不通"
        r"[^。!?]{0,12}(联系不上|不接电话|电话(也|都)?不接|"
        r"敲门(也|都)?(没人|没有人|不)(应|开|答应)|没人开门|(屋里|家里|屋子里|里面|里头)(一直|也|都)?没(有)?动静)",
    ),
    _rule(
        "many_affected",
        "high",
        r"好几十户|几十户|上百户|全村|全组|整栋楼|整个小区|好多户|"
        # "工地老板欠我们十几个人三个月工资" (nineteenth round: ten and more counts too)
        r"(十几|十多|十来|几十|二十多|三十多|好几十|上百|一百多|几百)(个|名|位|号)?"
        r"(工人|农民工|人|户|家|村民|业主|住户)",
    ),
    _rule(
        "escalating",
        "high",
        r"越来越凶|越吵越凶|扬言|威胁|放话|找人收拾|砸门|砸了|要出事|吵翻了|差点打起来",
    ),
)



# Self-harm cues are filtered only by cheap, conservative context (a miss is far worse than a
# false alarm): a denial right before the cue ("我不会自杀", "没想过轻生"); a news story or
# fiction (新闻, 电视剧 …) with no first person right before the cue; a legal or
# insurance question about a death ("请问员工跳楼单位要担责吗") with no first person and nothing
# happening now.  "我朋友说不想活了，怎么办" still fires: someone in the group may be at risk.
# A first version also treated 别/不要/不能/不想 as denials and 听说/据说/视频里 as reports; on the
# shared suicide-risk data those filters removed more high-risk than low-risk posts (aggregate
# counts only), so they were narrowed to the declarative denials and news/fiction words below.
#: The rules about the writer's (or a named person's) own life: they share the crisis context
#: filters here, and the bot does not name them where a whole group reads (bot.render).
SELF_HARM_RULES = frozenset({"self_harm", "suicidal_ideation"})
_CRISIS_DENIAL = re.compile(r"(不会|没想过|没有想过|不可能|没想|没有想|没|没有)$")
# Past ideation or self-harm ("以前想过跳楼，现在好多了", "以前自残过") is history a worker should
# know, not danger now: such a cue counts as `suicidal_ideation` (high), not `self_harm`.
_PAST = re.compile(r"(以前|曾经|过去|那阵子|那段时间|小时候|当年|年轻时)(也)?(想过|有过|试过)?$")


def _in_the_past(text: str, start: int) -> bool:
    """True if the cue starting at `start` is told as history ("以前想过…", "曾经试过…")."""
    return bool(_PAST.search(text[max(0, start - 6) : start]))
_REPORTED = re.compile(r"新闻|报道|热搜|电视剧|电影|小说|剧里|剧中|纪录片")
_LEGAL_Q = re.compile(
    r"(请问|咨询|想问|问一下|问下).*(保险|理赔|赔偿|赔不赔|赔多少|担责|责任|判|法律|违法|犯法|抚恤|认定)"
)
_FIRST_PERSON = re.compile(r"我|俺|本人|咱")


def _crisis_suppressed(text: str, start: int, end: int, now: bool) -> bool:
    """True if a self-harm cue at text[start:end] is denied, reported or a legal question;
    `now`: the message says something is happening now (`Telling.now`, read once)."""
    cue = text[start:end]
    if not cue.startswith(("不", "没")) and _CRISIS_DENIAL.search(text[max(0, start - 4) : start]):
        return True
    first_person_near = bool(_FIRST_PERSON.search(text[max(0, start - 4) : start]))
    if first_person_near:
        return False
    if _REPORTED.search(text):
        return True
    return bool(_LEGAL_Q.search(text)) and not now


# Hyperbole with an explosion in it, just before the cue: "肺都要炸了", "吵得脑袋要炸了",
# "群消息炸了", "作业多得要爆炸了" (within the clause: `normalize` has made "，" a ",").
_BURSTING = re.compile(r"(肺|气|肚子|脑子|脑袋|消息|群|作业|笑|多得)[^,。!?\s]{0,4}$")
# Open burning or a chimney just before the smoke: "隔壁家烧秸秆，浓烟呛人", "厂里烟囱天天冒烟"
# are pollution (environment), not a fire; a fire that spreads ("烧垃圾引着了柴垛") still fires
# by its own words.
_OPEN_BURNING = re.compile(
    r"(烟囱|烟窗|烟筒|烧(秸秆|麦秆|稻草|稻秆|垃圾|树叶|落叶|塑料|轮胎|电缆|废品|荒))[^。!?]{0,8}$"
)
_SMOKE = frozenset({"浓烟", "冒烟"})
#: The rules about someone frail's health, which fire only with such a person just before the
#: cue (their patterns start at the cue, so a denial of it is read there: "孩子没有高烧").
_FRAIL_RULES = frozenset({"high_fever", "vulnerable_unreachable"})
_FRAIL_BEFORE = re.compile(_FRAIL + r"[^。!?]{0,12}$")
# A leak at home anywhere in the message ("楼上漏水 淹到我家了", "水管爆了 屋里进水了"), or a
# ditch or a cesspit a neighbour changed or let block ("他家把排水沟封了，雨水全倒灌进我家院子",
# "化粪池堵了，污水漫到路上"), is a neighbour's or the property company's matter (the labelling
# guide's `neighbour`, `property_management`), not a flood; a flood elsewhere, told as news
# ("南方那边发大水了"), is talk.
_HOUSEHOLD_WATER = re.compile(
    r"楼上|漏水|渗水|水管|管道|管子|马桶|热水器|洗衣机|暖气|水龙头|水表|水箱|"
    r"排水沟|水沟|阴沟|化粪池|下水道"
)
_ELSEWHERE = re.compile(r"新闻|报道|视频|电视|网上|热搜|南方|北方|外地|外省|国外")
#: The rules whose cues include an explosion, which that hyperbole borrows.
_EXPLOSIVE_RULES = frozenset({"threat_to_kill", "explosion_toxic"})


# What turns a wish to die into danger now (C-SSRS: method, intent, timing, preparatory acts):
# means at hand, a dangerous place, a time, the person cannot be reached, or a goodbye.
# "我不想活了" is `suicidal_ideation`; "不想活了，药已经买好了", "说不想活了，现在联系不上" and
# "在河边坐了一晚上，不知道为什么还要活下去" are `self_harm`.
_CRISIS_ESCALATORS = re.compile(
    r"药|绳|刀|炭|煤气|汽油|楼顶|天台|阳台外|窗台|窗户外|河边|江边|湖边|海边|水库|桥上|桥边|铁轨|"
    r"今天|今晚|明天|马上|这就|现在就(?!只|想)|一会儿?|待会|等会|过几天|这几天|月底|过完年|倒计时|最后一天|"
    r"联系不上|找不到|不接电话|电话不接|没开门|关机|失联|不见了|出走|"
    r"再见|拜拜|永别|告别|谢谢大家|对不起|照顾好|"
    # a decision (C-SSRS "plan": the timing or the way is settled, even if not named)
    r"决定了|想好了|想清楚了|定好了|安排好了|都准备好了|计划好了|不再犹豫|不会再拖|不想再拖|"
    # preparatory acts (C-SSRS): settling affairs, giving things away, last things
    r"后事|遗物|存折|银行卡|密码|把.{0,6}(送人|送给|留给|交给)|留给你|交给你|都给你|帮我照顾|"
    # "替我讨个公道" is a plea for justice, not a last request
    r"以后(就)?(靠|拜托)你|替我(?!讨|做主|申冤|伸冤|说话|出头|主持)|不用(再)?(等|找)我|"
    r"最后一(次|面|眼|顿)|收拾好了|注销|"
    r"提前(弄|安排|办|处理)好"
)


_IDEATION = next(rule.pattern for rule in RULES if rule.name == "suicidal_ideation")


def _escalated(text: str) -> bool:
    """A present (not past) wish to die and an escalator anywhere in the message.

    Anywhere, not near: a window of 20 characters cut false alarms in our own long stories
    ("…我妈身体也不好要吃药…") but, measured on tw_suicide_risk3's long posts, lost more
    high-risk posts than it spared others (aggregate figures), so it was not kept.
    """
    present = any(not _in_the_past(text, m.start()) for m in _IDEATION.finditer(text))
    return present and bool(_CRISIS_ESCALATORS.search(text))


def fired_rules(text: str) -> tuple[str, ...]:
    """Names of the rules that fire on already-normalised `text`, in rule order."""
    told = Telling(text)
    hits: list[str] = []
    past = False
    for rule in RULES:
        for m in rule.pattern.finditer(text):
            if rule.context_sensitive and told.suppresses(
                m.start(), m.end(), rule.urgency == "urgent"
            ):
                continue
            if rule.name in _EXPLOSIVE_RULES and _BURSTING.search(text[max(0, m.start() - 6) :
                                                                       m.start()]):
                continue
            if rule.name == "fire" and m.group() in _SMOKE and _OPEN_BURNING.search(
                text[max(0, m.start() - 14) : m.start()]
            ):
                continue
            # a fever in a formal letter ("尊敬的领导：…两天后孩子高烧不退") is a medical
            # dispute's history: nobody writes a letter about a child burning up now
            if rule.name in _FRAIL_RULES and (told.letter or not _FRAIL_BEFORE.search(
                text[max(0, m.start() - 20) : m.start()]
            )):
                continue
            if rule.name == "flooding" and (
                _HOUSEHOLD_WATER.search(text) or _ELSEWHERE.search(text)
            ):
                break
            if rule.name in SELF_HARM_RULES and _crisis_suppressed(
                text, m.start(), m.end(), told.now
            ):
                continue
            if rule.name == "self_harm" and _in_the_past(text, m.start()):
                past = True
                continue
            hits.append(rule.name)
            break
    if "suicidal_ideation" in hits and "self_harm" not in hits and _escalated(text):
        hits[hits.index("suicidal_ideation")] = "self_harm"
    elif past and "self_harm" not in hits and "suicidal_ideation" not in hits:
        hits.insert(0, "suicidal_ideation")
    latin = [name for name in _latin_hits(text) if name not in hits]
    if latin:
        hits = sorted([*hits, *latin], key=_RULE_ORDER.__getitem__)
    return tuple(hits)


# English and pinyin cues for the same rules (fifteenth round): the model reads Chinese only, so a
# report in English ("my neighbour is beating his wife right now") or in pinyin ("xiao hai bu jian
# le") has nothing but these.  Present-tense phrases with word boundaries; no context filter
# (`classifier.telling` reads Chinese), so they are kept narrow.  Pinyin words that are also
# everyday ones (da jia: 打架 or 大家) are left out.
_LATIN_CUES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern)) for name, pattern in (
        ("self_harm", r"\b(kill(ing)? myself|suicide|end (it all|my life)|want(s)? to die|"
                      r"jump(ing)? off|hang(ing)? myself|cut(ting)? myself|overdos(e|ed|ing)|"
                      r"zi ?sha|tiao ?lou|bu ?xiang ?huo)\b"),
        ("weapon", r"\b(knife|knives|gun|machete|axe|stab(bed|bing)?|shoot(ing)?|dao ?zi)\b"),
        ("violence", r"\b(beat(ing|s)?|hit(ting)?|attack(ing|ed)?|punch(ing|ed)?) "
                     r"(me|her|him|his wife|his kids?|my|a|the|someone|people)\b|"
                     r"\b(fighting|domestic violence|bleeding)\b"),
        ("threat_to_kill", r"\b(kill|murder) (you|him|her|me|us|them|my)\b|"
                           r"\bthreat(en(ed|ing|s)?)? to kill\b|\bsha ?ren\b"),
        ("fire", r"\b(fire|on fire|smoke|burning|flames|zhao ?huo|qi ?huo)\b(?! drill)"),
        ("gas", r"\bgas (leak|smell)|\bsmell(s|ing)? (of )?gas\b|\bcarbon monoxide\b|"
                r"\b(mei ?qi|ran ?qi) ?(wei|xie ?lou)\b"),
        ("water_electricity", r"\b(live|fallen|bare|broken) (power )?(wire|line|cable)s?\b|"
                              r"\belectrocut|\belectric shock\b"),
        ("missing_person", r"\b(child|kid|son|daughter|boy|girl|baby|mother|father|mum|mom|dad|"
                           r"grand(ma|pa|mother|father)|old (man|woman|lady)) (is |has |went )?"
                           r"(missing|lost|disappeared|gone missing)\b|"
                           r"\bmissing (child|kid|boy|girl)\b|"
                           r"\b(bu ?jian ?le|zou ?diu|shi ?zong)\b"),
        ("medical_emergency", r"\b(unconscious|not breathing|collapsed|drowning|ambulance|"
                              r"heart attack|seizure|trapped|stuck in (the |a )?(lift|elevator)|"
                              r"(lift|elevator) (is )?stuck|"
                              r"save (me|us)|jiu ?ming|kuai ?lai ?ren)\b|"
                              # a cry and nothing else, 救命: "help!", "somebody help me!!"
                              r"^(please |somebody |someone )?help( me| us)?( please)?\s*!+$"),
        ("collapse", r"\b(landslide|flood(ing|ed)?|(building|wall|bridge|house|roof) "
                     r"(is )?(collapsing|collapsed|falling))\b"),
        ("crowd", r"\b(mob|riot)\b|\b(crowd|hundreds of people) .{0,20}"
                  r"(gather|block|storm|attack)"),
        ("basic_needs_cut", r"\b(no|without) (running )?(water|heating|heat|electricity|power)\b|"
                            r"\b(water|power|electricity|heating) (is )?(off|cut)\b"),
    )
)
# Two letters in a row: a letter's "A市" or "B区" (anonymised places) reads no English cue.
_LATIN = re.compile(r"[a-z]{2}")
_RULE_ORDER = {rule.name: i for i, rule in enumerate(RULES)}


def _latin_hits(text: str) -> list[str]:
    """Rules whose English or pinyin cue is in already-normalised `text` (`_LATIN_CUES`)."""
    if not _LATIN.search(text):
        return []
    return [name for name, cue in _LATIN_CUES if cue.search(text)]


#: Not a pattern over the text but the desk's records: reports linked as one event from
#: several residents (`bot.many_reporters`) raise its tickets to high, recorded with the
#: rules that fired.  Shown to the desk only: the group must not learn who else reported.
MANY_REPORTERS = "many_reporters"
#: Not a pattern either: staff set the ticket 紧急 (/retag) where no urgent rule had fired.
#: A person's judgement, which the acknowledgement may announce as an emergency (【紧急】),
#: unlike the model's alone (`model_alone_urgent`).
STAFF_URGENT = "staff_urgent"
#: Not a pattern either: a report about the conduct of the desk's own people (作风反映,
#: `bot.conduct`), which staff work and the grid's workers are kept from
#: (`bot.workflow.kept_from`).  It raises nothing.
ABOUT_THE_DESK = "about_the_desk"
DESK_RULES = frozenset({MANY_REPORTERS, STAFF_URGENT, ABOUT_THE_DESK})

RULE_URGENCY: dict[str, str] = {rule.name: rule.urgency for rule in RULES}
RULE_URGENCY[MANY_REPORTERS] = "high"
RULE_URGENCY[STAFF_URGENT] = "urgent"
RULE_URGENCY[ABOUT_THE_DESK] = "low"


def rule_urgency(hits: tuple[str, ...]) -> str | None:
    """The most urgent level among fired rules, or None if no rule fired."""
    if not hits:
        return None
    return min((RULE_URGENCY[h] for h in hits), key=URGENCY_RANK.__getitem__)


def model_alone_urgent(urgency: str, hits: tuple[str, ...]) -> bool:
    """Urgent by the model alone, no urgent safety rule behind it: not announced as an
    emergency (its acknowledgement says it is being checked), and checked first."""
    return urgency == "urgent" and rule_urgency(hits) != "urgent"


# Words about death, despair or self-harm that are not enough to raise urgency but must keep a
# message out of the chatter bin (it becomes a report flagged for triage instead): a short
# elliptical crisis comment ("好累，不想再撑了") often has no cue a rule knows, and dropping it
# silently is the worst outcome.  Everyday hyperbole ("热死了", "笑死我了", "累得要死",
# "想死你们了") is removed first so ordinary chatter still passes.
_HYPERBOLE = re.compile(
    r"[热冷饿困笑馋吓累气急烦哭美香忙穷丑渴晒挤闷](得)?(要)?死(了)?(我|人|你)?(了)?|"
    r"想死(你|您|大家|宝)|死机|死角|死胡同|死活|该死的(天气|快递)"
)
_CRISIS_WORDS = gated(
    r"死|自杀|轻生|活着|活不|不想活|痛苦|绝望|崩溃|抑郁|难受|想哭|心累|解脱|割腕|安眠药|农药|"
    r"遗书|告别|永别|结束这|离开这个|不想醒|撑不|熬不|坚持不|不想(再)?撑|不想(再)?坚持"
)


# A farewell with finality, told without a word of death: a goodbye to the group, not being a
# burden any more, "don't look for me", nothing left to hope for, a grave or burial clothes paid
# for.  Suicide-prevention guides list these as warning signs, and in a group they come in the
# calm words of chatter ("都解决了，我也该走了"), which the settled form would otherwise drop.
# The same words say goodbye before a journey ("俺去广东打工了 莫来找我"), so they only keep a
# message out of the chatter bin, as a report flagged for triage; they raise no urgency.
_FAREWELL = gated(
    r"(我|俺)(也)?(是时候)?该走了|不(想)?(再)?(拖累|连累|碍眼|添麻烦)|"
    r"(大家|家里|你们|孩子|儿女|家人)的负担|(以后|再也|今后)(就)?不(会)?(再)?(打扰|麻烦|拖累|连累)|"
    r"见不(到|着)(我|俺)?了|再也见不(到|着)|再见了(各位|大家|朋友|兄弟|乡亲)|"
    r"(莫|别|不用|不要)(再)?(来)?找(我|俺)|不用(替|帮)(我|俺)(还|操心|担心)|"
    r"不用(再)?(担心|挂念|惦记)(我|俺)|(没|没有|没啥|没什么)(念想|盼头|牵挂)了|"
    r"这辈子就(到这|这样)|墓地|寿衣|后事|遗物|受益人|"
    # not coming back (not money that cannot be got back: "钱要不回来了")
    r"(?<![要退讨拿追收])不(会|再)?回来了|没打算回来|不回来的那种|以后不(会)?(再)?出现了|"
    # the account or the group without the writer: "明天这个号就没人了", "这个群明天就没我了"
    r"(这个号|这个群|群里)[^,。!?]{0,4}没(人|我)了|明天(就)?没我了|"
    # affairs settled and thanks for the years, together: "都安排好了，谢谢大家这些年的照顾"
    r"(安排|处理|交代|弄|办)(好|妥)了.{0,12}(这些年|这么多年)|"
    r"(这些年|这么多年).{0,12}(安排|处理|交代)(好|妥)了"
)


# Someone harmed or wronged, said outright: a report by any reading, which the model's chatter
# vote once dropped when it came after thanks ("谢谢提醒防骗 可惜晚了 我爸昨天刚被骗了五万").
# Not "差点被骗" (it did not happen).  On all our files two chatter rows had one of these words.
_HARMED = gated(
    r"(?<!差点)(?<!差一点)(被骗|被打(?!乱|扰|败|湿|针|疫苗)|被偷|被抢)|打断|打我|欠(我|俺)"
)


def keeps_out_of_chatter(text: str) -> bool:
    """True if already-normalised `text` has crisis vocabulary (after removing hyperbole), a
    farewell with finality, or someone harmed or wronged said outright."""
    return bool(
        _CRISIS_WORDS.search(_HYPERBOLE.sub("", text)) or _FAREWELL.search(text)
        or _HARMED.search(text)
    )
