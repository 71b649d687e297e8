"""Figures: the quantities a text states about an entity.

'Liège currently has 72 companies', '逾三千名研究人员', '1.2万平方米', 'Ende 2017 hatte Lyonbiopôle
208 Mitglieder', '80人の雇用', '일자리 80개', 'Technimark will invest €26 million'.

A number becomes a figure only when a unit word sits right next to it (a noun or classifier for
companies, members, jobs, people, researchers or countries, or for other counted things such as
projects, floors or plants; an area unit; a currency), so years, dates, percentages, ordinals, list
numbers and phone numbers never do. Money of every kind counts (investment, revenue, fund sizes, the
amount of a funding round); currencies other than EUR USD CNY HKD are `other`, valued in that currency.
Areas are reported in hectares or m² (km² x 100, square feet x 0.0929, 坪/평 x 3.306, 亩 / 15); a
range gives its upper bound, 'une quinzaine' 15, 'more than 100' 100; 'dozens', '数十家' are no number.

The subject is the entity the figure is about, chosen from the entity mentions already in the
document (persons never; sources such as 'according to X' and names inside a person's title
never), in this order:

1. an entity named inside the number phrase ('29 West Michigan companies'), or right after an
   area/money phrase that describes it ('the 6,500 sq ft Business Innovation Centre North');
2. when the clause opens with an anaphor ('It ...', 'The company ...', '该项目 ...', '同社 ...'),
   the subject of the nearest earlier sentence that names a fitting entity;
3. the entity the sentence opens with ('Medbio is expected to invest $3.5 million'), else the
   closest one before the number, preferring an organisation over a place ('科技園公司在香港 ...
   三間獨角獸企業' -> the park company); a dateline is skipped, an enumeration after a colon
   ('208 Mitglieder: 6 ..., 12 ...') keeps the name before the colon, and mentions inside a
   parenthesis that closes before the number are skipped;
4. an entity introduced after the number by a locative preposition ('15 companies ... in the Bay
   State'), else the first organisation named after it (unless it is one of the items counted);
5. the subject of the nearest earlier sentence; else the entity named most often so far.

With a trained model (`bioatlas.learn.figure_model`) these rules become one feature of a ranker over
the entities named around the figure, and a second model may drop a candidate; without it, the rules
decide alone.

Figures repeated in the same text (a repeated paragraph, a translation) are reported once.
"""

from __future__ import annotations

import bisect
import math
import re
from dataclasses import dataclass, field

from bioatlas.extract.numbers import Amount, NumberMatch, find_amounts, find_numbers, fold_width
from bioatlas.model import Document, Entity, Figure, Paragraph
from bioatlas.text.sentences import sentence_spans

__all__ = [
    "FigureCandidate",
    "FigureContext",
    "extract_figures",
    "figure_candidates",
    "figures_in_text",
    "keep_features",
    "subject_options",
]

MONEY_UNITS = frozenset({"EUR", "USD", "CNY", "HKD"})
COUNT_UNITS = frozenset({"companies", "members", "jobs", "people", "researchers", "countries"})
EVIDENCE_MAX = 200

# --------------------------------------------------------------------------------------------
# Unit words after a number, Latin script (en, fr, de, nl; merged: the words do not collide)
# --------------------------------------------------------------------------------------------

_GAP_STOP = (
    r"of|the|a|an|and|or|per|percent|cent|procent|prozent|pour|from|in|on|at|to|for|with|by|than|as|is|are"
    r"|was|were|has|have|had|will|be|been|this|that|these|those|who|which|de|des|du|la|le|les|et|ou|à|au"
    r"|aux|en|dans|sur|par|d|l|qui|que|von|der|die|das|den|dem|im|mit|für|und|oder|pro|zu|zur|zum|bei|aus"
    r"|van|het|op|voor|met|tot|bij|uit|dat|die|years?|ans?|années?|jahren?|jahre|jaar|jaren|months?|mois"
    r"|monaten?|maanden?|weeks?|semaines?|wochen|weken|days?|jours?|tagen?|dagen|hours?|heures?|stunden"
    r"|uur|times|fois|mal|keer|largest|biggest|top|leading|best|größten|grössten|grootste|meisten|meeste"
    r"|most|plus|million|millions|billion|millionen|milliarden|miljoen|miljard|thousand|hundred|euros?"
    r"|dollars?|pounds?|points?"
)
_GAP_WORD = rf"(?:(?!(?:{_GAP_STOP})\b)[^\W\d_]+(?:[-'’][^\W\d_]+)*)"
_SP = r"[ \u00a0]"

_LATIN_UNITS: list[tuple[str, str]] = [
    (
        "members",
        (
            r"member\s+(?:companies|organi[sz]ations|firms|institutions)|members|membres|adhérents"
            r"|(?:[^\W\d_]+-)?(?:gründungs|neu|cluster|netzwerk|vereins|verbands)?mitglieder(?:n)?|mitgliedsunternehmen"
            r"|mitgliedsfirmen|mitgliedsorganisationen|leden|lidbedrijven|soci|membri|associati|aderenti"
        ),
    ),
    (
        "companies",
        (
            r"companies|firms|businesses|enterprises|start[- ]?ups|spin[- ]?offs|spin[- ]?outs|tenants"
            r"|organi[sz]ations|smes|biotechs|medtechs|manufacturers|subsidiaries|entreprises|sociétés|firmes"
            r"|pme|jeunes\s+pousses|locataires|filiales|[^\W\d_]*unternehmen|[^\W\d_]*firmen"
            r"|(?:tochter|beteiligungs|portfolio)?gesellschaften|kmu|betriebe|organisationen|mieter|ausgründungen|bedrijven|ondernemingen"
            r"|huurders|organisaties|kmo's|mkb-bedrijven|spin-offs|[^\W\d_]*bedrijven|multinationals|aziende|imprese"
            r"|società|startup|pmi"
        ),
    ),
    (
        "jobs",
        (
            r"jobs|positions|vacancies|emplois|postes|[^\W\d_]*arbeitsplätze|stellen|banen|arbeidsplaatsen"
            r"|vacatures|posti\s+di\s+lavoro|occupati"
        ),
    ),
    (
        "researchers",
        (
            r"researchers|scientists|research\s+staff|chercheurs|chercheuses|scientifiques|[^\W\d_]*forscher(?:innen)?"
            r"|forschende|[^\W\d_]*wissenschaftler(?:innen)?|onderzoekers|wetenschappers|ricercatori|scienziati"
        ),
    ),
    (
        "people",
        (
            r"people|persons|employees|staff|workers|attendees|visitors|participants|delegates|founders|students"
            r"|professionals|experts|personnes|employés|salariés|collaborateurs|visiteurs|fondateurs|étudiants"
            r"|personen|menschen|[^\W\d_]*mitarbeiter(?:innen|n)?|beschäftigte[n]?|besucher(?:innen)?"
            r"|teilnehmer(?:innen)?|gründer(?:innen)?|studierende|studenten|experten|mensen|medewerkers"
            r"|werknemers|bezoekers|deelnemers|oprichters|addetti|dipendenti|lavoratori|persone|(?:[^\W\d_]+-)?[^\W\d_]*mitarbeitende[n]?"
            r"|spezialisten|specialists|patients|patienten|patiënten|pazienti"
        ),
    ),
    ("countries", r"countries|nations|pays|ländern?|staaten|nationen|landen|naties|paesi|nazioni"),
    ("population", r"inhabitants|residents|habitants|einwohner(?:n|innen)?|inwoners|abitanti"),
    (
        "things",
        (
            r"projects|projets|projekte|progetti|projecten|floors|storeys|stories|étages|stockwerke|etagen"
            r"|verdiepingen|piani|plants|factories|usines|fabriken|werke|fabrieken|stabilimenti|laboratories|labs"
            r"|laboratoires|labore|laboratori|laboratoria|locations|locaties|standorte|sedi|sites|buildings"
            r"|bâtiments|gebäude|gebouwen|edifici|centres|centers|centri|zentren|parks|parcs|parchi|transactions"
            r"|investments|investissements|investitionen|investeringen|investimenti|groups|groupes|gruppen"
            r"|ambiti|domaines|bereiche|aktionsbereiche|fields|areas|hospitals|hôpitaux|kliniken|ospedali"
            r"|universities|universités|universitäten|università|universiteiten|memoranda|agreements|accords"
            r"|patents|brevets|patente|brevetti|octrooien|products|produits|produkte|prodotti|producten"
        ),
    ),
]
_LATIN_AREA: list[tuple[str, str]] = [
    ("sqft", r"sq\.?\s?ft\.?|sqft|square[\s-]+f(?:ee|oo)t|ft²|ft2\b|pieds\s+carrés"),
    (
        "km2",
        (
            r"km²|km2\b|sq\.?\s?km\b|square\s+kilomet(?:re|er)s?|quadratkilometern?|kilomètres?\s+carrés"
            r"|vierkante\s+kilometers?|chilometri\s+quadrati|kmq\b"
        ),
    ),
    (
        "m2",
        (
            r"m²|m2\b|sq\.?\s?m\b\.?|sqm\b|square\s+met(?:re|er)s?|mètres?\s+carrés|quadratmetern?|qm\b"
            r"|vierkante\s+meters?|metri\s+quadrati|mq\b"
        ),
    ),
    ("hectares", r"hectares?\b|ha\b|hektar\b|ettari\b|ettaro\b"),
    ("acres", r"acres?\b"),
]


def _group_alt(items: list[tuple[str, str]]) -> str:
    return "|".join(f"(?P<u_{name}>{pattern})" for name, pattern in items)


_LATIN_AFTER_RE = re.compile(
    rf"{_SP}*(?:-{_SP}*)?(?:{_group_alt(_LATIN_AREA)})"
    rf"|{_SP}+(?P<gap>(?:{_GAP_WORD}{_SP}+){{0,3}}?)(?:{_group_alt(_LATIN_UNITS)})(?![^\W\d_])",
    re.IGNORECASE,
)
# After 'une quinzaine d'' / 'una decina di' / 'a dozen' the noun follows at once.
_APPROX_OF_RE = re.compile(r"\s*(?:de|d['’]|di|of|van)?\s*", re.IGNORECASE)
_LATIN_AFTER_GLUED_RE = re.compile(
    rf"(?P<gap>(?:{_GAP_WORD}{_SP}+){{0,3}}?)(?:{_group_alt(_LATIN_UNITS)})(?![^\W\d_])",
    re.IGNORECASE,
)
# 'a staff of 50', 'employs 200', 'a membership of 300'
_LATIN_BEFORE: list[tuple[str, re.Pattern[str]]] = [
    ("people", re.compile(r"\b(?:staff|workforce|headcount|team)\s+of\s+$|\bemploy(?:s|ing)?\s+$", re.I)),
    ("members", re.compile(r"\bmembership\s+of\s+$|\bmitgliederzahl\s+(?:von\s+)?$", re.I)),
]

# --------------------------------------------------------------------------------------------
# Chinese, Japanese, Korean
# --------------------------------------------------------------------------------------------

_EA_GAP = r"[^。!?;;,,\n0-9]"
_EA_MORE = r"(?:多|余|餘|여)?\s*"
_EA_COMPANY_NOUN = (
    r"企业|企業|公司|药企|藥企|医企|醫企|机构|機構|厂商|廠商|厂家|廠家|初创|初創|新创|新創|单位|單位|药厂|藥廠"
)
_EA_PEOPLE_NOUN = (
    r"员工|員工|人才|人员|人員|专家|專家|雇员|僱員|博士|学生|學生|代表|职工|職工|工程师|工程師|従業員|社員|職員"
    r"|参加者|參加者|访客|訪客|游客|遊客|学者|學者|团员|團員|成員|从业人员|從業人員"
)
_EA_RESEARCH_NOUN = (
    r"研究人员|研究人員|科研人员|科研人員|研究人才|科研人才|研发人员|研發人員|科学家|科學家|研究员|研究員|研究者"
    r"|研发人才|研發人才"
)
_EA_UNITS: list[tuple[str, str]] = [
    ("hectares", r"\s*(?:公顷|公頃|ヘクタール|헥타르|ha\b|hectares?)"),
    ("sqft", r"\s*(?:平方呎|平方英尺|平方英呎)"),
    ("km2", r"\s*(?:平方公里|平方千米|平方キロメートル|平方キロ|제곱킬로미터|km²|km2\b)"),
    ("m2", r"\s*(?:平方米|平米|平方公尺|平方メートル|제곱미터|㎡|m²|m2\b)"),
    ("ping", r"\s*(?:坪|평(?![가균화택방창양일생등소]))"),
    ("mu", r"\s*(?:亩|畝)"),
    (
        "members",
        (
            rf"{_EA_MORE}(?:家|个|個|名|位|社)?{_EA_GAP}{{0,6}}?(?:会员|會員|会員|成员单位|成員單位)"
            rf"|{_EA_MORE}(?:개|명)의?\s*(?:회원사|회원)"
        ),
    ),
    (
        "companies",
        (
            rf"{_EA_MORE}(?:家|间|間|户|戶){_EA_GAP}{{0,40}}?(?:{_EA_COMPANY_NOUN})"
            rf"|{_EA_MORE}(?:个|個)(?!国家|國家){_EA_GAP}{{0,10}}?(?:企业|企業|公司)"
            rf"|の(?:機関|企業|団体)"
            rf"|{_EA_MORE}社(?![員员長长会會内內外名区區団團是説說友交屋宅])"
            rf"|{_EA_MORE}(?:개사|개\s*(?:의\s*)?(?:[가-힣]+\s){{0,2}}?[가-힣]*(?:기업|업체|회사|스타트업|벤처))"
        ),
    ),
    (
        "jobs",
        (
            rf"{_EA_MORE}(?:个|個|份)?{_EA_GAP}{{0,6}}?(?:就业岗位|就業崗位|工作岗位|工作崗位|就业机会|就業機會"
            rf"|工作机会|工作機會|岗位|崗位|职位|職位)"
            rf"|{_EA_MORE}人分?(?:の|を)(?:新規)?(?:雇用|就業)"
            rf"|{_EA_MORE}(?:개|명)의?\s*(?:신규\s*)?(?:일자리|고용)"
        ),
    ),
    (
        "researchers",
        (
            rf"{_EA_MORE}(?:名|位|个|個|人)?{_EA_GAP}{{0,8}}?(?:{_EA_RESEARCH_NOUN})"
            rf"|{_EA_MORE}명의?\s*(?:연구원|연구자|연구\s*인력|과학자)"
        ),
    ),
    (
        "people",
        (
            rf"{_EA_MORE}(?:名|位){_EA_GAP}{{0,8}}?(?:{_EA_PEOPLE_NOUN})"
            rf"|{_EA_MORE}(?P<bare_ren>人)(?![民口次均才工造体體类類间間士生格性物气氣形権權文员員手們们家事選选])"
            rf"|{_EA_MORE}(?P<bare_ming>名)(?=[、。,,;;::)\s]|の|が|は|を|で|と|に|$)"
            rf"|{_EA_MORE}(?P<bare_myeong>명)(?![단예])"
        ),
    ),
    (
        "countries",
        (
            rf"{_EA_MORE}(?:个|個)(?:国家|國家)|{_EA_MORE}(?:个|個)?(?:国家和地区|國家和地區|國家/地區|国家/地区"
            rf"|國家及地區|国家及地区|国家或地区|國家或地區)|(?:か国|カ国|ヶ国|ヵ国|ケ国|箇国)|{_EA_MORE}개국"
            rf"|{_EA_MORE}개\s*(?:나라|국가)"
        ),
    ),
    (
        "things",
        (
            rf"{_EA_MORE}(?:(?:个|個|项|項|件|家){_EA_GAP}{{0,20}}?)?(?:产业化项目|項目|项目|投資申請案|增資案|計畫案|计划|計畫)"
            rf"|{_EA_MORE}(?:棟|カ所|か所|ヶ所|ヵ所|箇所|拠点)|{_EA_MORE}(?:階建て|層樓|层楼|층)"
            rf"|{_EA_MORE}(?:股(?![份东東权權票价價])|(?<=만)주(?![가-힣]))"
            rf"|{_EA_MORE}(?:개의?|곳의?)\s*(?:[가-힣]+\s)?(?:연구소|생산공장|공장|현지법인|법인|클러스터|센터|지식재산권|특허"
            rf"|프로젝트|과제)"
            rf"|(?:つの|個の)(?:クラスター|拠点|施設|研究所|工場|プロジェクト)"
            rf"|(?:大|类|類)(?:[^\W\d]{{0,6}}?)(?:产业集群|產業集群|产业|產業|集群|平台|孵化器|中心|基地|领域|領域)"
            rf"|(?:个|個|间|間)(?:创新园|創新園|园区|園區|孵化器|中心|平台|阶段|階段)"
            rf"|(?:场|場)(?:一对一|一對一)?[^\W\d]{{0,4}}(?:会议|會議|活动|活動)"
        ),
    ),
]
_EA_AFTER_RE = re.compile(_group_alt(_EA_UNITS), re.IGNORECASE)

_EA_FILLER = (
    r"(?:数量|數量|总数|總數|家数|家數|数|數|人数|人數|총수|수)?"
    r"(?:已经|已經|已|达到|達到|达|達|共|有|为|為|是|は|が|も|の|는|은|가|이|:|:|\s)*"
)
_EA_BEFORE: list[tuple[str, re.Pattern[str], re.Pattern[str]]] = [
    (
        "members",
        re.compile(rf"(?:会员|會員|会員|成员|成員|회원사|회원)(?:单位|單位|企业|企業)?{_EA_FILLER}$"),
        re.compile(r"\s*(?:家|个|個|名|位|社|곳|개사|개|명)"),
    ),
    (
        "researchers",
        re.compile(rf"(?:{_EA_RESEARCH_NOUN}|연구원|연구자|연구\s*인력|과학자){_EA_FILLER}$"),
        re.compile(r"\s*(?:名|人|位|명)"),
    ),
    (
        "jobs",
        re.compile(
            rf"(?:就业岗位|就業崗位|岗位|崗位|带动就业|帶動就業|新增就业|新增就業|雇用(?:創出)?|일자리|고용)"
            rf"{_EA_FILLER}$"
        ),
        re.compile(r"\s*(?:个|個|人|개|명)?"),
    ),
    (
        "things",
        re.compile(rf"(?:项目|項目|프로젝트){_EA_FILLER}$"),
        re.compile(r"\s*(?:个|個|项|項|件|개)"),
    ),
    (
        "companies",
        re.compile(rf"(?:{_EA_COMPANY_NOUN}|企業・団体|団体|기업|업체|회사|스타트업){_EA_FILLER}$"),
        re.compile(r"\s*(?:家|间|間|户|戶|社|곳|개사|개)"),
    ),
]
# Qualifiers written after the unit: '100人以上', '80개 이상', '100人左右'.
_POST_QUALIFIER_RE = re.compile(
    r"\s*(?P<more>以上|이상|余り|あまり|남짓|or\s+more|et\s+plus|und\s+mehr|of\s+meer)"
    r"|\s*(?P<about>左右|前後|程度|ほど|가량|정도|안팎)"
    r"|\s*(?P<less>以下|未満|이하|미만)"
)

# --------------------------------------------------------------------------------------------
# Glosses for `what`
# --------------------------------------------------------------------------------------------

_GLOSSES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"start|spin|jeunes\s+pousses|ausgründ|初创|初創|新创|新創|스타트업", re.I), "start-ups"),
    (re.compile(r"tenant|locataire|mieter|huurder", re.I), "tenant companies"),
    (re.compile(r"\bsmes\b|\bpme\b|\bkmu\b|kmo", re.I), "SMEs"),
    (re.compile(r"tochter|subsidiar|filiale", re.I), "subsidiaries"),
    (re.compile(r"manufactur", re.I), "manufacturers"),
    (re.compile(r"organi[sz]ation|organisaties|机构|機構|단체|団体", re.I), "organisations"),
    (re.compile(r"gründungsmitglied|founding", re.I), "founding members"),
    (
        re.compile(
            r"employ|staff|worker|salarié|collaborat|mitarbeiter|beschäftigt|medewerker|werknemer|员工"
            r"|員工|职工|職工|従業員|社員|職員|직원",
            re.I,
        ),
        "employees",
    ),
    (re.compile(r"visit|besucher|bezoeker|访客|訪客|游客|遊客", re.I), "visitors"),
    (re.compile(r"attendee|participant|teilnehmer|deelnemer|参加者|參加者", re.I), "participants"),
    (re.compile(r"founder|fondateur|gründer|oprichter", re.I), "founders"),
    (re.compile(r"student|étudiant|studierende|学生|學生", re.I), "students"),
    (re.compile(r"delegate|代表", re.I), "delegates"),
    (re.compile(r"expert|专家|專家", re.I), "experts"),
    (re.compile(r"人才", re.I), "talents"),
]
_NEW_RE = re.compile(r"\bnew\b|nouveaux|nouvelles|nouveau|\bneue[n]?\b|nieuwe|新|신규", re.I)
_UNIT_GLOSS = {
    "companies": "companies",
    "members": "members",
    "jobs": "jobs",
    "people": "people",
    "researchers": "researchers",
    "countries": "countries",
    "hectares": "site area, hectares",
    "m2": "floor area, m²",
    "sqft": "floor area, m² (from square feet)",
    "km2": "site area, hectares (from km²)",
    "acres": "site area, hectares (from acres)",
    "ping": "floor area, m² (from 坪/평)",
    "mu": "site area, hectares (from 亩)",
    "population": "inhabitants",
}

# --------------------------------------------------------------------------------------------
# Money context
# --------------------------------------------------------------------------------------------

# Amounts raised in a funding round, grants and loans belong to events, not to figures.
_FUNDING_RE = re.compile(
    r"\binvest(?:ment|ition|issement|ering)?\s+(?:für|for|in|into|dans|in\s+de)\s+"
    r"(?:die\s+|the\s+|la\s+|le\s+|l['’]|de\s+)?"
    r"(?:firma|company|société|start-?up|biotech|unternehmen|entreprise|bedrijf)\b"
    r"|\brais(?:e|es|ed|ing)\b|\bfunding\b|\bfinancing\b|\bseed\b|\bseries\s+[a-e]\b|\bround\b|\bgrants?\b"
    r"|\bloans?\b|\bipo\b|\bcapital\s+increase|\breceived\b|\bbacked\b|\blev(?:é|ée|ées|er|era|ait)\b|\blève\b"
    r"|\blevée|tour\s+de\s+table|financement|subvention|\bprêt|augment\w*\s+(?:de\s+|son\s+)?(?:son\s+)?capital"
    r"|\breçu|\bobtenu|finanzierung|förder|sammel|eingesammelt|kapitalerhöhung|zuschuss|darlehen|erhielt"
    r"|\berhalten\b|financiering|opgehaald|haalt|haalde|subsidie|lening|ontving|ontvangen"
    r"|融资|融資|募资|募資|筹资|籌資|补贴|補貼|资助|資助|贷款|貸款|調達|増資|融資|出資|出资|助成|補助"
    r"|투자\s*유치|유치|펀딩|시리즈|보조금|지원금|대출",
    re.IGNORECASE,
)
# Market sizes are not figures about an entity.
_MARKET_RE = re.compile(r"\bmarkets?\b|\bmarché|\bmarkt|市场规模|市場規模|市场|市場|시장", re.IGNORECASE)
_PRICE_AFTER_RE = re.compile(
    r"\s*(?:per|par|pro|je|/|a)\s*(?:share|action|aktie|aandeel|month|year|jahr|an)\b",
    re.IGNORECASE,
)
_MONEY_KIND: list[tuple[re.Pattern[str], str]] = [
    (
        re.compile(
            r"invest|investissement|investit|investi\b|investition|investering|investeer|投资|投資|투자",
            re.IGNORECASE,
        ),
        "investment",
    ),
    (re.compile(r"\bcosts?\b|coût|kosten|事業費|费用|費用|成本|造价|造價|비용|사업비", re.I), "cost"),
    (re.compile(r"budget|预算|預算|予算|예산", re.I), "budget"),
    (
        re.compile(
            r"revenue|sales|turnover|chiffre\s+d.affaires|umsatz|omzet|营收|營收|营业额|營業額|売上|매출",
            re.IGNORECASE,
        ),
        "revenue",
    ),
]

# --------------------------------------------------------------------------------------------
# Sentences
# --------------------------------------------------------------------------------------------


# --------------------------------------------------------------------------------------------
# Entity mentions and subjects
# --------------------------------------------------------------------------------------------

_LOCATIVE_RE = re.compile(
    r"(?:\b(?:in|at|im|am|à|au|aux|dans|en|op|bij|te|within|inside|auf)\s+(?:(?:the|la|le|les|l'|l’|de|het|der"
    r"|dem|den|des)\s*)?|[在于於位])$",
    re.IGNORECASE,
)
# Who is quoted or cited is not what the figure is about: 'according to X', 'X said', 'X によると'.
_CITED_BEFORE_RE = re.compile(r"(?:according\s+to|selon|laut|volgens|据|據)\s*(?:the\s+)?$", re.IGNORECASE)
_CITED_AFTER_RE = re.compile(
    r"\s*(?:さん)?(?:によると|よると|によれば|said|says|told|announced|zufolge|表示|称|稱|指出)",
    re.IGNORECASE,
)
# A dateline opening the text: 'Planegg (dpa/lby) - ', '台灣網9月28日廣州訊 ', 'BEIJING, May 3 (Xinhua) -- '.
_DATELINE_RE = re.compile(
    r"\s*[^\s(]{1,40}(?:\s+[^\s(]{1,20}){0,2}\s*\([^)]{1,30}\)\s*[-–—]+\s*"
    r"|\s*\S{0,20}?\d{1,2}月\d{1,2}日\S{0,10}?[訊讯电電]\s*"
)
_ANAPHOR_COMPANY = (
    r"\b(?:the|this|that)\s+(?:company|firm|group|business|start-?up|biotech|manufacturer)\b"
    r"|\b(?:l['’]entreprise|la\s+société|la\s+biotech|la\s+start-?up|le\s+groupe|cette\s+entreprise)\b"
    r"|\b(?:das|dieses)\s+(?:unternehmen|start-?up)\b|\bdie\s+firma\b|\b(?:het|dit)\s+bedrijf\b"
    r"|该公司|該公司|该企业|該企業|同社|이\s*회사|해당\s*기업"
)
_ANAPHOR_FACILITY = (
    r"\b(?:the|this|that)\s+(?:facility|centre|center|park|campus|site|building|project|hub|cluster|incubator"
    r"|plant|zone|development)\b"
    r"|\b(?:le|ce)\s+(?:site|projet|parc|campus|bâtiment|centre|pôle|cluster)\b"
    r"|\b(?:das|dieses)\s+(?:gebäude|zentrum|projekt)\b|\b(?:der|dieser)\s+(?:standort|campus|park|cluster)\b"
    r"|\b(?:het|dit)\s+(?:gebouw|park|project|centrum|campus)\b"
    r"|该项目|該項目|该园区|該園區|该中心|該中心|该基地|該基地|本项目|本項目|整个园区|整個園區|同園|同施設|同センター"
)
_ANAPHOR_GENERIC = r"\b(?:it|they|il|elle|ils|elles|es|er|sie|hij|zij|ze)\b|该|該|其|它|这|這|此"
_ANAPHOR_RE = re.compile(
    rf"(?P<company>{_ANAPHOR_COMPANY})|(?P<facility>{_ANAPHOR_FACILITY})|(?P<generic>{_ANAPHOR_GENERIC})",
    re.IGNORECASE,
)
_MONEY_FOR_RE = re.compile(
    r"\s*(?:(?:investment|funding|financing|round|grant|loan|d['’]investissement|de\s+financement)\s+)?"
    r"(?:for|into|pour|für|voor|in\s+de|in\s+die|dans)\s+(?:the\s+|la\s+|le\s+|l['’]|die\s+|den\s+|het\s+|de\s+)?",
    re.IGNORECASE,
)
_ENUM_COLON_RE = re.compile(r"[0-9][^:：]{0,40}[:：]\s*$")
_ORG_TYPES = frozenset({"company", "park", "cluster", "research", "alliance"})
_PLACE_LIKE = frozenset({"place", "park", "cluster", "research", "agency"})
_ITEMS_RE = re.compile(
    r"\b(?:including|include|includes|such\s+as|namely|like|are|were|sont|dont|comme|notamment|sind|darunter"
    r"|wie|zijn|waaronder|zoals)\b|[:：]|包括|如|例如|包含|含む|など",
    re.IGNORECASE,
)
_WANTED = {
    "company": frozenset({"company", "investor"}),
    "facility": frozenset({"park", "cluster", "research", "company", "alliance"}),
    "generic": frozenset(
        {"company", "park", "cluster", "research", "alliance", "agency", "investor", "place"},
    ),
}


_TITLE_BREAK_RE = re.compile(r"[,，。;；.!?！？\n]|\s(?:and|und|et|en|with|mit|avec|met)\s")
_OPENERS_RE = re.compile(r"[\s\"'“”‘’「『«(—–-]*")


def _blank(text: str) -> bool:
    """Nothing but spaces, quotes and dashes: what may come before the first word of a sentence."""
    return _OPENERS_RE.fullmatch(text) is not None


@dataclass(slots=True)
class _Mention:
    start: int
    end: int
    entity: Entity


class _Mentions:
    """Entity mentions of a document, sorted, nested ones dropped, for position queries."""

    def __init__(self, entities: list[Entity], text_len: int) -> None:
        raw = [
            _Mention(m.start, m.end, e)
            for e in entities
            if e.type != "person"
            for m in e.mentions
            if 0 <= m.start < m.end <= text_len
        ]
        raw.sort(key=lambda m: (m.start, -(m.end - m.start)))
        kept: list[_Mention] = []
        for m in raw:
            if kept and m.start < kept[-1].end:
                continue  # nested in (or overlapping) a longer mention that starts earlier
            kept.append(m)
        self.items = kept
        self.starts = [m.start for m in kept]
        self.person_starts = sorted(
            m.start for e in entities if e.type == "person" for m in e.mentions if 0 <= m.start < text_len
        )

    def person_near(self, a: int, b: int) -> int | None:
        """Start of the first person mention in [a, b), if any."""
        i = bisect.bisect_left(self.person_starts, a)
        if i < len(self.person_starts) and self.person_starts[i] < b:
            return self.person_starts[i]
        return None

    def between(self, a: int, b: int) -> list[_Mention]:
        i = bisect.bisect_left(self.starts, a)
        out = []
        while i < len(self.items) and self.items[i].start < b:
            if self.items[i].end <= b:
                out.append(self.items[i])
            i += 1
        return out


def _inside_other_paren(text: str, sent_start: int, mention: _Mention, num_start: int) -> bool:
    """True when the mention sits in a parenthesis that closes before the number."""
    head = text[sent_start : mention.start]
    depth = head.count("(") + head.count("（") - head.count(")") - head.count("）")
    if depth <= 0:
        return False
    between = text[mention.end : num_start]
    return ")" in between or "）" in between


@dataclass(slots=True)
class FigureContext:
    text: str
    mentions: _Mentions
    sentences: list[tuple[int, int]]  # every sentence of the document, in order
    sentence_starts: list[int]
    paragraph_of: list[int]  # paragraph index of each sentence
    languages: list[str | None] = field(default_factory=list)  # language of each paragraph


def _heads(text: str, mentions: list[_Mention]) -> list[_Mention]:
    """Collapse runs of adjacent mentions to their last one: '苏州生物医药产业园(BioBAY)三期B区' -> '三期B区'.

    An alias in brackets right after a name ('(BioBAY)') is part of that name; a place name that
    follows another name is a modifier ('臺北市生物産業協會廣州經貿考察團') and does not take over."""
    out: list[_Mention] = []
    reach = -1  # where the last kept name ends, its bracketed alias included
    for m in mentions:
        if out:
            gap = text[reach : m.start]
            if gap in ("(", "（") and text[m.end : m.end + 1] in (")", "）"):
                reach = m.end + 1
                continue
            joined = (len(gap) <= 1 and not gap.strip(" -·")) or _BRACKETS_RE.fullmatch(gap)
            if joined and m.entity.type != "place":
                out[-1] = m
                reach = m.end
                continue
        out.append(m)
        reach = m.end
    return out


_BRACKETS_RE = re.compile(r"\s*[(（][^()（）]{0,40}[)）]\s*")


def _clause_start(text: str, ss: int, ps: int) -> tuple[int, int]:
    """(start, end) of the stretch before position `ps` where its subject should be named.

    Starts after a dateline, and after a colon that opens a new statement; ends at a colon that
    opens an enumeration ('208 members: 6 founding members, 4 large companies, ...'), so every item
    of the enumeration gets the subject named before it."""
    start = ss
    dm = _DATELINE_RE.match(text, ss, ps)
    if dm and dm.end() <= ps:
        start = dm.end()
    for m in re.finditer(r"[:：]", text[start:ps]):
        colon = start + m.start()
        if _ENUM_COLON_RE.search(text, ss, colon + 1):
            return start, colon
        start = colon + 1
    return start, ps


def _usable(ctx: FigureContext, m: _Mention, lo: int, hi: int) -> bool:
    """False for a mention that names a source ('according to X') or sits in a person's title
    ('园区党工委副书记林小明', 'MassMEDIC CEO Tom Sommer')."""
    text = ctx.text
    if _CITED_AFTER_RE.match(text, m.end, hi):
        return False
    person = ctx.mentions.person_near(m.end, min(hi, m.end + 16))
    if person is not None and not _TITLE_BREAK_RE.search(text, m.end, person):
        return False
    return not _CITED_BEFORE_RE.search(text, max(lo, m.start - 16), m.start)


def _sentence_subject(ctx: FigureContext, j: int, wanted: frozenset[str]) -> _Mention | None:
    a, b = ctx.sentences[j]
    found = [m for m in _heads(ctx.text, ctx.mentions.between(a, b)) if _usable(ctx, m, a, b)]
    if found and found[0].entity.type in _ORG_TYPES and _blank(ctx.text[a : found[0].start]):
        return found[0]  # the sentence opens with it
    found = [m for m in found if m.entity.type in wanted]
    if not found:
        return None
    non_place = [m for m in found if m.entity.type != "place"]
    return non_place[0] if non_place else found[0]


def _previous_subject(ctx: FigureContext, si: int, wanted: frozenset[str]) -> str | None:
    for j in range(si - 1, max(-1, si - 10), -1):
        m = _sentence_subject(ctx, j, wanted)
        if m is not None:
            return m.entity.id
    return None


def _salient(ctx: FigureContext, pos: int) -> str | None:
    """The entity named most often before `pos`, or in the whole text if none is named before it
    (organisations before places)."""
    counts: dict[str, int] = {}
    kinds: dict[str, str] = {}
    for m in ctx.mentions.items:
        if m.start >= pos and counts:
            break
        if not _usable(ctx, m, max(0, m.start - 20), m.end + 40):
            continue
        counts[m.entity.id] = counts.get(m.entity.id, 0) + 1
        kinds[m.entity.id] = m.entity.type
    if not counts:
        return None
    return max(counts, key=lambda k: (kinds[k] != "place", counts[k]))


def _subject(
    ctx: FigureContext,
    ps: int,
    pe: int,
    inner: tuple[int, int] | None,
    si: int,
    unit: str,
) -> str | None:
    text = ctx.text
    ss, se = ctx.sentences[si]
    if inner is not None:
        inside = ctx.mentions.between(inner[0], inner[1])
        if inside:
            return inside[-1].entity.id
    # 'The 6,500 sq. ft. Business Innovation Centre North': the phrase describes what follows it
    following = ctx.mentions.between(pe, min(se, pe + 80))
    if following and following[0].start - pe <= 1 and unit not in COUNT_UNITS:
        return _heads(text, following)[0].entity.id
    # '$21m round for CartiHeal', '30 millions d'euros pour Medicago': the money goes to the one named after it
    if following and (unit in MONEY_UNITS or unit == "other") and following[0].entity.type in _ORG_TYPES:
        if _MONEY_FOR_RE.fullmatch(text, pe, following[0].start):
            return following[0].entity.id
    cs, ce = _clause_start(text, ss, ps)
    before = [
        m
        for m in _heads(text, ctx.mentions.between(cs, ce))
        if not _inside_other_paren(text, cs, m, ps) and _usable(ctx, m, cs, se)
    ]
    # an anaphor opening the clause ('该项目位于…'), or after the last candidate ('Based in Galway, the
    # company employs ...'): the subject was named in an earlier sentence
    ana = None
    for am in _ANAPHOR_RE.finditer(text, cs, ps):
        opening = _blank(text[cs : am.start()])
        if opening or (am.lastgroup != "generic" and (not before or am.start() > before[-1].end)):
            ana = am
            break
    if ana is not None:
        found = _previous_subject(ctx, si, _WANTED[ana.lastgroup or "generic"])
        if found is not None:
            return found
    if before:
        first = before[0]
        if first.entity.type != "place" and _blank(text[cs : first.start]):
            return first.entity.id  # the sentence opens with it: it is what the sentence is about
        closest = before[-1]
        if closest.entity.type == "place":
            non_place = [m for m in before if m.entity.type != "place"]
            if non_place:
                return non_place[-1].entity.id
        return closest.entity.id
    after = [m for m in ctx.mentions.between(pe, se) if _usable(ctx, m, pe, se)]
    for m in after:
        if m.entity.type in _PLACE_LIKE and _LOCATIVE_RE.search(text, max(pe, m.start - 12), m.start):
            return m.entity.id
    for m in after:
        # names listed after a count ('five tenants are A, B and C', 'including A') are its items
        if _ITEMS_RE.search(text, pe, m.start):
            break
        if m.entity.type in _ORG_TYPES:
            return m.entity.id
    return _previous_subject(ctx, si, _WANTED["generic"]) or _salient(ctx, ps)


# --------------------------------------------------------------------------------------------
# What the learned subject model reads: candidate entities of a figure, with features
# --------------------------------------------------------------------------------------------

OPTION_SENTENCES = 3  # entities named up to this many sentences before the figure are candidates
_UNIT_GROUP = {
    "companies": "orgs",
    "members": "orgs",
    "jobs": "staff",
    "people": "staff",
    "researchers": "staff",
    "countries": "countries",
    "hectares": "area",
    "m2": "area",
    "other": "other",
}
_CLAUSE_MARK_RE = re.compile(r"[,;:，；：、()（）]|\s[-–—]\s|\b(?:and|und|et|en|e|while|which|who|où|dont|wo)\b", re.I)
_POSSESSIVE_RE = re.compile(r"^(?:['’]s?\b|的|の|의|\s+(?:has|have|had|hat|hatte|a|avait|heeft|ha|owns|with))", re.I)
_TOPIC_RE = re.compile(r"^(?:は|が|も|에는|에서|은|는|이|가|에|に|で|では|には|有|拥有|擁有|共有|现有|現有|目前)")
_WORD_RE = re.compile(r"[^\W\d_]+|[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]", re.UNICODE)


def unit_group(unit: str) -> str:
    if unit in MONEY_UNITS:
        return "money"
    return _UNIT_GROUP.get(unit, "other")


def _script(lang: str | None) -> str:
    key = (lang or "").split("-")[0]
    return key if key in ("zh", "ja", "ko") else "latin"


def _bucket(n: float, edges: tuple[float, ...]) -> int:
    return next((i for i, e in enumerate(edges) if n <= e), len(edges))


def subject_options(ctx: FigureContext, c: FigureCandidate) -> list[tuple[str, dict[str, float]]]:
    """(entity id, features) for every entity the figure may be about: those named in its sentence and
    the OPTION_SENTENCES before it, the rules' choice, the previous sentence's subject, the page's main entity."""
    text = ctx.text
    si = c.sentence
    ss, se = ctx.sentences[si]
    lo = ctx.sentences[max(0, si - OPTION_SENTENCES)][0]
    near = [m for m in ctx.mentions.between(lo, se)]
    previous = _previous_subject(ctx, si, _WANTED["generic"])
    salient = _salient(ctx, c.start)
    counts: dict[str, int] = {}
    first_seen: dict[str, int] = {}
    for m in ctx.mentions.items:
        counts[m.entity.id] = counts.get(m.entity.id, 0) + 1
        first_seen.setdefault(m.entity.id, m.start)
    top = max(counts.values()) if counts else 0
    wanted: dict[str, Entity] = {m.entity.id: m.entity for m in near}
    for extra in (c.rule_subject, previous, salient):
        if extra is not None and extra not in wanted:
            hit = next((m.entity for m in ctx.mentions.items if m.entity.id == extra), None)
            if hit is not None:
                wanted[extra] = hit
    group = unit_group(c.unit)
    script = _script(ctx.languages[ctx.paragraph_of[si]] if ctx.languages else None)
    cs, _ = _clause_start(text, ss, c.start)
    in_sentence = [m for m in near if m.start >= ss]
    sentence_entities = len({m.entity.id for m in in_sentence})
    ana = _ANAPHOR_RE.search(text, cs, c.start)
    ana_kind = ana.lastgroup if ana else "none"
    options: list[tuple[str, dict[str, float]]] = []
    for eid, entity in wanted.items():
        mine = [m for m in near if m.entity.id == eid]
        f: dict[str, float] = {}
        kind = entity.type

        f[f"type={kind}"] = 1.0
        f[f"type*group={kind}*{group}"] = 1.0
        f[f"type*unit={kind}*{c.unit}"] = 1.0
        f[f"script*type={script}*{kind}"] = 1.0
        relation = "far"
        inside = c.inner is not None and any(c.inner[0] <= m.start < c.inner[1] for m in mine)
        right_after = any(0 <= m.start - c.end <= 1 for m in mine)
        before_same = [m for m in mine if ss <= m.start and m.end <= c.start]
        after_same = [m for m in mine if m.start >= c.end and m.end <= se]
        earlier = [m for m in mine if m.end <= ss]
        if inside:
            relation = "inside"
        elif right_after:
            relation = "right_after"
        elif before_same:
            relation = "before"
        elif after_same:
            relation = "after"
        elif earlier:
            k = si - _sentence_index(ctx.sentence_starts, earlier[-1].start)
            relation = f"prev{min(k, OPTION_SENTENCES)}"
        f[f"rel={relation}"] = 1.0
        f[f"rel*type={relation}*{kind}"] = 1.0
        f[f"rel*group={relation}*{group}"] = 1.0
        f[f"rel*script={relation}*{script}"] = 1.0
        if before_same:
            m = before_same[-1]
            gap = text[m.end : c.start]
            dist = len(gap)
            f[f"before_dist={_bucket(dist, (3, 10, 25, 60, 120))}"] = 1.0
            others = {x.entity.id for x in in_sentence if m.end <= x.start and x.end <= c.start and x.entity.id != eid}
            f[f"before_rank={min(len(others), 3)}"] = 1.0
            if not _CLAUSE_MARK_RE.search(gap):
                f["before_same_clause"] = 1.0
                f[f"before_same_clause*type={kind}"] = 1.0
            if _blank(text[ss : before_same[0].start]) or _blank(text[cs : before_same[0].start]):
                f["opens_sentence"] = 1.0
                f[f"opens_sentence*type={kind}"] = 1.0
            if before_same[0].start >= cs:
                f["in_clause"] = 1.0
            if _POSSESSIVE_RE.match(text[m.end : m.end + 8]):
                f["possessive"] = 1.0
            if _TOPIC_RE.match(text[m.end : m.end + 3]):
                f["topic"] = 1.0
                f[f"topic*script={script}"] = 1.0
            if not _usable(ctx, m, ss, se):
                f["cited"] = 1.0
            if _inside_other_paren(text, ss, m, c.start):
                f["in_closed_paren"] = 1.0
            words = _WORD_RE.findall(text[max(ss, m.start - 12) : m.start])
            if words:
                f[f"word_before={words[-1].lower()}"] = 1.0
            words = _WORD_RE.findall(text[m.end : min(c.start, m.end + 12)])
            if words:
                f[f"word_after={words[0].lower()}"] = 1.0
        if after_same:
            m = after_same[0]
            dist = m.start - c.end
            f[f"after_dist={_bucket(dist, (3, 10, 25, 60, 120))}"] = 1.0
            if not _CLAUSE_MARK_RE.search(text[c.end : m.start]):
                f["after_same_clause"] = 1.0
            if _LOCATIVE_RE.search(text, max(c.end, m.start - 12), m.start):
                f["after_locative"] = 1.0
                f[f"after_locative*type={kind}"] = 1.0
            if _ITEMS_RE.search(text, c.end, m.start):
                f["after_items"] = 1.0
            words = _WORD_RE.findall(text[max(c.end, m.start - 12) : m.start])
            if words:
                f[f"after_word_before={words[-1].lower()}"] = 1.0
        if eid == c.rule_subject:
            f["rule"] = 1.0
            f[f"rule*rel={relation}"] = 1.0
        if eid == previous:
            f["previous_subject"] = 1.0
            f[f"previous_subject*ana={ana_kind}"] = 1.0
        if eid == salient:
            f["salient"] = 1.0
        if counts.get(eid, 0) == top:
            f["most_named"] = 1.0
        f["log_count"] = math.log1p(counts.get(eid, 0))
        if first_seen.get(eid, 1 << 30) < ctx.sentences[min(1, len(ctx.sentences) - 1)][1]:
            f["in_first_sentences"] = 1.0
        f[f"ana={ana_kind}*type={kind}*rel={relation[:4]}"] = 1.0
        f[f"n_entities={min(sentence_entities, 4)}*rel={relation[:4]}"] = 1.0
        options.append((eid, f))
    return options


_FUNDING_HINT_RE = _FUNDING_RE


def keep_features(ctx: FigureContext, c: FigureCandidate, subject_score: float | None) -> dict[str, float]:
    """What the learned keep/drop decision reads about a candidate figure."""
    text = ctx.text
    ss, se = ctx.sentences[c.sentence]
    script = _script(ctx.languages[ctx.paragraph_of[c.sentence]] if ctx.languages else None)
    f: dict[str, float] = {"bias_unit=" + c.unit: 1.0, "kind=" + c.kind: 1.0, "script=" + script: 1.0}
    f[f"kind*script={c.kind}*{script}"] = 1.0
    f["number=" + c.number_kind] = 1.0
    f["qualifier=" + (c.qualifier or "none")] = 1.0
    f[f"magnitude={_bucket(abs(c.value), (3, 10, 100, 1000, 1e4, 1e6, 1e8, 1e10))}"] = 1.0
    if c.kind == "things":
        words = _WORD_RE.findall(c.phrase)
        if words:
            f["thing=" + words[-1].lower()] = 1.0
            f["thing_first=" + words[0].lower()] = 1.0
    clause = text[max(ss, c.start - 60) : min(se, c.end + 60)]
    if _FUNDING_HINT_RE.search(clause):
        f["funding_context"] = 1.0
    if c.sentence == 0:
        f["first_sentence"] = 1.0
    before = _WORD_RE.findall(text[max(ss, c.start - 16) : c.start])
    if before:
        f["word_before=" + before[-1].lower()] = 1.0
    entities_near = ctx.mentions.between(ss, se)
    f["sentence_has_entity"] = 1.0 if entities_near else 0.0
    if subject_score is not None:
        f["subject_score"] = subject_score
    else:
        f["no_subject"] = 1.0
    return f


# --------------------------------------------------------------------------------------------
# Evidence and descriptions
# --------------------------------------------------------------------------------------------

_TRIM_RE = re.compile(r"^[\s,;:,;:、]+|[\s,;:,;:、]+$")
_CLAUSE_SPLIT_RE = re.compile(r"[,;:,;:、]\s*")


def _evidence(text: str, ss: int, se: int, ps: int, pe: int) -> str:
    sent = text[ss:se].strip()
    if len(sent) <= EVIDENCE_MAX:
        return sent
    # grow from the clause holding the number until the next clause would not fit
    cuts = [ss] + [m.end() for m in _CLAUSE_SPLIT_RE.finditer(text, ss, se)] + [se]
    i = max(k for k in range(len(cuts) - 1) if cuts[k] <= ps)
    j = i + 1
    while j < len(cuts) - 1 and cuts[j] < pe:
        j += 1
    a, b = cuts[i], cuts[j]
    while True:
        grown = False
        if i > 0 and b - cuts[i - 1] <= EVIDENCE_MAX:
            i -= 1
            a = cuts[i]
            grown = True
        if j < len(cuts) - 1 and cuts[j + 1] - a <= EVIDENCE_MAX:
            j += 1
            b = cuts[j]
            grown = True
        if not grown:
            break
    clause = _TRIM_RE.sub("", text[a:b])
    if len(clause) <= EVIDENCE_MAX:
        return clause
    lo = max(ss, ps - 80)
    return text[lo : lo + EVIDENCE_MAX].strip()


def _gloss(unit: str, phrase: str) -> str:
    if unit == "things":
        return "count: " + re.sub(r"^[\s0-9.,]+", "", phrase).strip()
    if unit in ("companies", "people", "members"):
        for pattern, gloss in _GLOSSES:
            if pattern.search(phrase):
                if unit == "members" and gloss != "founding members":
                    continue
                if unit == "companies" and gloss not in (
                    "start-ups",
                    "tenant companies",
                    "SMEs",
                    "subsidiaries",
                    "manufacturers",
                    "organisations",
                ):
                    continue
                if unit == "people" and gloss in ("start-ups", "tenant companies", "SMEs", "subsidiaries"):
                    continue
                return gloss
    base = _UNIT_GLOSS.get(unit, unit)
    if unit in ("jobs", "companies") and _NEW_RE.search(phrase):
        return "new " + base
    return base


def _describe(gloss: str, unit: str, subject: Entity | None) -> str:
    if subject is None:
        return gloss
    if unit in MONEY_UNITS or unit == "other" or gloss.startswith(("area", "site area", "floor area")):
        return f"{gloss} ({subject.name})"
    if unit == "members" or gloss in ("founders", "employees", "founding members", "subsidiaries"):
        return f"{gloss} of {subject.name}"
    prep = "in" if subject.type == "place" else "at"
    return f"{gloss} {prep} {subject.name}"


# --------------------------------------------------------------------------------------------
# Matching units next to numbers
# --------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _UnitHit:
    unit: str  # a schema unit, or sqft/km2/acres (reported as 'other')
    start: int
    end: int
    phrase: str
    inner: tuple[int, int] | None
    qualifier: str | None = None
    bare: bool = False  # a bare classifier ('12人', '80명') rather than a noun


def _unit_after(t: str, n: NumberMatch, limit: int) -> _UnitHit | None:
    pos = n.end
    nxt = t[pos : pos + 1]
    if not nxt:
        return None
    if n.kind == "approx":
        pos = _APPROX_OF_RE.match(t, pos, limit).end()  # type: ignore[union-attr]
        m = _LATIN_AFTER_GLUED_RE.match(t, pos, limit)
    elif "\u2e80" <= nxt <= "\ufaff" or "\uac00" <= nxt <= "\ud7a3":
        m = _EA_AFTER_RE.match(t, pos, limit)
    else:
        m = _LATIN_AFTER_RE.match(t, pos, limit)
        if m is None and nxt in " \u00a0" and _is_ea(t, pos):
            m = _EA_AFTER_RE.match(t, pos, limit)
    if m is None:
        return None
    unit = next(k[2:] for k, v in m.groupdict().items() if v is not None and k.startswith("u_"))
    groups = m.groupdict()
    bare = any(groups.get(k) for k in ("bare_ren", "bare_ming", "bare_myeong"))
    gap = groups.get("gap")
    inner = (pos, m.start(f"u_{unit}")) if gap else None
    return _UnitHit(unit, n.start, m.end(), t[n.start : m.end()], inner, bare=bare)


def _is_ea(t: str, pos: int) -> bool:
    probe = t[pos : pos + 3].strip()
    return bool(probe) and ("\u2e80" <= probe[0] <= "\ufaff" or "\uac00" <= probe[0] <= "\ud7a3")


def _unit_before(t: str, n: NumberMatch, sent_start: int, limit: int) -> _UnitHit | None:
    window_start = max(sent_start, n.start - 16)
    head = t[window_start : n.start]
    if not head:
        return None
    for unit, before_re, after_re in _EA_BEFORE:
        bm = before_re.search(head)
        if not bm:
            continue
        am = after_re.match(t, n.end, limit)
        if am is None or (am.end() == n.end and unit != "jobs"):
            continue
        start = window_start + bm.start()
        return _UnitHit(unit, start, am.end(), t[start : am.end()], None)
    for unit, before_re in _LATIN_BEFORE:
        bm = before_re.search(head)
        if bm:
            start = window_start + bm.start()
            return _UnitHit(unit, start, n.end, t[start : n.end], None)
    return None


def _post_qualifier(t: str, pos: int, limit: int) -> tuple[str | None, int]:
    m = _POST_QUALIFIER_RE.match(t, pos, limit)
    if not m:
        return None, pos
    if m.group("more"):
        return "more than", m.end()
    if m.group("about"):
        return "about", m.end()
    return "less than", m.end()


# --------------------------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------------------------


@dataclass(slots=True)
class FigureCandidate:
    """A number with a unit, before its subject is chosen (the learned model reads these too)."""

    value: float
    unit: str  # schema unit
    gloss: str
    start: int
    end: int
    qualifier: str | None
    inner: tuple[int, int] | None
    sentence: int
    kind: str = ""  # the unit as written: 'sqft', 'ping', 'things', 'EUR', ...
    number_kind: str = "digits"
    phrase: str = ""
    rule_subject: str | None = None


# Areas are reported in hectares or m²: (schema unit, factor), rounded to RATE_DIGITS decimals.
AREA_CONVERSIONS: dict[str, tuple[str, float]] = {
    "sqft": ("m2", 0.0929),
    "km2": ("hectares", 100.0),
    "ping": ("m2", 3.306),  # 坪 / 평
    "mu": ("hectares", 1 / 15),  # 亩
    "acres": ("hectares", 0.4047),
}
RATE_DIGITS = 2
# Counts of anything other than the schema's units (projects, floors, plants, ...): reported as 'other'.
OTHER_COUNTS = frozenset({"things", "population"})
_PERCENT_WORDS = ("%", "％", "percent", "per cent", "pour cent", "prozent", "procent", "퍼센트", "per cento")


def _is_percent(t: str, n: NumberMatch) -> bool:
    after = t[n.value_end : n.value_end + 14].lower()
    if after.lstrip().startswith(_PERCENT_WORDS):
        return True
    return t.endswith("百分之", 0, n.value_start)


_RANKED_BEFORE_RE = re.compile(
    r"\b(?:top|fortune|forbes|global|s&p|ftse|dax|cac|nasdaq|largest|biggest)\s*$|(?<![目此之以提当當日])前\s*$|排名\s*$",
    re.IGNORECASE,
)
_DEFINITE_BEFORE_RE = re.compile(
    r"\b(?:the|these|those|both|les|ces|die|diese|beiden|de|deze)\s+$|(?:这|這|此|该|該|上述|这些|這些)\s*$",
    re.IGNORECASE,
)
_NOT_MEMBERS_RE = re.compile(
    r"\b(?:board|staff|team|family|parliament|council|committee|jury|faculty|crew|delegation)\b"
    r"|vorstand|aufsichtsrat|bestuur|董事",
    re.IGNORECASE,
)
_NOT_MEMBERS_AFTER_RE = re.compile(
    r"\s+(?:of|du|de|des|van|des|der)\s+(?:the\s+|la\s+|het\s+)?(?:parliament|congress|board|european\s+parliament"
    r"|staff|delegation|team|public|family|parlement|bundestag|landtag|conseil|tweede\s+kamer)",
    re.IGNORECASE,
)
# The upper end of a range: '80 to 100 jobs', '80-100 Arbeitsplätze', '80至100家'.
_RANGE_BEFORE_RE = re.compile(r"[0-9]\s*(?:to|-|–|à|bis|tot|a|至|到|~|〜)\s*$", re.IGNORECASE)
# The lower end of a range: '€10m to €20m', '30万至500万元' (the upper bound is the figure).
_RANGE_AFTER_RE = re.compile(
    r"\s*(?:to|-|–|à|bis|tot|a|and|et|und|en|e|至|到|~|〜|에서)\s*(?:US\$|HK\$|NT\$|[€$£¥₩])?\s*[0-9]", re.IGNORECASE
)
# A conversion in brackets after a quantity restates it: '6만6000m²(약 2만 평)', 'NT$100 billion [US$3.2 billion]'.
_RESTATED_RE = re.compile(
    r"[\s(（\[【]*(?:約|约|약|about|approx\.?|environ|ca\.?|circa|rund|ungefähr)?\s*"
    r"(?:新台幣|新臺幣|台幣|臺幣|人民幣|人民币|港幣|港币|NT\$|US\$|HK\$|RMB|[€$£¥₩])?\s*$",
    re.I,
)
_OPEN_BRACKETS = "(（[【"


def _restates(t: str, prev_end: int, start: int) -> bool:
    gap = t[prev_end:start]
    return len(gap) <= 16 and any(b in gap for b in _OPEN_BRACKETS) and bool(_RESTATED_RE.fullmatch(gap))


_SCALE_WORD_RE = re.compile(
    r"[0-9][ \u00a0-]?(?:millions?|millionen|mio\.?|mln\.?|miljoen|milion[ei]|billions?|bn|milliards?|milliarden?"
    r"|mrd\.?|mld\.?|miljard|miliard[io])(?![^\W\d_])",
    re.IGNORECASE,
)
# What follows a big number that is a count, not money: 'million people', 'Mio Einwohner', 'millions de doses'.
_COUNTED_AFTER_RE = re.compile(
    r"\s*(?:(?:of|de|di|van|an)\s+|d['’]\s?)(?!(?:euros?|dollars?|francs|yen|won|yuan)\b)[^\W\d_]+"
    r"|\s*(?:doses|units|patients|people|users|tonnes|tons|vials|tablets|einwohner|menschen|dosen|passengers)\b",
    re.IGNORECASE,
)


def _count_candidates(
    t: str,
    nums: list[NumberMatch],
    money_spans: list[tuple[int, int]],
    sent_of: list[int],
    sentences: list[tuple[int, int]],
) -> list[FigureCandidate]:
    out: list[FigureCandidate] = []
    for n, si in zip(nums, sent_of, strict=True):
        if any(a <= n.value_start < b for a, b in money_spans):
            continue
        if _is_percent(t, n):
            continue
        ss, se = sentences[si]
        if _RANKED_BEFORE_RE.search(t, max(ss, n.start - 12), n.start):
            continue  # the top 20 companies, Fortune 500 companies, 前10名

        hit = _unit_after(t, n, se)
        if hit is None or hit.unit in ("people", "things"):
            before = _unit_before(t, n, ss, se)
            if before is not None:
                hit = before
        if hit is None:
            if n.value >= 1e6 and _SCALE_WORD_RE.search(n.text) and not _COUNTED_AFTER_RE.match(t, n.end, se):
                # '19 Milliarden Umsatz', 'rund 64 Mio. für ...': money whose currency the text leaves out
                out.append(
                    FigureCandidate(
                        n.value,
                        "other",
                        "amount, currency not stated",
                        n.start,
                        n.end,
                        n.qualifier,
                        None,
                        si,
                        kind="unstated",
                        number_kind=n.kind,
                        phrase=n.text,
                    )
                )
            continue
        value = n.value
        unit = hit.unit
        if unit in COUNT_UNITS or unit in OTHER_COUNTS:
            if value < 1 or value != int(value):
                continue
            if n.kind not in ("digits", "approx") and value == 1:
                continue  # 'one of', '一家', 'een': an article more often than a count
            if hit.bare and n.kind != "digits":
                continue  # '两人', '三名': too often not a headcount
            if unit == "countries" and value > 250:
                continue
            if value <= 3 and _DEFINITE_BEFORE_RE.search(t, max(ss, n.start - 8), n.start):
                continue  # 'the two companies', '这三家企业': a reference, not a count
            if unit == "members" and (
                _NOT_MEMBERS_RE.search(hit.phrase) or _NOT_MEMBERS_AFTER_RE.match(t, hit.end, se)
            ):
                continue  # board members, members of parliament
            if unit == "people" and value >= 1_000_000:
                continue  # patient numbers and the like, not a headcount of an organisation
            if n.kind == "digits" and 1900 <= value <= 2100 and n.text.isdigit() and (unit == "things" or hit.inner):
                continue  # a year: 'das 1971 gegründete Familienunternehmen'

        elif value <= 0:
            continue
        qualifier = n.qualifier
        if qualifier is None and _RANGE_BEFORE_RE.search(t, max(ss, n.start - 8), n.start):
            qualifier = "up to"
        pq, end = _post_qualifier(t, hit.end, se)
        if pq is not None:
            qualifier = qualifier or pq
        if unit in AREA_CONVERSIONS:
            schema_unit, factor = AREA_CONVERSIONS[unit]
            value = round(value * factor, RATE_DIGITS)
        elif unit == "population":
            schema_unit = "people"
        else:
            schema_unit = unit if unit in COUNT_UNITS or unit in ("hectares", "m2") else "other"
        start = min(hit.start, n.start)
        if unit in AREA_CONVERSIONS or unit in ("hectares", "m2"):
            if out and out[-1].kind in (*AREA_CONVERSIONS, "hectares", "m2") and _restates(t, out[-1].end, start):
                continue
        out.append(
            FigureCandidate(
                value,
                schema_unit,
                _gloss(unit, hit.phrase),
                start,
                end,
                qualifier,
                hit.inner,
                si,
                kind=unit,
                number_kind=n.kind,
                phrase=hit.phrase,
            )
        )
    return out


def _money_candidates(
    t: str, amounts: list[Amount], sent_of: list[int], sentences: list[tuple[int, int]]
) -> list[FigureCandidate]:
    """Sums of money: investment, cost, budget, revenue, fund sizes and the amounts of funding rounds (a
    round's amount is a figure of the company that raised it); never market sizes or prices per share."""
    out: list[FigureCandidate] = []
    for i, (a, si) in enumerate(zip(amounts, sent_of, strict=True)):
        if a.value < 1000:
            continue
        ss, se = sentences[si]
        cuts = [ss] + [m.end() for m in _CLAUSE_SPLIT_RE.finditer(t, ss, se)] + [se]
        lo = max(c for c in cuts if c <= a.start)
        hi = min(c for c in cuts if c >= a.end)
        clause = t[lo:hi]
        if _MARKET_RE.search(clause):
            continue
        if _PRICE_AFTER_RE.match(t, a.end, se):
            continue
        nxt = amounts[i + 1] if i + 1 < len(amounts) else None
        if nxt is not None and nxt.currency == a.currency and _RANGE_AFTER_RE.match(t, a.end, nxt.start + 12):
            if nxt.start - a.end <= 12:
                continue  # the lower end of a range
        if i > 0 and _restates(t, amounts[i - 1].end, a.start):
            continue  # a conversion into another currency
        kind = next((k for pattern, k in _MONEY_KIND if pattern.search(clause)), "amount")
        if _FUNDING_RE.search(clause):
            kind = "funding"
        unit = a.currency if a.currency in MONEY_UNITS else "other"
        gloss = kind if unit != "other" else f"{kind}, {a.currency}"
        out.append(
            FigureCandidate(a.value, unit, gloss, a.start, a.end, a.qualifier, None, si, kind=a.currency, phrase=a.text)
        )
    return out


def _sentence_index(starts: list[int], pos: int) -> int:
    return max(0, bisect.bisect_right(starts, pos) - 1)


def figure_candidates(doc: Document) -> tuple[FigureContext | None, list[FigureCandidate]]:
    """Every quantity with a unit in `doc.text`, once (repeats and translations dropped), in text order,
    with the subject the rules choose; and the context the subject choice reads."""
    text = doc.text
    if not text:
        return None, []
    paragraphs = [(p.start, p.end, p.language) for p in doc.paragraphs if p.end > p.start]
    if not paragraphs:
        paragraphs = [(0, len(text), doc.languages[0] if doc.languages else None)]
    t = fold_width(text)
    sentences: list[tuple[int, int]] = []
    paragraph_of: list[int] = []
    for pi, (a, b, _lang) in enumerate(paragraphs):
        for span in sentence_spans(t, a, b):
            sentences.append(span)
            paragraph_of.append(pi)
    if not sentences:
        return None, []
    starts = [s for s, _ in sentences]
    ctx = FigureContext(text, _Mentions(doc.entities, len(text)), sentences, starts, paragraph_of)
    ctx.languages = [lang for _, _, lang in paragraphs]
    candidates: list[FigureCandidate] = []
    for a, b, lang in paragraphs:
        ptext = text[a:b]
        nums = find_numbers(ptext, lang)
        amounts = find_amounts(ptext, lang, nums)
        for n in nums:
            n.start += a
            n.end += a
            n.value_start += a
            n.value_end += a
        for am in amounts:
            am.start += a
            am.end += a
        money_spans = [(am.start, am.end) for am in amounts]
        nums_sent = [_sentence_index(starts, n.value_start) for n in nums]
        amounts_sent = [_sentence_index(starts, am.start) for am in amounts]
        candidates.extend(_money_candidates(t, amounts, amounts_sent, sentences))
        candidates.extend(_count_candidates(t, nums, money_spans, nums_sent, sentences))
    candidates.sort(key=lambda c: c.start)
    out: list[FigureCandidate] = []
    seen: set[tuple[str, float, str]] = set()
    for c in candidates:
        # the same quantity stated again (a repeated paragraph, a translation) is one figure
        key = (c.unit, round(c.value, 6), c.gloss if c.kind == "things" else "")
        if key in seen:
            continue
        seen.add(key)
        c.rule_subject = _subject(ctx, c.start, c.end, c.inner, c.sentence, c.unit)
        out.append(c)
    return ctx, out


def extract_figures(doc: Document) -> list[Figure]:
    """Figures stated in `doc.text` about the entities in `doc.entities` (see the module docstring).

    With a trained figure model (`bioatlas.learn.figure_model`) the subject is the candidate entity it
    scores highest (the rules' choice is one of its features) and figures it judges unlikely are dropped;
    without one, the rules decide alone."""
    from bioatlas.learn.figure_model import current_model

    ctx, candidates = figure_candidates(doc)
    if ctx is None:
        return []
    model = current_model()
    figures: list[Figure] = []
    by_id = {e.id: e for e in doc.entities}
    for c in candidates:
        subject_id = c.rule_subject
        method = "pattern"
        if model is not None:
            options = subject_options(ctx, c)
            best = model.best_subject(options)
            if best is not None:
                subject_id = best[0]
                method = "model"
            if not model.keep(keep_features(ctx, c, best[1] if best else None)):
                continue
        subject = by_id.get(subject_id) if subject_id else None
        ss, se = ctx.sentences[c.sentence]
        figures.append(
            Figure(
                subject=subject_id,
                value=c.value,
                unit=c.unit,
                what=_describe(c.gloss, c.unit, subject),
                evidence=_evidence(doc.text, ss, se, c.start, c.end),
                start=c.start,
                end=c.end,
                method=method,
                qualifier=c.qualifier,
            )
        )
    return figures


def figures_in_text(text: str, lang: str | None = None) -> list[Figure]:
    """Figures in a bare text with no entities (every subject is None); handy for checks and tools."""
    doc = Document(id="text", text=text, paragraphs=[Paragraph(0, len(text), lang)])
    return extract_figures(doc)
