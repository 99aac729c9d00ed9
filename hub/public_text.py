"""The public offer page's own words in the terminal's three languages, and how a request
chooses one. The offer's text (title, description, what its recruiter wrote) is never
translated: only the words around it.

The languages are the terminal's (kiosk/ui/language.py, which needs Qt and so is not imported
here); the wording follows the terminal's translations (assets/translations) where it says the
same thing, so a passer-by who scanned a code reads on their phone the words of the screen.
"""

from __future__ import annotations

from datetime import datetime

from kiosk.domain import CONTRACT_LABELS, DurationUnit, Offer

LANGUAGES = ("fr", "en", "ar")
DEFAULT = "fr"
RIGHT_TO_LEFT = frozenset({"ar"})
NAMES = {"fr": "Français", "en": "English", "ar": "العربية"}  # each in itself: the switcher

# The page's words, one dict per language, the same keys in each ("{…}" fields filled in by
# hub/public.py). French is the page as it always read.
TEXTS: dict[str, dict[str, str]] = {
    "fr": {
        "title_suffix": " — offre d’emploi",
        "gone_title": "Offre retirée",
        "gone_heading": "Cette offre a été retirée",
        "gone_body": "Le poste est sans doute pourvu, ou l’annonce n’est plus publiée.",
        "missing_title": "Offre introuvable",
        "missing_heading": "Offre introuvable",
        "missing_body": "Aucune offre publiée ne porte ce numéro.",
        "demo_lead": "Offre fictive de démonstration.",
        "demo_body": "L’annonce et l’entreprise sont inventées : il n’y a pas de poste à pourvoir.",
        "demo_apply": "Cette offre sert à essayer la borne : aucun recruteur ne recevra de "
        "candidature.",
        "no_company": "Entreprise non précisée",
        "apprenticeship": "Alternance",
        "full_time": "Temps plein",
        "part_time": "Temps partiel",
        "disabled": "Ouvert aux travailleurs handicapés",
        "posted": "Publiée le {date}",
        "salary": "Salaire",
        "schedule": "Horaires",
        "experience": "Expérience",
        "job": "Le poste",
        "skills": "Compétences",
        "education": "Formation",
        "licences": "Permis",
        "languages": "Langues",
        "required": "exigé",
        "desired": "souhaité",
        "company": "L’entreprise",
        "apply": "Postuler",
        "by_phone": "Par téléphone",
        "by_email": "Par e-mail",
        "colon": " : ",
        "source_page": "Voir l’offre sur le site qui la publie",
        "apply_on": "Postuler sur le site de {site}",
        "kiosk": "Vous pouvez postuler sur une borne Job Kiosk.",
        "kiosk_also": "Vous pouvez aussi postuler sur une borne Job Kiosk.",
        "language": "Langue de la page",
        "footer": "Page publique d’une offre · Job Kiosk",
    },
    "en": {
        "title_suffix": " — job offer",
        "gone_title": "Offer withdrawn",
        "gone_heading": "This offer has been withdrawn",
        "gone_body": "The job has probably been filled, or the advert is no longer published.",
        "missing_title": "Offer not found",
        "missing_heading": "Offer not found",
        "missing_body": "No published offer has this number.",
        "demo_lead": "Fictional demo offer.",
        "demo_body": "The advert and the company are made up: there is no job to fill.",
        "demo_apply": "This offer is for trying out the terminal: no recruiter will receive "
        "an application.",
        "no_company": "Company not disclosed",
        "apprenticeship": "Apprenticeship",
        "full_time": "Full time",
        "part_time": "Part time",
        "disabled": "Open to disabled workers",
        "posted": "Posted on {date}",
        "salary": "Salary",
        "schedule": "Working hours",
        "experience": "Experience",
        "job": "The job",
        "skills": "Skills",
        "education": "Training",
        "licences": "Driving licences",
        "languages": "Languages",
        "required": "required",
        "desired": "preferred",
        "company": "The company",
        "apply": "How to apply",
        "by_phone": "By phone",
        "by_email": "By e-mail",
        "colon": ": ",
        "source_page": "See the offer on the site that publishes it",
        "apply_on": "Apply on the {site} website",
        "kiosk": "You can apply at a Job Kiosk terminal.",
        "kiosk_also": "You can also apply at a Job Kiosk terminal.",
        "language": "Page language",
        "footer": "Public page of a job offer · Job Kiosk",
    },
    "ar": {
        "title_suffix": " — عرض عمل",
        "gone_title": "عرض مسحوب",
        "gone_heading": "تم سحب هذا العرض",
        "gone_body": "ربما تم شغل الوظيفة، أو لم يعد الإعلان منشورًا.",
        "missing_title": "العرض غير موجود",
        "missing_heading": "العرض غير موجود",
        "missing_body": "لا يوجد عرض منشور بهذا الرقم.",
        "demo_lead": "عرض تجريبي وهمي.",
        "demo_body": "الإعلان والشركة من نسج الخيال: لا توجد وظيفة شاغرة.",
        "demo_apply": "هذا العرض لتجربة الشاشة فقط: لن يتلقى أي صاحب عمل طلبًا.",
        "no_company": "الشركة غير مذكورة",
        "apprenticeship": "تكوين بالتناوب",
        "full_time": "دوام كامل",
        "part_time": "دوام جزئي",
        "disabled": "مفتوح لذوي الإعاقة",
        "posted": "نُشر في {date}",
        "salary": "الراتب",
        "schedule": "ساعات العمل",
        "experience": "الخبرة",
        "job": "الوظيفة",
        "skills": "المهارات",
        "education": "التكوين",
        "licences": "رخص السياقة",
        "languages": "اللغات",
        "required": "مطلوب",
        "desired": "مرغوب فيه",
        "company": "الشركة",
        "apply": "كيفية التقديم",
        "by_phone": "بالهاتف",
        "by_email": "بالبريد الإلكتروني",
        "colon": ": ",
        "source_page": "عرض الإعلان على الموقع الذي ينشره",
        "apply_on": "التقديم عبر موقع {site}",
        "kiosk": "يمكنك التقدّم لهذا العرض من شاشة كشك التوظيف.",
        "kiosk_also": "يمكنك أيضًا التقدّم لهذا العرض من شاشة كشك التوظيف.",
        "language": "لغة الصفحة",
        "footer": "الصفحة العامة لعرض عمل · Job Kiosk",
    },
}

# Month names; Arabic as the terminal writes them (its ar_TN locale: Maghreb names, Western
# digits, as on the rest of a French terminal).
MONTHS: dict[str, tuple[str, ...]] = {
    "fr": (
        "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
        "octobre", "novembre", "décembre",
    ),
    "en": (
        "January", "February", "March", "April", "May", "June", "July", "August", "September",
        "October", "November", "December",
    ),
    "ar": (
        "جانفي", "فيفري", "مارس", "أفريل", "ماي", "جوان", "جويلية", "أوت", "سبتمبر", "أكتوبر",
        "نوفمبر", "ديسمبر",
    ),
}  # fmt: skip

# Plural forms in Qt's order for each language (as in assets/translations): French and English
# one/other, Arabic zero/one/two/few (3-10)/many (11-99)/other.
_PLURALS: dict[str, dict[str, tuple[str, ...]]] = {
    "fr": {
        "positions": ("{n} poste", "{n} postes"),
        DurationUnit.DAY: ("{n} jour", "{n} jours"),
        DurationUnit.WEEK: ("{n} semaine", "{n} semaines"),
        DurationUnit.MONTH: ("{n} mois", "{n} mois"),
        DurationUnit.YEAR: ("{n} an", "{n} ans"),
    },
    "en": {
        "positions": ("{n} position to fill", "{n} positions to fill"),
        DurationUnit.DAY: ("{n} day", "{n} days"),
        DurationUnit.WEEK: ("{n} week", "{n} weeks"),
        DurationUnit.MONTH: ("{n} month", "{n} months"),
        DurationUnit.YEAR: ("{n} year", "{n} years"),
    },
    "ar": {
        "positions": (
            "{n} منصب شاغر", "منصب شاغر واحد", "منصبان شاغران", "{n} مناصب شاغرة",
            "{n} منصبًا شاغرًا", "{n} منصب شاغر",
        ),
        DurationUnit.DAY: ("{n} يوم", "يوم واحد", "يومان", "{n} أيام", "{n} يومًا", "{n} يوم"),
        DurationUnit.WEEK: (
            "{n} أسبوع", "أسبوع واحد", "أسبوعان", "{n} أسابيع", "{n} أسبوعًا", "{n} أسبوع",
        ),
        DurationUnit.MONTH: ("{n} شهر", "شهر واحد", "شهران", "{n} أشهر", "{n} شهرًا", "{n} شهر"),
        DurationUnit.YEAR: ("{n} سنة", "سنة واحدة", "سنتان", "{n} سنوات", "{n} سنة", "{n} سنة"),
    },
}  # fmt: skip

# Contract names by France Travail code, as the terminal's cards say them; French keeps the
# source's own short labels (kiosk.domain.contract_label), as the page always showed them;
# "ALT": an apprenticeship that names no other contract.
_CONTRACTS: dict[str, dict[str, str]] = {
    "fr": {code: short for code, (short, _) in CONTRACT_LABELS.items()} | {"ALT": "Alternance"},
    "en": {
        "CDI": "Permanent",
        "CDD": "Fixed-term",
        "MIS": "Temporary (agency)",
        "SAI": "Seasonal",
        "CCE": "Commercial agent",
        "FRA": "Franchise",
        "LIB": "Self-employed",
        "REP": "Business takeover",
        "TTI": "Temporary (integration)",
        "DDI": "Fixed-term (integration)",
        "DIN": "Permanent agency worker",
        "OTHER": "Other contract",
        "ALT": "Apprenticeship",
    },
    "ar": {
        "CDI": "عقد دائم",
        "CDD": "عقد محدّد المدة",
        "MIS": "عمل مؤقت",
        "SAI": "عمل موسمي",
        "CCE": "وكيل تجاري",
        "FRA": "امتياز تجاري",
        "LIB": "مهنة حرة",
        "REP": "استئناف مؤسسة",
        "TTI": "عمل مؤقت للإدماج",
        "DDI": "عقد محدّد المدة للإدماج",
        "DIN": "عقد دائم مع وكالة توظيف",
        "OTHER": "عقد آخر",
        "ALT": "تكوين بالتناوب",
    },
}
_WITH_APPRENTICESHIP = {
    "fr": "{contract}, alternance",
    "en": "{contract}, apprenticeship",
    "ar": "{contract}، تكوين بالتناوب",
}
_CONTRACT_WITH_DURATION = {
    "fr": "{contract} {duration}",
    "en": "{contract} {duration}",
    "ar": "{contract} لمدة {duration}",
}
_MAX_HEADER = 1000  # of Accept-Language read: a longer one is a client's mistake, not a choice


def plural(lang: str, key: str | DurationUnit, n: int) -> str:
    """`n` things in `lang`, in the grammatical number it takes there."""
    forms = _PLURALS[lang][key]
    if lang == "ar":
        rest = n % 100
        index = (
            0 if n == 0 else 1 if n == 1 else 2 if n == 2 else 3 if 3 <= rest <= 10
            else 4 if 11 <= rest <= 99 else 5
        )  # fmt: skip
    elif lang == "fr":
        index = 0 if n <= 1 else 1
    else:
        index = 0 if n == 1 else 1
    return forms[index].format(n=n)


def written_date(lang: str, when: datetime) -> str:
    """ "5 mars 2026", "5 March 2026", "5 مارس 2026"."""
    return f"{when.day} {MONTHS[lang][when.month - 1]} {when.year}"


def contract(lang: str, offer: Offer) -> str:
    """The offer's contract with its duration: "CDD 6 mois", "Fixed-term 6 months"; an
    apprenticeship says so ("CDD 2 ans, alternance"), alone when no other contract is named
    ("Alternance")."""
    names = _CONTRACTS[lang]
    named = offer.contract_code in names and offer.contract_code not in ("OTHER", "ALT")
    alone = offer.apprenticeship and not named
    name = names["ALT"] if alone else names.get(offer.contract_code, names["OTHER"])
    if offer.contract_duration is not None and offer.contract_duration_unit is not None:
        duration = plural(lang, offer.contract_duration_unit, offer.contract_duration)
        name = _CONTRACT_WITH_DURATION[lang].format(contract=name, duration=duration)
    if offer.apprenticeship and not alone:
        return _WITH_APPRENTICESHIP[lang].format(contract=name)
    return name


def _primary(tag: str) -> str:
    return tag.strip().replace("_", "-").split("-", 1)[0].lower()


def choose(asked: str | None, accept_language: str | None) -> str:
    """The page's language: `?lang=` when it names one of ours, else the best of ours in the
    browser's Accept-Language (highest q, the first listed on a tie; "ar-TN" counts as "ar"),
    else French."""
    if asked and (code := _primary(asked)) in LANGUAGES:
        return code
    best, best_q = DEFAULT, 0.0
    for part in (accept_language or "")[:_MAX_HEADER].split(","):
        tag, *parameters = part.split(";")
        q = 1.0
        for parameter in parameters:
            name, _, value = parameter.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if _primary(tag) in LANGUAGES and q > best_q:
            best, best_q = _primary(tag), q
    return best
