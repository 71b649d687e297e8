"""Organisation and person names in Latin-script languages (en, fr, de, nl, it, es, pt).

A name is a run of capitalised tokens (with connectors such as "of", "de", "für", "van"); what it is
follows from its head words (…Pharmaceuticals, Université de …, …GmbH, Technologiepark …) or from the
words around it ("the biotech X", "la société X", "das Unternehmen X").
"""

from __future__ import annotations

import re

_L = r"A-Za-zÀ-ÖØ-öø-ÿ0-9"
_CAP = rf"(?:[A-ZÀ-ÖØ-Þ][{_L}\-'’&.+]*|[A-Z]{{2,}}[{_L}]*|\d+[A-Za-z]*)"
_CONNECT = r"(?:of|for|and|&|de|du|des|la|le|d'|d’|l'|l’|für|fur|van|der|den|het|voor|und|et|di|del|y|e)"
NAME = re.compile(rf"{_CAP}(?:(?:\s+|-){_CONNECT}\s+{_CAP}|\s*[-–]\s*{_CAP}|\s+{_CAP})*")

LEADING_STOP = {
    "the",
    "a",
    "an",
    "in",
    "on",
    "at",
    "for",
    "with",
    "by",
    "from",
    "as",
    "and",
    "but",
    "this",
    "that",
    "these",
    "its",
    "his",
    "her",
    "their",
    "our",
    "le",
    "la",
    "les",
    "l",
    "un",
    "une",
    "des",
    "du",
    "de",
    "en",
    "au",
    "aux",
    "die",
    "der",
    "das",
    "den",
    "dem",
    "ein",
    "eine",
    "im",
    "am",
    "zum",
    "zur",
    "und",
    "mit",
    "het",
    "een",
    "op",
    "bij",
    "te",
    "il",
    "lo",
    "gli",
    "el",
    "los",
    "las",
    "o",
    "os",
    "when",
    "while",
    "after",
    "since",
    "also",
    "dr",
    "prof",
    "mr",
    "mrs",
    "ms",
    "m",
    "mme",
    "herr",
    "frau",
    "dans",
    "sur",
    "pour",
    "par",
    "avec",
    "sous",
    "bei",
    "von",
    "vom",
    "nach",
    "seit",
    "über",
    "auf",
    "aus",
    "ook",
    "van",
    "voor",
    "met",
    "per",
    "every",
    "each",
    "according",
    "however",
    "meanwhile",
    "last",
    "next",
    "today",
    "yesterday",
    "ce",
    "cette",
    "selon",
    "laut",
    "volgens",
    "dès",
    "depuis",
    "lors",
    "mais",
    "both",
    "many",
    "some",
    "other",
    "all",
}

# head word (last token, lower-case) -> type
HEAD_TYPES: dict[str, str] = {}
for _type, _words in {
    "company": "inc inc. ltd ltd. llc plc gmbh ag sa s.a. sas sarl nv n.v. bv b.v. pty corp corp. corporation co co. "
    "biologicals biosystems bio-pharma genetics bioservices "
    "kg kgaa se spa s.p.a. ab oy as a/s pharmaceuticals pharmaceutical pharma therapeutics biotech "
    "biotechnology biotherapeutics bioscience biosciences biologics biomedical biopharma biopharmaceuticals "
    "diagnostics medical medtech labs laboratories laboratoires technologies technology genomics "
    "holdings group gruppe groupe services bioservices sciences health healthcare "
    "oncology vaccines robotics instruments devices systems solutions analytics",
    "research": "university universität universite université universiteit universidad università college "
    "institute institut instituut istituto hospital hospitals klinikum clinic clinique ziekenhuis "
    "chu umc academy akademie académie school faculty laboratory foundation fondation stiftung "
    "stichting inserm cnrs",
    "park": "park parc parque campus incubator incubateur inkubator hub precinct bioparc biopark technopark "
    "technologiepark sciencepark biocampus biopôle biopole valley gründerzentrum bioincubator accelerator "
    "accélérateur village",
    "cluster": "cluster clusters pôle pole bioregion network netzwerk réseau association verband vereniging "
    "federation fédération",
    "agency": "agency agence agentur agentschap ministry ministère ministerium ministerie council conseil rat "
    "raad department département authority autorité behörde office government gouvernement regierung "
    "regering commission kommission commissie administration province provincie gemeente municipality "
    "committee comité ausschuss senate sénat bundesregierung landesregierung",
    "alliance": "alliance allianz alliantie partnership partenariat consortium konsortium initiative programme "
    "program programm",
    "investor": "ventures venture capital fund funds fonds partners investments investment invest angels",
}.items():
    for _w in _words.split():
        HEAD_TYPES[_w] = _type

# first tokens that fix the type whatever the head: "University of Liège", "Université de Liège"
LEAD_TYPES: dict[str, str] = {
    "university": "research",
    "université": "research",
    "universite": "research",
    "universität": "research",
    "universiteit": "research",
    "universidad": "research",
    "università": "research",
    "institut": "research",
    "institute": "research",
    "instituut": "research",
    "hôpital": "research",
    "hospital": "research",
    "technologiepark": "park",
    "technopark": "park",
    "biopark": "park",
    "bioparc": "park",
    "science": "park",
    "ministry": "agency",
    "ministère": "agency",
    "ministerium": "agency",
    "ministerie": "agency",
    "province": "agency",
    "provincie": "agency",
    "agence": "agency",
    "agentur": "agency",
    "gemeente": "agency",
    "région": "agency",
    "pôle": "cluster",
    "cluster": "cluster",
    "clusters": "cluster",
}

# phrases anywhere in a name that settle its type before the head word does
STRONG_PHRASES: list[tuple[str, str]] = [
    ("ministry", "agency"),
    ("ministère", "agency"),
    ("ministerium", "agency"),
    ("ministerie", "agency"),
    ("economic development", "agency"),
    ("foreign investment", "agency"),
    ("investment promotion", "agency"),
    ("export", "agency"),
    ("trade & invest", "agency"),
    ("trade and invest", "agency"),
    ("industry council", "cluster"),
    ("industry association", "cluster"),
    ("industry organization", "cluster"),
    ("university", "research"),
    ("universität", "research"),
    ("université", "research"),
    ("universiteit", "research"),
    ("science park", "park"),
    ("business park", "park"),
    ("technology park", "park"),
    ("innovation centre", "park"),
    ("innovation center", "park"),
    ("incubat", "park"),
]

# words that may not be a name on their own
NOT_NAMES = {
    "ceo",
    "cfo",
    "cto",
    "coo",
    "ai",
    "eu",
    "uk",
    "us",
    "usa",
    "gmp",
    "r&d",
    "ip",
    "ipo",
    "it",
    "ict",
    "covid",
    "covid-19",
    "mou",
    "phd",
    "dna",
    "rna",
    "mrna",
    "series",
    "seed",
    "photo",
    "foto",
    "bild",
    "source",
    "quelle",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "news",
    "press",
    "mio",
    "mrd",
    "million",
    "millionen",
    "billion",
    "euro",
    "euros",
    "dollar",
    "dollars",
    "china",
    "europe",
    "asia",
    "america",
    "africa",
    "co",
    "fig",
    "chairman",
    "director",
    "president",
    "minister",
    "governor",
    "professor",
    "prof",
    "dr",
    "mr",
    "mrs",
    "ms",
    "der",
    "die",
    "das",
    "le",
    "la",
    "les",
    "the",
    "ps",
    "nb",
}

# words around an unknown name that say it is a company: "the biotech X", "la société X", "X, a start-up"
COMPANY_BEFORE = re.compile(
    r"(?:\b(?:company|firm|start-?up|spin-?off|spin-?out|spinout|biotech|bio-tech|medtech|pharma|manufacturer|group|"
    r"unternehmens|firmen|biotech-firma|"
    r"subsidiary|société|entreprise|biotech|laboratoire|firme|filiale|pépite|unternehmen|firma|konzern|"
    r"hersteller|tochter|bedrijf|onderneming|fabrikant|huurder|tenants?|companies|entreprises|unternehmen|"
    r"bedrijven|such as|including|notamment|comme|wie|zoals|namely)\s*,?\s+(?:(?:like|as|comme|wie|zoals)\s+)?"
    r"(?:(?:française|français|allemande|allemand|américaine|américain|belge|suisse|deutsche|amerikanische|"
    r"französische|niederländische|nederlandse|franse|duitse|amerikaanse|British|American|French|German|Dutch|"
    r"Belgian|Swiss|Australian|Irish|Chinese|Japanese)\s+)?)$",
    re.I,
)
COMPANY_AFTER = re.compile(
    r"^(?:,\s*(?:a|an|the|une?|la|le|ein(?:e)?|die|der|een|de|het)\s+(?:\w+\s+){0,4}?"
    r"(?:company|firm|start-?up|spin-?off|spinout|spin-?out|biotech|medtech|pharma|manufacturer|developer|"
    r"société|entreprise|start-up|unternehmen|firma|hersteller|bedrijf|onderneming|specialist)|"
    r"\s+(?:has |have |had )?(?:raised|raises|secured|closed|announced|acquired|acquires|opened|opens|will open|"
    r"plans|moved|moves|a levé|lève|annonce|a annoncé|s'installe|ouvre|erhält|erhielt|sammelt|übernimmt|"
    r"eröffnet|haalt|opent|heeft|a investi|a investit|investit|investiert|president and ceo|president|ceo|"
    r"chief executive|founder|co-founder)\b|,\s+(?:based|headquartered) in\b|"
    r"\s*\((?:nasdaq|nyse|asx|euronext|lse|tsx|six|hkex|sehk|xetra)\b)",
    re.I,
)

ROLE_WORDS = (
    r"(?:MD|CEO|CFO|COO|CTO|CSO|(?i:chief executive(?: officer)?|ceo|cfo|cto|coo|cso|founder|co-founder|chairman|chairwoman|chair|president|"
    r"vice[- ]president|managing director|general manager|director(?: general)?|head|minister|secretary|premier|"
    r"governor|mayor|professor|chief scientific officer|executive director|leasing executive|executive|"
    r"spokesperson|spokesman|partner|commissioner|deputy director|deputy minister|"
    r"directeur(?: général)?|directrice|président(?:e)?|fondateur|fondatrice|maire|ministre|responsable|"
    r"délégué(?:e)?(?: général(?:e)?)?|geschäftsführer(?:in)?|vorstand(?:svorsitzender)?|oberbürgermeister(?:in)?|"
    r"bürgermeister(?:in)?|minister(?:in)?|leiter(?:in)?|präsident(?:in)?|sprecher(?:in)?|gründer(?:in)?|"
    r"directeur|wethouder|burgemeester|gedeputeerde|voorzitter|oprichter|bestuurder|shareholder|"
    r"porte-parole))"
)
_PTOKEN = r"[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ'’]+(?:-[A-ZÀ-ÖØ-Þa-zà-öø-ÿ][a-zà-öø-ÿ]+)*"
_PNAME = (
    rf"(?:{_PTOKEN}(?:\s+(?:van|von|de|da|der|den|le|la|du|di|bin|al)){{0,2}}(?:\s+[A-ZÀ-ÖØ-Þ]\.)?"
    rf"(?:\s+{_PTOKEN}){{1,2}})"
)
_TITLE = r"(?:(?:Dr|Prof|Mr|Mrs|Ms|M|Mme|Dr\. med|Dipl\.-Ing|docteur|professeur|Herr|Frau|dhr|mevrouw)\.?\s+){0,2}"
# "…, CEO of AlgaeCytes and Steve Trim, MD of…": a role ends where the next person of a list begins.
_NEXT_PERSON = r"\s(?:and|und|et|en)\s+[A-ZÀ-Þ][a-zà-ÿ]+\s+[A-ZÀ-Þ][a-zà-ÿ\-]+,"
PERSON_PATTERNS: list[re.Pattern[str]] = [
    # "Colm Cuffe, vice president of European Operations" / "Dr. Klaus Plate, Geschäftsführer"
    re.compile(
        rf"{_TITLE}(?P<name>{_PNAME}),\s+(?:the\s+|le\s+|la\s+|der\s+|die\s+|de\s+)?"
        rf"(?P<role>(?:[\w-]+\s+){{0,2}}(?:\w+-)?{ROLE_WORDS}(?:(?!{_NEXT_PERSON})[^.;:\n]){{0,80}}?)"
        rf"(?=[,.;:\n]|{_NEXT_PERSON}|\s+(?:said|says|added|"
        rf"explained|a déclaré|explique|sagte|erklärte|zei|aldus))"
    ),
    # "Premier Jay Weatherill" / "Oberbürgermeister Dr. Eckart Würzner"
    re.compile(
        rf"(?P<role>\b{ROLE_WORDS}(?:\s+(?:for|of|de|du|des|für|van)\s+[A-Z][\w\-]+(?:\s+[A-Z][\w\-]+)*)?)"
        rf"\s+{_TITLE}(?P<name>{_PNAME})"
    ),
    # "le président de la métropole de Lyon, David Kimelfeld"
    re.compile(rf"(?P<role>\b{ROLE_WORDS}[^,.;:\n]{{0,60}}),\s+{_TITLE}(?P<name>{_PNAME})(?=[,.;:)\s])"),
    # "said Jean Dupont" / "Jean Dupont said"
    re.compile(
        rf"\b(?:said|says|added|explained|according to|selon|sagte|erklärte|betonte|zei|aldus)\s+"
        rf"{_TITLE}(?P<name>{_PNAME})"
    ),
    re.compile(
        rf"{_TITLE}(?P<name>{_PNAME})\s+(?:said|says|added|explained|a déclaré|explique|sagte|erklärte|"
        rf"betonte|zei|stated)\b"
    ),
    re.compile(rf"\b(?:Dr|Prof|Mr|Mrs|Ms|Mme|docteur|professeur|Professor|Herr|Frau)\.?\s+(?P<name>{_PNAME})"),
]

DEMONYMS = {
    "french",
    "american",
    "austrian",
    "australian",
    "british",
    "german",
    "chinese",
    "japanese",
    "korean",
    "dutch",
    "belgian",
    "swiss",
    "italian",
    "spanish",
    "irish",
    "european",
    "asian",
    "canadian",
    "indian",
    "danish",
    "swedish",
    "finnish",
    "français",
    "française",
    "allemand",
    "deutsche",
    "deutschen",
    "europäische",
    "walloon",
    "flemish",
    "bavarian",
    "taiwanese",
    "singaporean",
    "israeli",
    "norwegian",
    "polish",
    "portuguese",
}
DEMONYMS |= {
    "australien",
    "australienne",
    "américain",
    "américaine",
    "française",
    "allemande",
    "chinois",
    "chinoise",
    "japonais",
    "japonaise",
    "belge",
    "suisse",
    "britannique",
    "irlandais",
    "irlandaise",
    "néerlandais",
    "néerlandaise",
    "coréen",
    "coréenne",
    "italien",
    "italienne",
    "espagnol",
    "espagnole",
    "danois",
    "danoise",
    "suédois",
    "suédoise",
    "australische",
    "australischen",
    "amerikanische",
    "amerikanischen",
    "französische",
    "französischen",
    "chinesische",
    "chinesischen",
    "japanische",
    "japanischen",
    "britische",
    "britischen",
    "niederländische",
    "belgische",
    "schweizer",
    "australisch",
    "amerikaans",
    "amerikaanse",
    "franse",
    "duitse",
    "chinese",
    "japanse",
    "britse",
    "ierse",
    "zwitserse",
}
NOT_NAMES |= DEMONYMS

# Local and regional governments named by a lower-case lead word: "gemeente De Bilt", "métropole de Lyon",
# "City of San Antonio", "conseil départemental de l'Essonne", "provincie Noord-Brabant".
GOVERNMENT = re.compile(
    r"\b(?i:gemeente|provincie|métropole de|ville de|city of|stadt|landkreis|"
    r"région|conseil (?:départemental|régional|général) (?:de la |de l'|de l’|du |des |de )|county of|"
    r"state of|regierungsbezirk|kanton|canton de|comune di|regione)\s*"
    r"(?P<name>[A-ZÀ-ÖØ-Þ][\w'’\-]+(?:[\s\-](?:[A-ZÀ-ÖØ-Þ][\w'’\-]+))*)"
)

# Capitalised cue words glued to a name in German compounds: "Biotech-Unternehmen Icon Genetics", "Firma X".
LEADING_CUES = re.compile(
    r"^(?:[\w]+-)?(?:Unternehmens?|Firma|Firmen|Konzern|Tochter|Start-up|Startup|Ausgründung|Spin-off|Hersteller|"
    r"Biotech|Biotech-Firma|Gesellschaft)\s+(?=[A-ZÀ-ÖØ-Þ])"
)
PARK_WORD = re.compile(
    r"(?i)^(?:bio|techno|science|geno|med|health)?(?:park|parc|campus|pôle|pole)$|^(?:bio|techno)"
    r"[a-zà-ÿ]*(?:park|parc|campus|pôle|pole)$",
    re.I,
)

# Sentence-initial words that are capitalised only because they start a sentence (nl, de, fr, en).
LEADING_STOP |= {
    "nu",
    "zo",
    "deze",
    "dit",
    "daarnaast",
    "toen",
    "sinds",
    "tijdens",
    "bereits",
    "auch",
    "dazu",
    "dort",
    "hier",
    "heute",
    "damals",
    "nun",
    "jetzt",
    "ainsi",
    "aujourd'hui",
    "enfin",
    "hiermee",
    "daarom",
    "ook",
    "wir",
    "ich",
    "sie",
    "er",
    "es",
    "we",
    "they",
    "he",
    "she",
    "it",
    "nous",
    "ils",
    "elle",
    "il",
    "zij",
    "wij",
    "hij",
}

NOT_NAMES |= {"md", "kmu", "ceo", "cfo", "sme", "smes", "pme", "pmi", "r&d", "f&e"}

# "Grizzly, een groot en duurzaam pand", "Hub, a new building": a name in apposition to a building is a place.
BUILDING_AFTER = re.compile(
    r"^,\s+(?:a|an|the|een|het|de|un|une|le|la|ein|eine|der|die|das)\s+(?:[\w-]+\s+){0,4}?"
    r"(?:building|gebouw|pand|bâtiment|immeuble|gebäude|neubau|complex|complexe|tower|tour|laboratory building)\b",
    re.I,
)

DIRECTIONS = {
    "north",
    "south",
    "east",
    "west",
    "northern",
    "southern",
    "eastern",
    "western",
    "central",
    "upper",
    "lower",
    "greater",
    "nord",
    "süd",
    "ost",
    "noord",
    "zuid",
    "oost",
}
