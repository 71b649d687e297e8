"""Shared CJK resources: Chinese organisation heads (…公司, …園區, …管委会) and surnames used by `zh.py`,
and the Japanese and Korean name patterns (…株式会社, …바이오, role words after a name, place suffixes)."""

from __future__ import annotations

import re

from bioatlas.text.scripts import HAN as _HAN
from bioatlas.text.scripts import HANGUL as _HANGUL
from bioatlas.text.scripts import KANA as _KANA
from bioatlas.text.scripts import KATAKANA as _KATA

ZH_ORG_HEADS: list[tuple[str, str]] = [
    # (suffix, type) longest first
    ("有限责任公司", "company"),
    ("有限責任公司", "company"),
    ("股份有限公司", "company"),
    ("有限公司", "company"),
    ("集团公司", "company"),
    ("集團公司", "company"),
    ("集团", "company"),
    ("集團", "company"),
    ("公司", "company"),
    ("药业", "company"),
    ("藥業", "company"),
    ("制药", "company"),
    ("製藥", "company"),
    ("药厂", "company"),
    ("藥廠", "company"),
    ("大藥廠", "company"),
    ("生物科技", "company"),
    ("医疗科技", "company"),
    ("管理委员会", "agency"),
    ("管理委員會", "agency"),
    ("管委会", "agency"),
    ("管委會", "agency"),
    ("工委", "agency"),
    ("委员会", "agency"),
    ("委員會", "agency"),
    ("人民政府", "agency"),
    ("政府", "agency"),
    ("办公室", "agency"),
    ("辦公室", "agency"),
    ("事务办", "agency"),
    ("事務辦", "agency"),
    ("总署", "agency"),
    ("總署", "agency"),
    ("商务局", "agency"),
    ("商務局", "agency"),
    ("投资促进局", "agency"),
    ("投資推廣署", "agency"),
    ("科技局", "agency"),
    ("科技署", "agency"),
    ("局", "agency"),
    ("厅", "agency"),
    ("廳", "agency"),
    ("署", "agency"),
    ("部", "agency"),
    ("科学园", "park"),
    ("科學園", "park"),
    ("科技园", "park"),
    ("科技園", "park"),
    ("产业园", "park"),
    ("產業園", "park"),
    ("生命科学园", "park"),
    ("生命科學園", "park"),
    ("园区", "park"),
    ("園區", "park"),
    ("孵化器", "park"),
    ("孵化园", "park"),
    ("孵化園", "park"),
    ("创新园", "park"),
    ("創新園", "park"),
    ("生物城", "park"),
    ("医药城", "park"),
    ("醫藥城", "park"),
    ("药谷", "park"),
    ("藥谷", "park"),
    ("开发区", "park"),
    ("開發區", "park"),
    ("高新区", "park"),
    ("高新區", "park"),
    ("科技中心", "park"),
    ("创新中心", "research"),
    ("創新中心", "research"),
    ("研发中心", "research"),
    ("研發中心", "research"),
    ("研究院", "research"),
    ("研究所", "research"),
    ("研究中心", "research"),
    ("科学院", "research"),
    ("科學院", "research"),
    ("大学", "research"),
    ("大學", "research"),
    ("学院", "research"),
    ("學院", "research"),
    ("医院", "research"),
    ("醫院", "research"),
    ("实验室", "research"),
    ("實驗室", "research"),
    ("协会", "cluster"),
    ("協會", "cluster"),
    ("商会", "cluster"),
    ("商會", "cluster"),
    ("联合会", "cluster"),
    ("聯合會", "cluster"),
    ("产业集群", "cluster"),
    ("產業集群", "cluster"),
    ("联盟", "alliance"),
    ("聯盟", "alliance"),
    ("基金", "investor"),
    ("资本", "investor"),
    ("資本", "investor"),
    ("创投", "investor"),
    ("創投", "investor"),
]
JA_ORG = [
    (
        re.compile(
            rf"株式会社[{_KATA}{_HAN}A-Za-z]{{2,20}}|(?:(?<=[、，。（(「\s])[ぁ-ゖ]{{1,4}})?[{_KATA}{_HAN}A-Za-z]{{2,20}}株式会社"
        ),
        "company",
    ),
    (
        re.compile(
            rf"(?<![{_KATA}])[{_KATA}]{{2,12}}(?:ファーマ|バイオテク|バイオ|テック|メディカル|セラピューティクス)(?![{_KATA}])"
        ),
        "company",
    ),
    (re.compile(rf"[{_HAN}]{{1,8}}?(?:大学(?!院)|研究所|病院|機構)"), "research"),
    (re.compile(rf"[{_HAN}{_KATA}]{{2,10}}(?:製薬|化学|商事|銀行|工業|電機)"), "company"),
]
KO_ORG = [
    (
        re.compile(
            rf"(?:\(주\)|㈜)\s*[{_HANGUL}A-Za-z]{{2,12}}|[{_HANGUL}]{{1,10}}(?:바이오로직스|바이오|제약|파마|메디칼|헬스케어)"
        ),
        "company",
    ),
    (re.compile(rf"[{_HANGUL}]{{1,10}}(?:대학교|병원|연구원|연구소|재단|진흥원)"), "research"),
    (re.compile(rf"[{_HANGUL}]{{1,10}}(?:부|청|공사|경제자유구역청)"), "agency"),
    (re.compile(rf"[{_HANGUL}]{{1,10}}(?:클러스터|산업단지|단지)"), "park"),
]

COMMON_SURNAMES = set(
    "王李张張刘劉陈陳杨楊黄黃赵趙吴吳周徐孙孫马馬朱胡郭何高林罗羅郑鄭梁谢謝宋唐许許韩韓冯馮邓鄧曹彭曾肖萧蕭田董袁潘于蒋蔣"
    "蔡余杜叶葉程苏蘇魏吕呂丁任沈姚卢盧姜崔钟鍾谭譚陆陸汪范金石廖贾賈夏韦韋付方白邹鄒孟熊秦邱江尹薛闫閆段雷侯龙龍史陶黎贺賀"
    "顾顧毛郝龚龔邵万萬钱錢严嚴覃武戴莫孔向汤湯常温溫康施文牛樊葛邢安齐齊易乔喬伍庞龐颜顏倪庄莊聂聶章鲁魯岳翟殷詹申欧歐耿关關"
    "兰蘭焦俞左柳甘祝包宁寧尚符舒阮柯纪紀梅童凌毕畢单單季裴霍涂成苗谷盛曲翁冉骆駱蓝藍路游辛靳管柴蒙鲍鮑华華喻祁蒲房滕屈饶饒"
    "解牟艾尤阳陽时時穆农農司卓古吉缪繆简簡车車项項连連芦蘆麦麥褚娄婁窦竇戚岑景党党宫宮费費卜冷晏席卫衛米柏宗瞿桂全佟应應臧闵閔"
    "苟邬鄔边邊卞姬师師和仇栾欒隋商刁沙荣榮巫寇桑郎甄丛叢仲虞敖巩鞏明佘池查麻苑迟遲邝鄺官封谈談匡鞠惠荆荊乐樂冀郁胥南班储儲"
    "原栗燕楚鄢劳勞谌諶奚皮粟冼蔺藺楼樓盘盤满滿闻聞位厉厲伊仝区區郜海阚闞花权權强強帅帥屠豆朴盖蓋练練廉禹井祖"
)
COMPOUND_SURNAMES = ("欧阳", "歐陽", "司马", "司馬", "上官", "诸葛", "諸葛", "东方", "東方", "皇甫", "尉迟", "尉遲")

JA_PERSON = re.compile(
    rf"(?P<name>[{_HAN}]{{2,4}}\s?[{_HAN}{_KANA}]{{1,3}})(?:氏|社長|教授|代表取締役|会長|理事長|市長|知事)"
)
_KO_SURNAMES = "김이박최정강조윤장임한오서신권황안송류전홍고문양손배백허유남심노하곽성차주우구민진나지엄채원천방공현함변염여추도소석선설마길연위표명기반왕금옥육인맹제모탁국어은편용예경봉"
_KO_ROLES = "대표이사|대표|회장|사장|부사장|교수|장관|차관|시장|지사|원장|이사장|박사|총장|청장|의원|사무총장|본부장|센터장|소장|단장"
KO_PERSON = re.compile(
    rf"(?<![{_HANGUL}])(?P<name>[{_KO_SURNAMES}][{_HANGUL}]{{1,2}}|[{_HANGUL}]{{1,2}} [{_HANGUL}])\s?(?:{_KO_ROLES})"
    rf"(?=[^{_HANGUL}]|$|와|과|는|은|이|가|의|을|를|도|에|께서)"
)
# Words that stand before a Korean role but are not names: joint, newly appointed, first, honorary, acting.
KO_NOT_NAMES = {"공동", "신임", "초대", "상임", "명예", "수석", "임시", "대행", "직무", "전임", "현직", "부대"}
KO_PLACE = re.compile(rf"(?<![{_HANGUL}])[{_HANGUL}]{{1,4}}(?:특별시|광역시|특별자치시|특별자치도)(?![{_HANGUL}])")


JA_PLACE = re.compile(
    rf"(?:(?<=[都道府県市])|(?<![{_HAN}]))[{_HAN}]{{1,4}}?(?:都|道|府|県|市|区|町|村)"
    rf"(?=[^{_HAN}]|$|[{_HAN}]{{1,4}}(?:市|区|町|村))"
)

ZH_ORG_HEADS += [
    ("科学城", "park"),
    ("科學城", "park"),
    ("产业城", "park"),
    ("產業城", "park"),
    ("産業城", "park"),
    ("生物岛", "park"),
    ("生物島", "park"),
    ("健康城", "park"),
    ("台办", "agency"),
    ("臺辦", "agency"),
    ("台辦", "agency"),
    ("商务厅", "agency"),
]
ZH_ORG_HEADS.sort(key=lambda item: -len(item[0]))
