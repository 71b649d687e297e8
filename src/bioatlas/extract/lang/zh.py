"""Chinese (both scripts): organisation and person names.

Text is folded to Simplified (character by character, so offsets hold) and segmented with jieba's
part-of-speech tagger. An organisation is a head word (公司, 园区, 管委会, 大学, ...) with the nouns
before it; it must carry something specific (a place, a proper name, an abbreviation, Latin letters),
otherwise it is a common noun ("生物科技公司"). Persons come from role words around a name whose first
character is a known surname.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import cache

from bioatlas.extract.lang.cjk import COMMON_SURNAMES, COMPOUND_SURNAMES, ZH_ORG_HEADS
from bioatlas.extract.scripts import to_simplified
from bioatlas.text.scripts import is_han

_HEADS = sorted({to_simplified(h): k for h, k in ZH_ORG_HEADS}.items(), key=lambda x: -len(x[0]))
_NAMEY = {"n", "nr", "nrt", "ns", "nt", "nz", "j", "l", "eng", "vn", "nrfg", "ng", "b", "an", "s", "m"}
_SPECIFIC = {"nr", "nrt", "ns", "nt", "nz", "j", "eng", "nrfg"}
_GENERIC_WORDS = {
    "外国",
    "海外",
    "国外",
    "跨国",
    "高科技",
    "生物",
    "医药",
    "医疗",
    "科技",
    "技术",
    "产业",
    "创新",
    "国际",
    "专业",
    "高新技术",
    "生命科学",
    "生物医药",
    "生物科技",
    "现代",
    "综合",
    "全球",
}
_NOT_PREFIX = {
    "规划",
    "容纳",
    "建设",
    "打造",
    "引进",
    "包括",
    "涵盖",
    "拥有",
    "设有",
    "该",
    "本",
    "此",
    "这",
    "其",
    "各",
    "多",
    "全",
    "新",
    "老",
    "大",
    "小",
    "次",
    "今次",
    "整个",
    "首批",
}
_GENERIC_HEAD_ONLY = {"公司", "中心", "园区", "集团", "大学", "医院", "政府", "基金", "资本", "部", "局", "署", "厅"}

PERSON_SUFFIX_ROLES = ("教授", "博士", "女士", "先生", "医生", "院士", "主任", "局长", "司长", "署长", "主席")
PERSON_PREFIX_ROLES = tuple(
    sorted(
        {
            to_simplified(r)
            for r in (
                "党工委副书记 党工委书记 工委副书记 副书记 书记 管委会主任 副主任 主任 行政总裁 首席执行官 总裁 董事长 总经理 "
                "副总经理 执行副总裁 中国区总裁 负责人 创始人 院长 所长 校长 局长 副局长 司长 署长 处长 厅长 部长 副部长 "
                "市长 副市长 省长 副省长 区长 会长 理事长 秘书长 主席 副主席 总监 经理 委员 领导 大使 领事 特首 行政长官 "
                "财政司司长 局长 常务副市长 董事 合伙人 主管 巡视员 副巡视员 调研员 荣誉理事长 创会理事长 顾问 处长 科长 发言人"
            ).split()
        },
        key=len,
        reverse=True,
    )
)
_FOLLOW = (
    "表示",
    "指出",
    "称",
    "说",
    "认为",
    "介绍",
    "强调",
    "致辞",
    "出席",
    "宣布",
    "透露",
    "坦言",
    "等",
    "和",
    "与",
    "及",
    "一行",
    "率",
    "在",
    "对",
    "为",
    "带领",
    "会见",
    "见证",
    "参加",
    "教授",
    "博士",
    "女士",
    "先生",
)
_PUNCT = set("，。、；：:;,.！？!?（）()「」『』“”\"' \n")


_NOT_NAME_END = set("会委局部区园司处厅院所省市县镇村中心组等们和与及")


@dataclass(slots=True)
class ZhName:
    start: int
    end: int
    type: str
    role: str | None = None


@cache
def _tagger():  # type: ignore[no-untyped-def]
    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba.posseg


def _segment(text: str) -> list[tuple[str, str, int]]:
    words = []
    pos = 0
    for pair in _tagger().cut(text, HMM=False):
        words.append((pair.word, pair.flag, pos))
        pos += len(pair.word)
    return words


def organisations(text: str, offset: int = 0) -> list[ZhName]:
    simple = to_simplified(text)
    words = _segment(simple)
    out: list[ZhName] = []
    for i, (word, flag, pos) in enumerate(words):
        if flag not in _NAMEY or word in (
            "总部",
            "全部",
            "内部",
            "外部",
            "本部",
            "东部",
            "西部",
            "南部",
            "北部",
            "中部",
        ):
            continue  # 签署 ends with 署 but is a verb; 总部 is a headquarters, not a ministry
        previous = words[i - 1][0] if i > 0 else ""
        for head, kind in _HEADS:
            # A head may be one word (园区) or span two (科技 + 中心 = 科技中心).
            if not word.endswith(head) and not (len(head) > len(word) and (previous + word).endswith(head)):
                continue
            j = i if word.endswith(head) else i - 1
            specific = False
            while j > 0 and i - j < 8:
                prev, flag, _ = words[j - 1]
                if prev in _NOT_PREFIX or flag not in _NAMEY:
                    if prev == "和" and j >= 2 and words[j - 2][1] in ("n", "ns", "vn") and i - j < 5:
                        j -= 1
                        continue
                    if prev in ("-", "·", "—", "－") and j >= 2 and words[j - 2][1] == "ns":
                        j -= 1  # "中国-比利时高科技孵化园区", "京津冀·沧州生物医药产业园"
                        continue
                    break
                if flag in _SPECIFIC and prev not in _GENERIC_WORDS:
                    specific = True
                j -= 1
            start = words[j][2]
            end = pos + len(word)
            name = simple[start:end]
            if words[j][0] == "和":
                continue
            if word in _GENERIC_HEAD_ONLY and j == i:
                break
            if not specific and not re.search(r"[A-Za-z]", name):
                break
            if simple[start : pos + len(word) - len(head)].upper() in ("AI", "IT", "IOT", "CRO", "CDMO", "GMP", "CXO"):
                break  # "AI制药" is a field (AI drug discovery), not a company
            prefix = words[j:i]
            places_only = all(flag == "ns" or w in _GENERIC_WORDS or w in _INDUSTRY_NOUNS for w, flag, _ in prefix)
            if places_only and head in ("公司", "企业", "集团", "大学", "药厂", "制药"):
                break  # "澳洲公司", "澳洲放射性藥物公司": an Australian (radiopharmaceutical) company, not a name
            if len(name) <= len(head) + 1:
                break
            out.append(ZhName(offset + start, offset + end, kind))
            break
    return out


# Nouns that describe what a company does; a place plus these before 公司 is a description, not a name.
_INDUSTRY_NOUNS = {
    "放射性",
    "药物",
    "制药",
    "医疗器械",
    "器械",
    "诊断",
    "基因",
    "细胞",
    "健康",
    "生命",
    "科学",
    "研发",
    "新药",
    "疫苗",
    "化学",
    "材料",
    "信息",
    "数字",
    "智能",
    "人工智能",
    "软件",
    "电子",
    "医疗",
    "生技",
    "技术",
    "核医学",
    "抗体",
    "核酸",
    "初创",
    "新创",
    "年轻",
    "新兴",
    "外资",
    "本土",
    "跨国",
    "大型",
    "中小",
    "龙头",
    "知名",
    "领先",
    "上市",
}
_VAGUE_PLACES = ("周边", "亚太", "其他", "相关", "当地", "附近", "全国", "全市", "各地", "周围", "海外", "境外", "本地")
_PLACE_SUFFIX = ("市", "省", "县", "区", "州", "镇", "岛", "新区", "地区")


def places(text: str, offset: int = 0) -> list[ZhName]:
    """Place names jieba tags as places and that end like one (吹田市, 渤海新区, 白云区)."""
    simple = to_simplified(text)
    out = []
    for word, flag, pos in _segment(simple):
        if (
            flag == "ns"
            and len(word) >= 3
            and word.endswith(_PLACE_SUFFIX)
            and not word.endswith(("园区", "小区"))
            and not word.startswith(_VAGUE_PLACES)
        ):
            out.append(ZhName(offset + pos, offset + pos + len(word), "place"))
    return out


_PHASE = re.compile(r"[一二三四五六七八九十0-9]{1,3}期(?:[A-Za-z]区|工程|项目)")


def park_phases(text: str, offset: int = 0) -> list[ZhName]:
    """三期B区, 二期工程: a phase or zone of a park, a place of its own that figures and openings are about."""
    simple = to_simplified(text)
    return [ZhName(offset + m.start(), offset + m.end(), "park") for m in _PHASE.finditer(simple)]


def _plausible(name: str) -> bool:
    if not all(is_han(c) for c in name) or name[-1] in _NOT_NAME_END:
        return False
    if name[:2] in COMPOUND_SURNAMES:
        return 3 <= len(name) <= 4
    return name[0] in COMMON_SURNAMES and 2 <= len(name) <= 3


def _boundary_before(text: str, at: int) -> bool:
    if at <= 0 or text[at - 1] in _PUNCT or not is_han(text[at - 1]):
        return True
    return any(text.endswith(role, 0, at) for role in PERSON_PREFIX_ROLES)


def _boundary_after(text: str, at: int) -> bool:
    if at >= len(text) or text[at] in _PUNCT or not is_han(text[at]):
        return True
    return any(text.startswith(f, at) for f in _FOLLOW)


def persons(text: str, offset: int = 0) -> list[ZhName]:
    simple = to_simplified(text)
    found: dict[int, ZhName] = {}
    for role in PERSON_PREFIX_ROLES:
        for m in re.finditer(re.escape(role), simple):
            q = m.end()
            for size in (3, 2):
                name = simple[q : q + size]
                if len(name) == size and _plausible(name) and _boundary_after(simple, q + size):
                    found.setdefault(q, ZhName(offset + q, offset + q + size, "person", text[m.start() : m.end()]))
                    break
    for role in PERSON_SUFFIX_ROLES:
        for m in re.finditer(re.escape(role), simple):
            p = m.start()
            for size in (3, 2):
                name = simple[max(0, p - size) : p]
                if len(name) == size and _plausible(name) and _boundary_before(simple, p - size):
                    found.setdefault(
                        p - size, ZhName(offset + p - size, offset + p, "person", text[m.start() : m.end()])
                    )
                    break
    # "副主任马玉明、邝伟斐": names listed after a person share the role.
    for person in sorted(found.values(), key=lambda n: n.start):
        q = person.end - offset
        while q < len(simple) and simple[q] == "、":
            for size in (3, 2):
                nxt = simple[q + 1 : q + 1 + size]
                if len(nxt) == size and _plausible(nxt) and _boundary_after(simple, q + 1 + size):
                    found.setdefault(q + 1, ZhName(offset + q + 1, offset + q + 1 + size, "person", person.role))
                    q = q + 1 + size
                    break
            else:
                break
    return sorted(found.values(), key=lambda n: n.start)
