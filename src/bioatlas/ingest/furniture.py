"""Page furniture: lines that belong to the website, not to the article, in every supported language.

Each entry is (reason, pattern). Patterns match a whole trimmed line (or its start, where stated),
so an article sentence that merely contains one of these words is never taken for furniture.
"""

from __future__ import annotations

import re
import unicodedata

_SOCIAL = (
    r"facebook|twitter|x\.com|linkedin|instagram|youtube|wechat|weixin|weibo|whatsapp|tiktok|xing"
    r"|telegram|line|pinterest|reddit|email|e-mail|rss|微信|微博|抖音|qq空间|分享到|print|imprimer|drucken"
    r"|페이스북|트위터|카카오톡|카카오스토리|링크드인|밴드|url복사|はてなブックマーク|はてブ"
)
_LANG_TAGS = (
    r"zh|en|fr|de|nl|ja|ko|it|es|pt|zh-cn|zh-tw|zh-hk|zh-hans|zh-hant|english|français|deutsch"
    r"|nederlands|中文|简体|繁體|繁体|简体中文|繁體中文|日本語|日语|한국어|english version|英文版"
)

FURNITURE: list[tuple[str, re.Pattern[str]]] = [
    (
        "breadcrumb",
        re.compile(
            r"^(you are here|vous êtes ici|sie sind hier|u bent hier|je bent hier|sei qui|está aquí|"
            r"当前位置|您的位置|您现在的位置|你的位置|目前位置|現在位置|首页\s*[>›»]|首頁\s*[>›»]|home\s*[>›»/]|"
            r"accueil\s*[>›»]|startseite\s*[>›»]|현재 위치|ホーム\s*[>›»])",
            re.I,
        ),
    ),
    ("breadcrumb", re.compile(r"^(Startseite|Accueil|Home|Inicio|Homepage)(?=[A-ZÄÖÜ])")),
    ("breadcrumb", re.compile(r"^([^>›»<]{1,30}(\s>\s|\s?[›»]\s?)){2,}[^>›»<]*$")),
    (
        "view counter",
        re.compile(
            r"^(views?|vues?|aufrufe|gelesen|weergaven|gelezen|閱讀|阅读|浏览|瀏覽|点击|點擊|閲覧|조회)\s*(数|次数|量|수)?\s*[:：]?\s*\d[\d,.]*\s*(次|回)?$",
            re.I,
        ),
    ),
    ("view counter", re.compile(r"(浏览量|瀏覽量|字号|字號|阅读量|閱讀量|点击量|點擊量)\s*[:：]", re.I)),
    (
        "comment prompt",
        re.compile(
            r"^(leave a (reply|comment)|post a comment|add a comment|\d+\s+comments?|comments?|no comments|"
            r"laisser un commentaire|laissez un commentaire|commentaires?|kommentar(e)?( schreiben)?|"
            r"reageer|reacties?|发表回复|发表评论|發表回覆|發表評論|留言|评论|評論|コメント|댓글)\s*[:：]?$",
            re.I,
        ),
    ),
    (
        "comment prompt",
        re.compile(
            r"(your email address will not be published|votre adresse (e-)?mail ne sera pas publiée|"
            r"ihre e-mail-adresse wird nicht veröffentlicht|je e-mailadres wordt niet gepubliceerd|"
            r"邮箱地址不会被公开|郵箱地址不會被公開|電子郵件地址不會被公開|required fields are marked|必填项已用|"
            r"点击留言|點擊留言)",
            re.I,
        ),
    ),
    ("social links", re.compile(r"^(" + _SOCIAL + r")([\s|/,·•:]*(" + _SOCIAL + r"))*$", re.I)),
    (
        "social links",
        re.compile(
            r"^(share( this( article| page| story)?)?( on)?|partager( sur)?|teilen|delen|分享|分享工具|シェア|공유(하기)?"
            r"|follow us|suivez-nous|folgen sie uns|volg ons|关注我们|關注我們)\b.{0,40}$",
            re.I,
        ),
    ),
    (
        "social links",
        re.compile(
            r"(facebook|twitter|linkedin|instagram|youtube).{0,12}(facebook|twitter|linkedin|"
            r"instagram|youtube)",
            re.I,
        ),
    ),
    (
        "language switch",
        re.compile(r"^(" + _LANG_TAGS + r")(?![a-z’'])(\s*[|/·•]\s*(" + _LANG_TAGS + r"))*\s*[|]?.{0,40}$", re.I),
    ),
    (
        "legal footer",
        re.compile(
            r"(©|copyright|\(c\)\s*\d{4}|all rights reserved|tous droits réservés|alle rechte vorbehalten|"
            r"alle rechten voorbehouden|版权所有|版權所有|著作権|저작권|privacy (policy|statement|notice)|"
            r"politique de confidentialité|datenschutz(erklärung)?|privacyverklaring|privacybeleid|"
            r"隐私政策|隱私政策|私隱政策|私隱聲明|隐私声明|隱私聲明|法律聲明|法律声明|网站声明|網站聲明|免责声明|免責聲明|"
            r"プライバシーポリシー|개인정보처리방침|cookie|mentions légales|impressum|terms of (use|service)|"
            r"conditions d'utilisation|nutzungsbedingungen|icp备|icp證|京icp|沪icp|粤icp|公网安备)",
            re.I,
        ),
    ),
    (
        "app download",
        re.compile(
            r"(download (our|the) app|get the app|télécharge[rz] (l'|notre )application|app herunterladen|"
            r"download de app|下载app|下載app|下载客户端|下載客戶端|扫码下载|掃碼下載|扫一扫|掃一掃|"
            r"アプリをダウンロード|앱 다운로드|app store|google play)",
            re.I,
        ),
    ),
    (
        "newsletter or paywall",
        re.compile(
            r"^(sign up|subscribe|abonnez-vous|inscrivez-vous|newsletter|jetzt abonnieren|abonneer|订阅|訂閱|"
            r"thank you for (subscribing|signing up)|continue reading|read more|lire la suite|weiterlesen|"
            r"lees meer|lees verder|阅读全文|閱讀全文|more from|related (articles?|news|stories|posts)|"
            r"articles? (liés|similaires)|à lire aussi|lire aussi|voir aussi|das könnte sie auch interessieren|"
            r"weitere (artikel|nachrichten|informationen)|meer nieuws|gerelateerd|相关(新闻|文章|阅读|资讯)|"
            r"相關(新聞|文章|閱讀|資訊)|推荐(阅读|资讯)|推薦(閱讀|資訊)|热门(新闻|文章)|熱門(新聞|文章)|"
            r"更多(新闻|新聞|项目|項目|政策|资讯|資訊|>>|»)?|上一篇|下一篇|上一條|下一條|返回|关联|"
            r"関連(記事|ニュース)|관련 기사|jump to|back to top|retour en haut|nach oben|terug naar boven|"
            r"faire défiler vers le haut|scroll to top)\b",
            re.I,
        ),
    ),
    (
        "newsletter or paywall",
        re.compile(
            r"(articles a month for free|read as much as you want|subscribe now|subscriber-only|"
            r"already a subscriber|déjà abonné|bereits abonnent|sign up to receive|receive notifications|"
            r"newsletter|s'abonner|abonnieren)",
            re.I,
        ),
    ),
    (
        "skip link",
        re.compile(
            r"^(\d\.\s*)?(skip to (main )?(content|navigation|search|footer)|aller (au|à la) (contenu|navigation|recherche)"
            r"( principal)?|zum inhalt springen|zu[mr]? .{2,40} springen$|naar (de )?(hoofd)?inhoud|"
            r"跳到主要内容|跳至主要內容|本文へ移動|본문 바로가기)",
            re.I,
        ),
    ),
    (
        "login",
        re.compile(
            r"^(log ?in|sign ?in|log ?out|register|se connecter|connexion|anmelden|benutzeranmeldung|inloggen|"
            r"登录|登錄|登入|注册|註冊|ログイン|로그인|captcha|bild-captcha|password|mot de passe|passwort)\b",
            re.I,
        ),
    ),
    (
        "login",
        re.compile(r"(geben sie die zeichen ein|enter the characters|saisissez les caractères|captcha)", re.I),
    ),
    (
        "photo credit",
        re.compile(
            r"^([—–-]\s*)?(\(?(photo|foto|bild|image|picture|crédits?|credit|source image|图片来源|圖片來源|图|圖|画像|사진)"
            r"\s*[:：(（]|.{0,60}\s*/\s*([\w ]{0,20}\s)?(staff|getty images|afp|reuters|dpa|shutterstock)$|"
            r"(图片|圖片|图|圖|photo|foto|image|画像|写真|사진)\s*\d{1,2}$|"
            r"[\w\-]+-\d{2,4}x\d{2,4}(\.\w+)?$|\(?画像は.{0,40}(より|から)\)?$)",
            re.I,
        ),
    ),
    (
        "advertisement",
        re.compile(r"^(advertisement|publicité|anzeige|advertentie|广告|廣告|広告|광고|sponsored)$", re.I),
    ),
    ("advertisement", re.compile(r"\banzeige$", re.I)),
    (
        "contact prompt",
        re.compile(
            r"^[-•*·]?\s*(contact( us)?|contactez-nous|kontakt|neem contact op|联系我们|聯絡我們|聯繫我們|"
            r"お問い合わせ|문의|立即获取|立即咨询|在线咨询|企业入驻|in-company)\s*[:：]?$",
            re.I,
        ),
    ),
    (
        "contact prompt",
        re.compile(
            r"^(更多有關|更多有关|欲了解更多|如欲索取|詳情請瀏覽|详情请浏览|for more information|for further information|"
            r"pour plus d'informations|weitere informationen|meer informatie|詳しくは|자세한 내용).{0,40}$",
            re.I,
        ),
    ),
    (
        "browser or error notice",
        re.compile(
            r"(javascript (is )?(disabled|required|must be enabled)|enable javascript|active[rz] (le )?javascript|"
            r"javascript (aktivieren|ist deaktiviert)|javascript inschakelen|javascriptを有効|자바스크립트|"
            r"启用javascript|啟用javascript|browser (is not|isn't|not) supported|update your browser|"
            r"navigateur (n'est pas|non) (pris en charge|supporté)|浏览器版本过低|瀏覽器版本過低|"
            r"^(error\s*)?404(\s*[-:–|]?\s*(error|not found|page not found|introuvable|nicht gefunden|niet gevonden))?$|^page not found$|^page introuvable$|^seite nicht gefunden$|^pagina niet gevonden$|"
            r"^页面不存在|^頁面不存在|^ページが見つかりません|^페이지를 찾을 수 없습니다)",
            re.I,
        ),
    ),
    (
        # four or more Chinese/Japanese words of one to four characters side by side: a menu bar
        # ("首 页 区县招商 产业园区 企业选址"); Korean is left out (its words are short and spaced)
        "menu",
        re.compile(r"^[\u3040-\u30ff\u3400-\u9fff]{1,4}([\s|｜/·•]+[\u3040-\u30ff\u3400-\u9fff]{1,4}){3,}$"),
    ),
    ("photo credit", re.compile(r"^PHOTO\s+[A-ZÀ-Ý][A-ZÀ-Ý .'-]+,")),  # "PHOTO JANE DOE, COLLABORATION SPÉCIALE"
    (
        "comment prompt",
        re.compile(
            r"^((\d+\s*)?(comments?|commentaires?|kommentare?|reacties?|댓글|コメント|评论|評論|留言)\s*[:：]?\s*[(（]?\d+[)）]?$|"
            r"what do you think (of|about) this|qu'en pensez-vous|was (denken|halten) sie (davon|darüber)|"
            r"이 기사에 대해 어떻게|이 기사를 추천|この記事(について|を)どう|你怎么看|你怎麼看)",
            re.I,
        ),
    ),
    (
        "newsletter or paywall",
        re.compile(
            r"(해당 언론사로 이동|언론사 홈 바로가기|(つづき|続き)は.{0,12}(ご覧|お読み)|この記事の続きを|"
            r"全文(はこちら|を読む)|查看全文|閱讀全文|阅读原文|閱讀原文)",
            re.I,
        ),
    ),
    (
        "legal footer",
        re.compile(
            r"(^(reprint|redistribution|republication)\b[^.]{0,60}"
            r"(prohibited|forbidden|not permitted|without (prior |written )*permission)|"
            r"reproduction (interdite|strictement interdite)|nachdruck (nur|verboten)|"
            r"무단\s*전재|재배포\s*금지|無断転載|无断转载|禁止转载|不得转载|未经(授权|许可).{0,12}(转载|轉載)|"
            r"未經(授權|許可).{0,12}轉載)",
            re.I,
        ),
    ),
    ("tags", re.compile(r"^(#[^\s#]+\s*){2,}$")),
    ("link", re.compile(r"^https?://\S+$", re.I)),
    ("font size", re.compile(r"^(a\s*){2,3}$|^(字号|字號|文字サイズ)\s*[:：]?.*$", re.I)),
    ("widget", re.compile(r"^(氣溫|气温|濕度|湿度|天气|天氣|weather|météo|wetter)(\s+\S+){0,3}$", re.I)),
    (
        "embedded post",
        re.compile(r"^(—|--)\s*.{1,60}\(@\w+\)\s*\w+ \d{1,2}, \d{4}$|https?://t\.co/\w+$", re.I),
    ),
    (
        "site name",
        re.compile(r"^.{4,200}\s[-|–—]\s(rthk|bbc|reuters|bloomberg|cnn|afp|新华网|人民网|中新网)$", re.I),
    ),
]


def furniture_reason(line: str) -> str | None:
    """Why a trimmed line is furniture, or None when it may be content."""
    line = unicodedata.normalize("NFKC", line)
    for reason, pattern in FURNITURE:
        if pattern.search(line):
            return reason
    return None
