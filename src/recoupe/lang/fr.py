"""French rules: boilerplate patterns, speech verbs, hedges, number words, weekdays.

Everything that only holds for French lives here (or in data files next to it), so that adding a
language means adding a sibling module with the same names.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

# ----------------------------------------------------------------------------- cleaning
# Patterns used by recoupe.clean. Each names a piece of page furniture that French news sites and
# agencies put around the article body; clean.py decides where in the article each may apply.

_UP = "A-ZÀ-ÖØ-ÞŒ"  # upper-case letters
_LO = "a-zà-öø-ÿœ"

# " date 2023-09 " glued before the first sentence (corpus exports)
METADATA_PREFIX = re.compile(r"^[ \t]*date[ \t]+\d{4}(?:-\d{2}(?:-\d{2})?)?[ \t]+")
# "Par Hélène Carré (Nantes, envoyée spéciale) · Publié le 6 mars 2024 à 08h30", "Mis à jour le ..."
BYLINE = re.compile(
    rf"^(?:Par\s+[{_UP}][\w'’-]+(?:\s+(?:[{_UP}][\w'’.-]*|de|du|van|von|d[’']\w+)){{0,4}}"
    rf"(?:\s*(?:\(|,|·|-|–|—|\||et\b)|\s*$)"
    r"|(?:Publié|Mis à jour|Modifié|Actualisé)\s+le\s+\d)"
)
PUBLISHED = re.compile(r"\b(?:Publié|Mis à jour|Modifié|Actualisé)\s+le\s+\d", re.I)

# The start of a photo caption box: "Ouvrir en mode plein écran <caption>. Photo : AFP / X"
CAPTION_MARKER = re.compile(
    r"^(?:Ouvrir en mode plein écran|Agrandir l[’']image|Voir en plein écran|Afficher en plein écran"
    r"|Voir la photo|Légende\s*:|Photo d[’']illustration\b)\s*",
    re.I,
)
# Credits, read by recoupe.clean as an optional lead, then items (agencies, names, "Photo") joined
# by separators: "Photo : AFP / Jean Dupuis", "Photo : pool/afp via getty images / Jane Doe",
# "Crédit photo : DR", "© Jane Doe", "AFP PHOTO / LUDOVIC MARIN", "LOÏC VENANCE / AFP", "(Photo AFP)",
# "(Reuters)", "/Photo prise le 17 octobre 2008/REUTERS/Jean-Paul Pélissier".
CREDIT_LEAD = re.compile(
    r"(?:\b(?:Photos?|PHOTOS?|Crédits?(?:\s+[Pp]hotos?)?|CRÉDITS?(?:\s+PHOTOS?)?|Photographie|Illustration|Image|Vidéo)\s*:\s*"
    r"|©\s*|\([Cc]\)\s+)"
)
# "Photo AFP", "Photo Jane Doe / Hans Lucas": a lead only before an agency or items joined by a separator.
CREDIT_LEAD_WEAK = re.compile(r"(?:Photos?|PHOTOS?)\s+")
# Photo agencies, pools and picture libraries, in any case: items that make a line a credit.
CREDIT_AGENCY = re.compile(
    r"(?:(?i:afp|agence\s+france[- ]presse|reuters|ap|associated\s+press|epa(?:-efe)?|efe|dpa|ansa|belga|anp|"
    r"maxppp|sipa(?:\s+press)?|hans\s+lucas|divergence|abaca(?:press)?|getty\s+images|getty|pool|bestimage|"
    r"panoramic|icon\s+sport|leemage|photononstop|aurimages|xinhua|kcna|yonhap|kyodo|nurphoto|zuma(?:\s+press)?|"
    r"sopa\s+images|shutterstock|istock|droits\s+réservés)|DR|D\.R\.)(?:\s+(?i:photos?))?(?![\w'’-])"
)
# "Photo", "Photo prise le 17 octobre 2008": a segment of a slashed credit.
CREDIT_PHOTO_WORD = re.compile(r"(?i:photos?)(?:\s+prises?\s+(?:le|en|à)\s+[^/()\n]{1,40}?)?(?=\s*(?:/|\)|$))")
# What joins the items of a credit: "AFP / Jean Dupuis", "pool via Getty Images", "Jane Doe pour Le Monde".
CREDIT_SEPARATOR = re.compile(r"\s*(?:/|\b(?i:via|pour)\b|&|\s[-–]\s)\s*")
CREDIT_NAME_MAX_WORDS = 4  # a photographer's name: "Jean-Paul Pélissier", "Kim Hong-Ji", "LUDOVIC MARIN"
# Words that begin a sentence rather than continue a photographer's name.
SENTENCE_STARTERS = frozenset(
    """le la les l un une des du de d au aux à a en dans pour par sur sous selon il elle ils elles on ce
    cette ces c mais et ou après avant depuis lors pendant plus moins si quand lorsque alors ainsi
    toutefois cependant pourtant déjà dès entre vers chez tout tous toute toutes aucun aucune mon ma
    mes son sa ses leur leurs notre nos votre vos je nous vous qui que quoi où dont comme cet""".split()
)

# Datelines. Upper-case place: "SÉOUL, Corée, République de — ", "NANTES, 5 mars (APO) — ".
DATELINE_UPPER = re.compile(
    rf"^(?P<place>[{_UP}][{_UP}'’.-]+(?:[ -][{_UP}][{_UP}'’.-]*){{0,3}})"
    r"(?:\s*,\s*(?P<rest>[^—–\n.;:!?()«»]{1,50}?))?"
    r"(?:\s*\((?P<agency>[A-Za-z][\w./ -]{1,20})\))?"
    r"(?:\s*[—–]|\s+--?)[ \t\u00a0]+"
)
# Capitalised place, then an agency in brackets: "Paris (AFP) - ", "Nantes, 5 mars (AFP) — "
DATELINE_AGENCY = re.compile(
    rf"^(?P<place>[{_UP}][{_LO}'’-]+(?:[ -](?:[{_UP}][{_LO}'’-]*|sur|sous|en|de|la|le|les|du|lès|d[’'][{_UP}][{_LO}]+)){{0,4}})"
    r"(?:\s*,\s*(?P<rest>[^—–\n.;:!?()«»]{1,50}?))?"
    r"\s*\((?P<agency>[A-Z][\w./ -]{1,20})\)"
    r"(?:\s*[—–]|\s+--?)[ \t\u00a0]+"
)
DATELINE_MAX_REST_WORDS = 6
# The date a dateline may carry after its place: "NANTES, 5 mars (APO) — ", "Paris, 1er juin 2023 (AFP) - "
DATELINE_DATE = re.compile(
    r"(?:(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)\s+)?(?P<day>[0-3]?\d)(?:er)?\s+"
    r"(?P<month>janvier|f[ée]vrier|mars|avril|mai|juin|juillet|ao[ûu]t|septembre|octobre|novembre|d[ée]cembre)"
    r"(?:\s+(?P<year>(?:19|20)\d\d))?\b",
    re.IGNORECASE,
)

# Page furniture lines: "Lire aussi : ...", "À lire aussi", "Publicité", "Partager"...
BOILERPLATE_PREFIX = re.compile(
    r"^(?:(?:À|A)\s+lire\s+(?:aussi|également|ensuite)|Lire\s+(?:aussi|également|la suite|plus)|(?:À\s+)?[Vv]oir\s+aussi"
    r"|Sur\s+le\s+même\s+sujet|Notre\s+dossier|Retrouvez\s+notre\s+dossier|Et\s+aussi|LIRE\s+AUSSI|À\s+LIRE\s+AUSSI"
    r"|VOIR\s+AUSSI|Abonnez-vous|Inscrivez-vous\s+à\s+(?:la|notre)\s+newsletter|Suivez-nous)\b\s*(?P<sep>[:|>»–—-])?",
)
BOILERPLATE_LINE = frozenset(
    s.lower()
    for s in (
        "Publicité", "Partager", "Partager cet article", "Partager sur Facebook", "Partager sur X",
        "Partager sur Twitter", "Partager par e-mail", "Copier le lien", "Réagir", "Commenter",
        "Newsletter", "Contenu sponsorisé", "Contenus sponsorisés", "Article réservé aux abonnés",
        "Réservé aux abonnés", "Écouter cet article", "Imprimer", "Envoyer", "Facebook", "Twitter",
        "LinkedIn", "WhatsApp", "Favoris", "Ajouter à mes favoris", "S'abonner", "S’abonner",
        "Lire plus tard", "Offrir cet article", "Temps de lecture", "Fermer",
    )
)

# Signatures on the last line: "RFI", "Ouest-Info", "(AFP)", "Avec AFP", "La Voix de la Loire (avec APO)"
AGENCIES = r"(?:AFP|AP|Reuters|REUTERS|APO|ANSA|DPA|EFE|Belga|BELGA|ATS|Xinhua|Sputnik|Bloomberg|Kyodo|Yonhap|Anadolu)"
AGENCY_ONLY = re.compile(
    rf"^(?:\(\s*(?:[Aa]vec\s+(?:l[’'])?)?[A-Z][\w.]{{1,10}}(?:\s*(?:,|et|/)\s*[A-Z][\w.]{{1,10}})*\s*\)"
    rf"|(?:[Aa]vec|[Ss]ources?\s*:|[Dd][’']après)\s+(?:l[’'])?{AGENCIES}(?:\s*(?:,|et|/)\s*{AGENCIES})*|{AGENCIES})$"
)
RELAY_ONLY = re.compile(r"^\(?\s*(?:[Aa]vec|[Ss]ources?\s*:|[Dd][’']après)\b")
SIGNATURE_RELAY = re.compile(r"\s*(?:\(\s*(?:avec|with|d[’']après|source)\b[^)]*\)|,?\s*(?:avec|d[’']après)\s+[A-Z][\w .&/-]*)\s*$", re.I)
SIGNATURE_MAX_WORDS = 8
SIGNATURE_MAX_CHARS = 60
TITLE_MAX_WORDS = 25
SUBHEAD_MAX_WORDS = 12
# Endings that make a line a sentence (so not a title, subhead or signature).
SENTENCE_END = re.compile(r"[.!?…:;,]\s*$|[.!?…]\s*[»”\"’)]\s*$")
SUBHEAD_BAD_END = re.compile(r"[.!?…:;,»”\"]\s*$")
SUBHEAD_BAD_START = re.compile(r"^[«“\"—–\-•*(\[]")


# ----------------------------------------------------------------------------- measures
# Data for recoupe.extract.measures (documented in docs/measurements.md).

# Hedge -> interval reading of the number X it governs: (low, high, low_open, high_open) as
# factors of X; None = open end. Keys are lower-case with ' apostrophes; longest match wins.
# For the hedges of ROUNDED_HEDGES the low end is X minus half the rounding step of X as written
# ("presque six heures" = [5.5, 6): what rounds to 6), and the low factor is how far it may go
# at most ("presque un million" = [900 000, 1 000 000)).
HEDGES: dict[str, tuple[float | None, float | None, bool, bool]] = {
    "environ": (0.875, 1.125, False, False),
    "à peu près": (0.875, 1.125, False, False),
    "quelque": (0.875, 1.125, False, False),
    "autour de": (0.875, 1.125, False, False),
    "aux alentours de": (0.875, 1.125, False, False),
    "approximativement": (0.875, 1.125, False, False),
    "grosso modo": (0.875, 1.125, False, False),
    "plus de": (1.0, None, True, True),
    "plus d'": (1.0, None, True, True),
    "un peu plus de": (1.0, 1.25, True, False),
    "un peu plus d'": (1.0, 1.25, True, False),
    "un peu moins de": (0.8, 1.0, False, True),
    "un peu moins d'": (0.8, 1.0, False, True),
    "presque": (0.9, 1.0, False, True),
    "quasiment": (0.9, 1.0, False, True),
    "près de": (0.9, 1.0, False, False),
    "près d'": (0.9, 1.0, False, False),
    "pas loin de": (0.9, 1.0, False, False),
    "pas loin d'": (0.9, 1.0, False, False),
    "au moins": (1.0, None, False, True),
    "pas moins de": (1.0, None, False, True),
    "pas moins d'": (1.0, None, False, True),
    "au minimum": (1.0, None, False, True),
    "au plus": (0.0, 1.0, False, False),
    "au maximum": (0.0, 1.0, False, False),
    "jusqu'à": (0.0, 1.0, False, False),
    "moins de": (0.0, 1.0, False, True),
    "moins d'": (0.0, 1.0, False, True),
}
ROUNDED_HEDGES = {"presque", "quasiment", "près de", "près d'", "pas loin de", "pas loin d'"}
HEDGES_AFTER = {"environ": (0.875, 1.125, False, False)}  # "deux heures environ"
# Clock-time hedges, in hours added to the time: "vers 23 heures" = [22:30, 23:30].
CLOCK_HEDGES: dict[str, tuple[float, float]] = {
    "vers": (-0.5, 0.5),
    "aux alentours de": (-0.5, 0.5),
    "autour de": (-0.5, 0.5),
    "environ": (-0.5, 0.5),
    "peu après": (0.0, 0.5),
    "peu avant": (-0.5, 0.0),
    "un peu après": (0.0, 0.5),
    "un peu avant": (-0.5, 0.0),
}
# Words right before "X heures" that make it a clock time, not a duration.
CLOCK_CUES = ("à", "vers", "dès", "depuis", "jusqu'à", "avant", "après", "peu après", "peu avant",
              "aux alentours de", "un peu après", "un peu avant", "entre", "et", "ce", "de")
CLOCK_AFTER = ("du matin", "du soir", "de l'après-midi", "de la nuit", "heure locale", "heure de paris", "gmt")

# "une dizaine" and friends: approximate numbers as intervals.
APPROX_NOUNS: dict[str, tuple[float, float, float]] = {  # noun -> (nominal, low, high)
    "dizaine": (10, 8, 12),
    "douzaine": (12, 10, 14),
    "quinzaine": (15, 13, 17),
    "vingtaine": (20, 16, 24),
    "trentaine": (30, 25, 35),
    "quarantaine": (40, 35, 45),
    "cinquantaine": (50, 45, 55),
    "soixantaine": (60, 55, 65),
    "centaine": (100, 80, 120),
    "millier": (1000, 800, 1200),
    "poignée": (5, 2, 10),  # "une poignée de traders": a few, more than one
}
# "des dizaines", "des centaines", "des milliers", "des millions": [2B, 10B - 1] with B the base.
PLURAL_MAGNITUDES: dict[str, float] = {
    "dizaines": 10, "centaines": 100, "milliers": 1000, "millions": 1e6, "milliards": 1e9,
}
COUNT_NOUN_SKIP = {"plus", "moins", "très"}  # "les six plus grandes banques": words between a number and its noun's adjectives
# A decade: "les années 1930", "les années 80" (1980-1989): a period of ten years, neither the year 1930
# nor a count of 80 (the text lower-cased).
DECADES = re.compile(r"(?<![\w-])années\s+((?:1[5-9]|20)\d0|[1-9]0)(?!\w)(?![,.]\d)(?!\s?[-–]\s?\d)")
# A number never counts the noun after a singular article: "un bénéfice de 437 millions un an plus tôt".
COUNT_SINGULAR_ARTICLES = {"un", "une", "le", "la", "l'", "l’"}
VAGUE_QUANTIFIERS = {"des": (2, None), "aux": (2, None), "plusieurs": (2, 9), "quelques": (2, 9)}  # None: 10B - 1
MULTIPLIERS = {"mille": 1e3, "million": 1e6, "millions": 1e6, "milliard": 1e9, "milliards": 1e9}

# Unit words -> (dimension, factor to the base unit, base unit). Base units: h, m, t, m², %, °C,
# km/h and the currency code for money (no conversion between currencies).
UNITS: dict[str, tuple[str, float, str]] = {
    "heure": ("duration", 1, "h"), "heures": ("duration", 1, "h"), "h": ("duration", 1, "h"),
    "minute": ("duration", 1 / 60, "h"), "minutes": ("duration", 1 / 60, "h"), "min": ("duration", 1 / 60, "h"),
    "seconde": ("duration", 1 / 3600, "h"), "secondes": ("duration", 1 / 3600, "h"),
    "jour": ("duration", 24, "h"), "jours": ("duration", 24, "h"),
    "journée": ("duration", 24, "h"), "journées": ("duration", 24, "h"),
    "nuit": ("duration", 12, "h"), "nuits": ("duration", 12, "h"),
    "semaine": ("duration", 168, "h"), "semaines": ("duration", 168, "h"),
    "mois": ("duration", 730.5, "h"),
    "an": ("duration", 8766, "h"), "ans": ("duration", 8766, "h"),
    "année": ("duration", 8766, "h"), "années": ("duration", 8766, "h"),
    "décennie": ("duration", 87660, "h"), "décennies": ("duration", 87660, "h"),
    "siècle": ("duration", 876600, "h"), "siècles": ("duration", 876600, "h"),
    "mm": ("length", 0.001, "m"), "millimètre": ("length", 0.001, "m"), "millimètres": ("length", 0.001, "m"),
    "cm": ("length", 0.01, "m"), "centimètre": ("length", 0.01, "m"), "centimètres": ("length", 0.01, "m"),
    "m": ("length", 1, "m"), "mètre": ("length", 1, "m"), "mètres": ("length", 1, "m"),
    "km": ("length", 1000, "m"), "kilomètre": ("length", 1000, "m"), "kilomètres": ("length", 1000, "m"),
    "g": ("mass", 1e-6, "t"), "gramme": ("mass", 1e-6, "t"), "grammes": ("mass", 1e-6, "t"),
    "kg": ("mass", 1e-3, "t"), "kilo": ("mass", 1e-3, "t"), "kilos": ("mass", 1e-3, "t"),
    "kilogramme": ("mass", 1e-3, "t"), "kilogrammes": ("mass", 1e-3, "t"),
    "t": ("mass", 1, "t"), "tonne": ("mass", 1, "t"), "tonnes": ("mass", 1, "t"),
    "m²": ("area", 1, "m²"), "m2": ("area", 1, "m²"), "mètres carrés": ("area", 1, "m²"), "mètre carré": ("area", 1, "m²"),
    "km²": ("area", 1e6, "m²"), "km2": ("area", 1e6, "m²"), "kilomètres carrés": ("area", 1e6, "m²"),
    "ha": ("area", 1e4, "m²"), "hectare": ("area", 1e4, "m²"), "hectares": ("area", 1e4, "m²"),
    "%": ("percentage", 1, "%"), "pour cent": ("percentage", 1, "%"), "pourcent": ("percentage", 1, "%"),
    "€": ("money", 1, "EUR"), "euro": ("money", 1, "EUR"), "euros": ("money", 1, "EUR"),
    "$": ("money", 1, "USD"), "dollar": ("money", 1, "USD"), "dollars": ("money", 1, "USD"),
    "£": ("money", 1, "GBP"), "livres sterling": ("money", 1, "GBP"),
    "rouble": ("money", 1, "RUB"), "roubles": ("money", 1, "RUB"),
    "yuan": ("money", 1, "CNY"), "yuans": ("money", 1, "CNY"), "yen": ("money", 1, "JPY"), "yens": ("money", 1, "JPY"),
    "won": ("money", 1, "KRW"), "wons": ("money", 1, "KRW"),
    "°c": ("temperature", 1, "°C"), "°": ("temperature", 1, "°C"), "degré": ("temperature", 1, "°C"),
    "degrés": ("temperature", 1, "°C"),
    "km/h": ("speed", 1, "km/h"), "kilomètres/heure": ("speed", 1, "km/h"), "kilomètres par heure": ("speed", 1, "km/h"),
    "kilomètres à l'heure": ("speed", 1, "km/h"), "m/s": ("speed", 3.6, "km/h"), "nœuds": ("speed", 1.852, "km/h"),
}
# Units that are single letters or symbols: only read right after digits ("500 m", not "de m").
UNITS_AFTER_DIGITS_ONLY = {"h", "m", "t", "g", "min", "mm", "cm", "km", "kg", "ha", "°", "m2", "km2"}
# Units that "un"/"une" may quantify ("une heure", "un kilomètre"); before other nouns "un" is an article.
# Nouns of persons: "un garçonnet de deux ans et demi", "le jeune trader de 31 ans" give an age, and
# an age belongs to the person it hangs on (compare/values.py). Classes: nouns of one class may
# name one person ("le garçon" / "l'enfant"); nouns of different classes never do.
PERSON_CLASSES: dict[str, frozenset[str]] = {
    "child": frozenset({"garçon", "garçonnet", "fillette", "enfant", "bébé", "nourrisson", "bambin", "petit", "petite",
                        "fils", "fille", "gamin", "gamine", "écolier", "écolière", "collégien", "collégienne"}),
    "woman": frozenset({"femme", "mère", "maman", "épouse", "dame", "jeune femme", "mère de famille", "grand-mère", "retraitée", "conductrice",
                        "présentatrice", "journaliste", "avocate"}),
    "man": frozenset({"homme", "père", "papa", "époux", "mari", "monsieur", "jeune homme", "père de famille", "grand-père", "retraité", "conducteur",
                      "présentateur", "trader", "avocat"}),
}
AGE_HOLDER_NOUNS = frozenset().union(*PERSON_CLASSES.values()) | {
    "adolescent", "adolescente", "jeune", "victime", "suspect", "suspecte", "quinquagénaire", "quadragénaire",
    "trentenaire", "sexagénaire", "septuagénaire", "octogénaire", "nonagénaire", "étudiant", "étudiante", "lycéen",
    "lycéenne", "élève", "patient", "patiente", "soldat", "policier", "policière",
    "militaire", "chauffeur", "ouvrier", "ouvrière", "agriculteur", "agricultrice", "cycliste",
    "motard", "piéton", "piétonne", "passager", "passagère", "touriste", "joueur", "joueuse", "athlète", "nageur",
    "nageuse", "sportif", "sportive", "pilote", "chanteur", "chanteuse", "acteur", "actrice", "animateur", "animatrice",
    "dirigeant", "dirigeante", "ressortissant", "ressortissante", "migrant", "migrante", "individu", "personne",
}
_PERSON_ALT = "|".join(sorted((re.escape(n) for n in AGE_HOLDER_NOUNS), key=len, reverse=True))
AGE_BEFORE = re.compile(r"(?:âgée?s?|l'âge)\s+d(?:e\s+|')$|(?<![\w-])(?:" + _PERSON_ALT + r")s?\s+de\s+$")
# Quantities that set a threshold or a class rather than state a value: "les mineurs de 13 ans",
# "les moins de 16 ans", "les gains supérieurs à 25 000 euros", "âgés de 13 ans et plus", "dès 13 ans".
# Read on the text right before / after the quantity (compare/values.py skips them).
THRESHOLD_BEFORE = re.compile(
    r"(?:(?<![\w-])(?:supérieure?s?|inférieure?s?|égale?s?)\s+(?:ou\s+égale?s?\s+)?à"
    r"|(?<![\w-])(?:mineure?s?|majeure?s?)\s+(?:âgée?s?\s+)?d[e']"
    r"|(?<![\w-])(?:les|des|aux|ces)\s+(?:moins|plus)\s+d[e']"
    r"|(?<![\w-])(?:à\s+partir|au-delà|en\s+deçà|en\s+dessous|au-dessous|au-dessus)\s+d[e']"
    r"|(?<![\w-])(?:seuil|plafond|plancher|barre)\s+(?:symbolique\s+)?d[e']"
    r"|(?<![\w-])dès(?:\s+l'âge\s+de)?)\s*$"
)
THRESHOLD_AFTER = re.compile(r"^\s*(?:et|ou)\s+(?:plus|moins)\b|^\s*(?:minimum|maximum|au\s+moins\s+requis)\b")
# A singular determiner right before "N heures" names a programme or a time ("le 20 heures de TF1",
# "son dernier 20 Heures"), never a duration (which takes a plural: "les 24 heures").
SINGULAR_BEFORE_HOURS = ("le", "du", "au", "son", "ce", "mon", "ton", "notre", "votre", "leur", "dernier", "premier", "prochain")
# Nouns of a programme named by its time: "le journal télévisé de 20h", "le JT de 13 heures".
PROGRAMME_NOUNS = ("journal", "jt", "télévisé", "édition", "flash", "bulletin")
# Periods an amount is reported for: "une perte nette de 234 millions au troisième trimestre", "sur les
# neuf premiers mois", "un an plus tôt". Amounts of different periods (or one with a period, one without) are
# different things.
PERIOD_AFTER = re.compile(
    r"^[^.;]{0,25}?\b(?:au|du|pour\s+le|sur\s+le)\s+((?:premier|1er|deuxième|second|2e|troisième|3e|quatrième|4e|dernier)\s+(?:trimestre|semestre))"
    r"|^[^.;]{0,25}?\bsur\s+les\s+(\w+\s+(?:premiers|derniers)\s+mois)"
    r"|^[^.;]{0,25}?\b(?:au|du|sur\s+le)\s+((?:premier|deuxième|second|troisième|quatrième)\s+trimestre|(?:premier|second)\s+semestre)"
    # a year earlier: "contre un bénéfice de 437 millions un an plus tôt", "l'an dernier"
    r"|^\s*(?:,\s*)?((?:un\s+an|une\s+année)\s+(?:plus\s+tôt|auparavant)|l'an\s+(?:dernier|passé)|l'année\s+(?:dernière|passée|précédente))"
)
# A duration followed by these words (or after "il y a") places a moment from another one ("un mois
# après la découverte", "deux ans plus tôt"): an offset, never the length of something ("pendant deux semaines").
OFFSET_AFTER = re.compile(r"^\s*(?:plus\s+tard|plus\s+tôt|après|avant|auparavant)(?![\w-])", re.I)
OFFSET_BEFORE = re.compile(r"(?<![\w-])il\s+y\s+a\s+(?:(?:environ|près\s+de|presque|plus\s+de|moins\s+de|quelque)\s+)?$", re.I)
# "quatorze autres otages" counts people besides someone: never the same count as "15 otages".
OTHER_WORDS = re.compile(r"(?<![\w-])autres?(?![\w-])", re.I)
# What an amount is of, written right after it: "50 milliards d'euros de positions", "3 milliards
# d'euros d'augmentation de capital" (words that only qualify the amount are not things).
AMOUNT_OF = re.compile(r"^\s*d(?:e\s+|')(?:la\s+|l'|les\s+)?([^\W\d_][\w-]{3,})")
AMOUNT_OF_STOP = {"plus", "moins", "hausse", "baisse", "trop", "mieux", "part", "plus-value", "côté", "suite", "quoi"}
# Catch-all nouns of stuff: "1 500 tonnes de produits" may be the "800 tonnes d'engrais" of another outlet.
AMOUNT_OF_GENERIC = {"produit", "produits", "matière", "matières", "marchandise", "marchandises", "substance", "substances"}
# Idioms of durations: "quinze jours" is two weeks, "huit jours" one week (value in days -> low end).
DAY_IDIOMS = {15: 14, 8: 7}
# Words that say an amount is one of several items of an enumeration of different owners.
ENUM_SEPARATORS = re.compile(r"[,;:]|\b(?:tandis\s+que|alors\s+que|et|contre)\b")
# Nouns after "X ans" that make it an age rather than a duration.
DIMENSION_NAMES = ("duration", "count", "money", "length", "mass", "area", "percentage", "age",
                   "temperature", "speed", "time", "year")


# ----------------------------------------------------------------------------- dates
# Data for recoupe.extract.dates.

WEEKDAYS = {"lundi": 0, "mardi": 1, "mercredi": 2, "jeudi": 3, "vendredi": 4, "samedi": 5, "dimanche": 6}
MONTHS = {
    "janvier": 1, "février": 2, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7,
    "août": 8, "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11, "décembre": 12, "decembre": 12,
}
# Words that shift a day from the publication date (or from the last date of the article for
# "la veille"/"le lendemain"/"le soir même", which refer to the story, not to the writing).
RELATIVE_DAYS = {"aujourd'hui": 0, "hier": -1, "avant-hier": -2, "demain": 1, "après-demain": 2}
ANAPHORIC_DAYS = {"la veille": -1, "le lendemain": 1, "au lendemain": 1, "le soir même": 0, "le jour même": 0,
                  "le même jour": 0, "l'avant-veille": -2, "le surlendemain": 2}
PARTS_OF_DAY = ("matin", "soir", "midi", "après-midi", "soirée", "matinée", "nuit")
# Units for "il y a N <unit>" and "la <unit> dernière/prochaine".
DATE_UNITS_DAYS = {"jour": 1, "jours": 1, "semaine": 7, "semaines": 7, "mois": 30, "an": 365, "ans": 365,
                   "année": 365, "années": 365}
FUTURE_CUES = ("prochain", "prochaine", "à venir", "doit", "devra", "devrait", "sera", "aura lieu")

# ----------------------------------------------------------------------------- entities
# (analyse.py NER fixes and entities.py merging; owned by the entities helper)

# Honorifics written before a name, with the gender they tell (None: says nothing).
HONORIFICS: dict[str, str | None] = {
    "m.": "m", "m": "m", "mm.": "m", "monsieur": "m",
    "mme": "f", "mme.": "f", "mmes": "f", "madame": "f", "mlle": "f", "mlle.": "f", "mademoiselle": "f",
    "me": None, "me.": None, "maître": None, "dr": None, "dr.": None, "docteur": None, "pr": None, "pr.": None,
    "mgr": "m", "mgr.": "m", "monseigneur": "m",
}
# Lowercase determiners that are not part of a name ("la France" -> "France"); a capitalised
# determiner is kept since it often is part of one ("Le Goff", "Le Monde", "La Voix de la Loire").
NAME_DETERMINERS = {"le", "la", "les", "l'", "l’"}
# Name particles that stay lowercase inside a person's or a place's name.
# Lower-case words inside names: "La Voix de la Loire", "Jean de La Fontaine", "La Dépêche de l'Est".
NAME_PARTICLES = frozenset({"de", "du", "des", "d'", "d’", "la", "le", "l'", "l’", "à", "von", "van", "der", "den", "al", "el", "ben", "bin", "sur", "en", "lès", "les", "et"})
# Words an acronym skips besides name particles ("Centre pour la cybersécurité Belgique" -> CCB).
ACRONYM_SKIPS = frozenset({"pour", "aux", "au"})
# Heads of names of events: "jeux Olympiques de Pékin" is no name of Pékin (whose government speaks as
# "Pékin"), while "cosmodrome de Vostotchny" is the place "Vostotchny".
EVENT_HEADS = frozenset("""jeux jo sommet festival coupe championnat championnats tournoi conférence salon procès
    affaire tournée visite tour exposition forum marathon rallye grand-prix biennale congrès rencontres""".split())

# Nouns naming a function held by a person: "le président russe Vladimir Poutine",
# "Dmitri Peskov, porte-parole du Kremlin". Value: grammatical gender when the noun tells it.
ROLE_NOUNS: dict[str, str | None] = {
    "président": "m", "présidente": "f", "premier ministre": None, "ministre": None, "porte-parole": None,
    "maire": None, "préfet": "m", "préfète": "f", "directeur": "m", "directrice": "f", "dirigeant": "m",
    "dirigeante": "f", "chef": None, "cheffe": "f", "secrétaire": None, "procureur": "m", "procureure": "f",
    "député": "m", "députée": "f", "sénateur": "m", "sénatrice": "f", "ambassadeur": "m", "ambassadrice": "f",
    "responsable": None, "représentant": "m", "représentante": "f", "conseiller": "m", "conseillère": "f",
    "commandant": "m", "lieutenant": "m", "colonel": "m", "lieutenant-colonel": "m", "capitaine": None, "général": "m", "générale": "f",
    "gouverneur": "m", "gouverneure": "f", "roi": "m", "reine": "f", "prince": "m", "princesse": "f",
    "patron": "m", "patronne": "f", "fondateur": "m", "fondatrice": "f", "avocat": "m", "avocate": "f",
    "sœur": "f", "soeur": "f", "frère": "m", "épouse": "f", "époux": "m", "femme": "f", "mari": "m", "fils": "m", "fille": "f",
    "numéro un": None, "numéro deux": None, "leader": None, "élu": "m", "élue": "f", "délégué": "m", "déléguée": "f",
    "chancelier": "m", "chancelière": "f", "vice-président": "m", "vice-présidente": "f", "pape": "m", "juge": None,
    "vice-ministre": None, "chargé": "m", "chargée": "f", "adjoint": "m", "adjointe": "f", "syndicaliste": None,
}
# A NER "mention" made of such a noun and its complement is a role, not a name:
# "ministre des Affaires étrangères" (ORG), "préfète de Loire-Atlantique" (LOC).
ROLE_PREPOSITIONS = {"de", "du", "des", "d'", "d’", "de la", "de l'", "de l’"}
# Nouns before a name that say it is an organisation ("la société Agrisol Atlantique").
ORG_CUES = {"société", "entreprise", "groupe", "association", "direction", "syndicat", "parti", "agence", "firme", "compagnie", "fédération", "fondation", "ong", "institut", "cabinet", "banque", "journal", "quotidien", "chaîne", "radio", "club", "constructeur", "laboratoire"}
# An age in apposition after a name says it is a person, whatever the NER made of it ("Jessica,
# 31 ans, a passé six jours", tagged as a place).
AGE_AFTER_NAME = re.compile(r"\s*,\s*\d{1,3}\s+ans\s*[,.;)]")
# Words that NER sometimes tags as names but are page furniture left by extraction.
BOILERPLATE_MENTION = re.compile(
    r"^(?:Photo|Crédit|Crédits|Lire aussi|Lire|Voir aussi|Partager|Publicité|Abonnez-vous|Newsletter|Ouvrir en mode plein écran|Agrandir|Copyright|Facebook|Twitter|X|Instagram|LinkedIn|WhatsApp|Imprimer|Commenter)$",
    re.I,
)


def role_gender(role: str) -> str | None:
    """Gender a role noun phrase tells ("la préfète" -> "f"), None when it tells nothing."""
    words = role.lower().replace("’", "'").split()
    for w in words:
        if w in ROLE_NOUNS and ROLE_NOUNS[w]:
            return ROLE_NOUNS[w]
    if words and words[0] in ("la", "une", "sa", "cette"):
        return "f"
    if words and words[0] in ("le", "un", "son", "ce"):
        return "m"
    return None

# ----------------------------------------------------------------------------- compare
# (cross-source comparison: claims, facts, conflicts)

# Conjunctions that join two facts in one sentence: the clause after them is its own claim.
CLAUSE_SPLIT_MARKS = {"et", "tandis", "alors", "mais"}
# Lines that are not claims about the event.
CLAIM_BOILERPLATE = re.compile(
    r"^\s*(?:lire aussi|à lire aussi|voir aussi|abonnez-vous|inscrivez-vous|partager|publié le|mis à jour le|"
    r"tous droits réservés|©|crédit|photo\s*:)",
    re.I,
)
# Lemmas too common to say that two claims share information.
LIGHT_LEMMAS = {
    "être", "avoir", "faire", "pouvoir", "devoir", "aller", "venir", "dire", "selon", "plus", "moins", "très",
    "ainsi", "aussi", "encore", "déjà", "tout", "autre", "même", "leur", "son", "ce", "cela", "lui", "il",
    "elle", "ils", "elles", "on", "nous", "vous", "y", "en", "ne", "pas", "que", "qui", "dont", "où",
    "m.", "mme", "monsieur", "madame", "an", "année", "jour", "fois", "mardi", "mercredi", "jeudi", "lundi",
    "vendredi", "samedi", "dimanche", "hier", "aujourd'hui", "ensuite", "puis", "alors",
}
# Synonyms of news-event words: lemmas a French news desk uses interchangeably for one thing in
# one report ("le feu" / "l'incendie", "un dîner" / "un banquet"). Where the comparison measures
# shared words (claim lemmas for alignment and dates, words of what is measured, words a place
# hangs on) each lemma is read as the first of its group. Deliberately small: only words that
# name the same thing in any context (not "policier" / "gendarme", not "dîner" / "déjeuner":
# reporters would contrast those), a few dozen groups at most.
SYNONYM_GROUPS = (
    ("incendie", "feu", "sinistre", "brasier"),
    ("repas", "dîner", "banquet", "réception"),
    ("réunion", "rencontre", "entretien", "entrevue", "rendez-vous"),
    ("explosion", "déflagration", "détonation"),
    ("manifestation", "rassemblement", "manif"),
    ("manifestant", "protestataire"),
    ("attaque", "attentat"),
    ("voiture", "automobile"),
    ("arrestation", "interpellation"),
    ("enquête", "investigation"),
    ("négociation", "pourparler", "pourparlers"),
    ("hausse", "augmentation"),
    ("baisse", "diminution"),
)
# Verbs that are synonyms only for one kind of event, read as the first verb of their group when
# their claim (for alignment) or their subject (for what is measured) names that event, read
# through SYNONYM_GROUPS: a fire "prend", "se déclare", "éclate", "démarre" or "part" (its start),
# but "prendre une décision" or "déclarer à la presse" are other things.
EVENT_VERB_SYNONYMS = {
    "incendie": ("déclarer", "prendre", "éclater", "démarrer", "partir"),
    "explosion": ("produire", "survenir", "retentir"),
}
# Events whose place is a fact of their own (canonical nouns of SYNONYM_GROUPS): a place phrase that
# hangs on one of them ('un dîner offert au cosmodrome', 'la réunion s'est tenue à Genève') is where
# that event took place, compared across facts (compare/places.py, event_place_conflicts).
EVENT_PLACE_NOUNS = {"repas", "réunion", "incendie", "explosion", "manifestation", "attaque"}
# Prepositions of who an event is with ('une réunion avec les syndicats', 'un entretien entre X et Y'):
# two events of a kind with different partners are two events.
EVENT_PARTNER_PREPOSITIONS = {"avec", "entre"}
# Place nouns that may be a description of a named or more precise place ('un bâtiment' for 'un
# entrepôt de la société X', 'la capitale' for 'Pékin'): never the other side of an event's place.
GENERIC_PLACE_NOUNS = {"bâtiment", "ville", "village", "capitale"}
# Nouns that name a place (for place conflicts between aligned claims).
PLACE_NOUNS = {
    "salle", "gymnase", "cosmodrome", "hôpital", "mairie", "école", "stade", "palais", "hôtel", "gare",
    "aéroport", "port", "base", "usine", "entrepôt", "centre", "camp", "église", "collège", "lycée",
    "théâtre", "caserne", "préfecture", "ambassade", "résidence", "château", "village", "ville", "capitale",
    "parc", "musée", "hangar", "université", "stade", "bâtiment",
}
# Prepositions of a place that holds what is measured ('800 tonnes stockées dans le bâtiment').
CONTAINER_PREPOSITIONS = {"dans"}
# Verbs whose 'à X' names a recipient, not a place ('livrer à Moscou des obus').
TRANSFER_VERBS = {"livrer", "fournir", "vendre", "envoyer", "offrir", "exporter", "remettre", "donner", "céder", "transférer", "verser", "proposer", "demander", "dire", "annoncer"}
# Prepositions that introduce a place.
PLACE_PREPOSITIONS = {"à", "au", "aux", "dans", "vers"}
# Counts that only grow as a story unfolds: a larger later value is an update, not a contradiction.
TOLL_LEMMAS = {
    "blessé", "blesser", "mort", "mourir", "décès", "décéder", "victime", "évacué", "évacuer", "disparu",
    "disparaître", "tué", "tuer", "hospitaliser", "hospitalisé", "sinistré", "déplacé", "bilan", "interpeller",
    "interpellé", "arrêter", "intoxiquer", "intoxiqué", "incommoder", "incommodé",
}
UPDATE_CUES = re.compile(
    r"\b(?:désormais|dernier bilan|nouveau bilan|bilan (?:s'est|s’est) alourdi|s(?:'|’)est alourdi|revu à la hausse|"
    r"revu à la baisse|passe(?:r)? à|porté à|est monté à|atteint désormais|actualisé)\b",
    re.I,
)


# ----------------------------------------------------------------------------- summary
# (owned by the summary stage) A sentence that opens with one of these needs the sentence
# before it (a pronoun whose referent was dropped, a connective answering it): the summary only
# keeps it right after that sentence from the same article.
SUMMARY_DANGLING_START = re.compile(
    r"^(?:il|elle|ils|elles|lui|eux|on|ce dernier|cette dernière|ces derniers|ces dernières|"
    r"celui-ci|celle-ci|ceux-ci|celles-ci|celui-là|celle-là|cela|ceci|ça|"
    r"mais|cependant|pourtant|toutefois|néanmoins|en revanche|par ailleurs|de plus|en outre|"
    r"ainsi|donc|alors|aussi|or|et|puis|ensuite|enfin|d['’]ailleurs|du coup|quant à|"
    r"pour (?:sa|leur) part|de (?:son|leur) côté|là|ici|au contraire|en effet|c['’]est pourquoi|"
    r"selon (?:lui|elle|eux|elles)|d['’]après (?:lui|elle|eux|elles)|lui-même|elle-même|"
    r"son|sa|ses|leur|leurs|ce|cet|cette|ces|autre|le premier|la première|le second|la seconde|"
    r"le même|la même|les mêmes|celui|celle|ceux|celles|pour cela|pour ce faire|de ce fait|"
    r"je|nous|moi|me|mon|ma|mes|notre|nos)(?=[^\w-]|$)|^(?:j|m)['’]",
    re.I,
)
# A quotation followed by its attribution ("«Nous...», a déclaré X"): the speaker is given.
SUMMARY_ATTRIBUTED_QUOTE = re.compile(r"^[«\"“].*?[»\"”]\s*,\s*(?!\w+-t-|\w+-(?:il|elle)s?\b)\w", re.S)
# The first person singular outside quote marks: someone speaks without the sentence saying who
# (the middle of a quoted statement whose marks open paragraphs earlier).
SUMMARY_FIRST_PERSON = re.compile(r"(?<![\w'’-])(?:(?:je|moi|mon|ma|mes)(?![\w-])|[jm]['’])", re.I)  # not "me": "Me Dupont" is a lawyer
# Openings that look dangling but are not: impersonal "il", deictic time expressions.
SUMMARY_DANGLING_EXCEPT = re.compile(
    r"^(?:il (?:y a|faut)\b|(?:ce|cet|cette) (?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|"
    r"matin|soir|midi|après-midi|week-end|weekend|semaine|année|mois|an|été|hiver|automne|printemps)\b|"
    r"(?-i:Me\s+[A-ZÀ-Ý]))",  # "Me Dupont": a lawyer's title, not "me"
    re.I,
)
# Lines that are page furniture rather than news prose.
SUMMARY_BOILERPLATE = re.compile(
    r"^(?:lire aussi|à lire|voir aussi|vidéo|photo|crédit|source|mis à jour|publié le|par\s+[A-Z][\w-]+\s+[A-Z][\w-]+$)|"
    r"https?://|www\.|@\w|©|tous droits réservés|abonnez-vous|newsletter",
    re.I,
)
# Attribution incises that say nothing without their referent or that the citation already
# gives: ", a-t-il déclaré", ", ajoute-t-elle", ", selon lui".
SUMMARY_PRONOUN_INCISE = re.compile(
    r",\s*(?:(?:a|ont|avait|avaient|aurait|auraient)-t?-?(?:il|elle|ils|elles|on)\s+[\wéèêàùûôîç]+|"
    r"[\wéèêàùûôîç]+-t-(?:il|elle|on)|[\wéèêàùûôîç]+(?:ent)?-(?:ils|elles)|"
    r"selon (?:lui|elle|eux|elles)|d['’]après (?:lui|elle|eux|elles))"
    r"(?=\s*[,.;!»”\"]|\s*$)",
    re.I,
)
SUMMARY_SELON = r",\s*(?:selon|d['’]après|rapporte|rapportent|indique|précise)\s+(?:l['’]\s*|le\s+|la\s+|les\s+)?{name}(?=\s*[,.;])"


# ----------------------------------------------------------------------------- quotes and provenance
# (extract/quotes/, extract/provenance.py) Verbs of saying are given by lemma, as spaCy's French
# lemmatiser gives them ("a-t-il martelé" -> marteler).

SPEECH_VERBS = frozenset(
    """
    déclarer affirmer assurer indiquer estimer souligner préciser ajouter insister promettre qualifier
    expliquer annoncer dénoncer reconnaître confier rappeler juger avertir prévenir répéter démentir nier
    confirmer dire lancer écrire poursuivre résumer conclure répondre raconter témoigner souffler glisser
    marteler regretter déplorer saluer se féliciter féliciter s'inquiéter inquiéter admettre avouer
    ironiser lâcher soupirer tweeter commenter réagir justifier argumenter observer noter relever
    constater signaler rapporter révéler affirmer considérer penser croire craindre espérer plaider
    protester s'exclamer exclamer interroger demander réclamer exiger appeler mettre_en_garde insister
    certifier jurer garantir soutenir prétendre alerter menacer trancher tempérer nuancer
    renchérir enchaîner détailler énumérer rétorquer objecter répliquer fustiger critiquer accuser
    rassurer confesser s'indigner indigner marquer reprendre continuer développer analyser
    tonner agacer emporter réjouir étonner interroger s'interroger s'étonner s'agacer s'emporter
    se_réjouir concéder lâcher préciser résumer sourire s'insurger insurger trancher
    enthousiasmer s'enthousiasmer parier pointer proposer suggérer recommander
    mentionner avancer arguer alléguer clamer proclamer réaffirmer réitérer maintenir remarquer spécifier
    riposter railler fulminer contester réfuter convenir attester relater dévoiler divulguer informer
    prédire pronostiquer reprocher revendiquer murmurer crier hurler écrier asséner assener opposer
    """.split()
)
# Verbs of saying that report their subject's words with a bare infinitive ("a nié avoir trahi ses
# compagnons", "a indiqué à l'AFP n'avoir été informée que dimanche", "dit vouloir aller au Tibet"): the
# infinitive clause is indirect speech. Not the verbs whose bare infinitive is a wish or an ability.
SPEECH_INFINITIVE_VERBS = frozenset(
    """
    déclarer affirmer assurer indiquer estimer préciser ajouter expliquer annoncer reconnaître confier
    rappeler démentir nier confirmer dire écrire raconter admettre avouer penser croire soutenir
    prétendre jurer certifier témoigner révéler signaler considérer
    """.split()
)
# Words an infinitive clause may open on before its verb: negation and clitics ("n'avoir jamais cessé",
# "le considérer comme son fils", "s'être dopé").
INFINITIVE_OPENERS = frozenset("ne n' pas se s' le la l' les lui leur en y me m' te t' nous vous".split())
# Verbs of saying whose reported words are an infinitive after a preposition, the request, promise or
# charge they report ("a appelé les Farc à libérer les otages", "a promis de rencontrer", "a accusé le
# gouvernement de se comporter comme « une carpette »"): lemma -> the prepositions.
SPEECH_PREP_INFINITIVE_VERBS = {
    "appeler": ("à",), "exhorter": ("à",), "inviter": ("à",), "promettre": ("de", "d'"), "accuser": ("de", "d'"),
    "reprocher": ("de", "d'"), "menacer": ("de", "d'"), "demander": ("de", "d'"), "proposer": ("de", "d'"),
    "suggérer": ("de", "d'"), "conseiller": ("de", "d'"), "enjoindre": ("de", "d'"),
}
# Prepositions that make an infinitive after a verb of saying an aim or an order, no reported words
# ("a appelé à", "a décidé de", "pour ne pas froisser").
INFINITIVE_PREPOSITIONS = frozenset("de d' à pour sans afin par après avant".split())
# Verbs of saying only with a que-clause or a quote ("a proposé que", "« ... », suggère-t-il"): with a
# quoted object they offer a thing ("se verrait proposer « un poste »"), no words of their subject.
QUE_ONLY_SPEECH_VERBS = ("proposer", "suggérer", "recommander")
# Verbs that are verbs of saying only with a reflexive clitic ("s'est emporté", "se réjouit").
REFLEXIVE_SPEECH_VERBS = frozenset("agacer emporter réjouir féliciter inquiéter interroger étonner indigner exclamer insurger enthousiasmer".split())
# Irregular or mis-lemmatised forms of verbs of saying, for incises the tagger misreads
# ("soupire" tagged as a noun, "glisse-t-il" as a numeral): form -> lemma.
SPEECH_FORMS = {
    "dit": "dire", "disent": "dire", "conclut": "conclure", "conclu": "conclure", "poursuit": "poursuivre",
    "poursuivi": "poursuivre", "répond": "répondre", "répondu": "répondre", "admet": "admettre", "admis": "admettre",
    "reconnaît": "reconnaître", "reconnait": "reconnaître", "reconnu": "reconnaître", "écrit": "écrire",
    "promet": "promettre", "promis": "promettre", "prévient": "prévenir", "prévenu": "prévenir",
    "soutient": "soutenir", "soutenu": "soutenir", "reprend": "reprendre", "repris": "reprendre",
    "martèle": "marteler", "rappelle": "rappeler", "se": "", "réjouit": "réjouir", "réjoui": "réjouir",
    "avertit": "avertir", "averti": "avertir", "interroge": "interroger", "résume": "résumer",
    "souri": "sourire", "sourit": "sourire", "dément": "démentir", "démentent": "démentir", "démenti": "démentir", "prétend": "prétendre",
    "concède": "concéder", "réagit": "réagir", "réagi": "réagir", "répète": "répéter", "s'interroge": "interroger", "s'étonne": "étonner",
    "maintient": "maintenir", "maintenu": "maintenir", "convient": "convenir", "convenu": "convenir", "prédit": "prédire",
    "réitère": "réitérer", "allègue": "alléguer", "assène": "asséner",
}
# Regular -er verbs of saying whose forms are guessed from the ending ("soupire", "glissent", "ironisé").
_ER_ENDINGS = ("e", "ent", "é", "ée", "és", "ées", "a")


def speech_lemma(form: str) -> str | None:
    """Lemma of a word read as a form of a verb of saying, when it is one ("soupire" -> soupirer)."""
    w = form.lower().replace("’", "'").lstrip("-")
    if w in SPEECH_FORMS:
        return SPEECH_FORMS[w] or None
    if w in SPEECH_VERBS:
        return w
    for end in _ER_ENDINGS:
        if w.endswith(end) and len(w) > len(end) + 2:
            stem = w[: -len(end)]
            # "énumère" -> énumérer, "soulève" -> soulever: the è of the stem is é or e in the infinitive
            for cand in (stem + "er", stem.replace("è", "e") + "er", stem.replace("è", "é") + "er",
                         stem.replace("é", "e") + "er" if end in ("e", "ent") else ""):
                if cand and (cand in SPEECH_VERBS or cand in REFLEXIVE_SPEECH_VERBS):
                    return cand
    return None

# Verbs that, with an object in quotes, attribute the quoted words to their subject
# ("a qualifié l'accord de « tremplin »", "a dénoncé un « passage en force »").
TERM_VERBS = (SPEECH_VERBS | frozenset(
    "qualifier décrire défendre évoquer appeler réclamer exiger vanter fustiger promettre parler "
    "dénoncer saluer revendiquer demander reprocher réclamer se_dire dire traiter".split()
)) - frozenset(QUE_ONLY_SPEECH_VERBS)
# Tokens that introduce a source: "selon X", "d'après X", "pour X, ..." (the last only at the
# start of a sentence and for a person-like X).
SOURCE_PREPOSITIONS = ("selon", "d'après", "d’après")
OPINION_PREPOSITION = "pour"
# Openings read like "pour X,": "Aux yeux de la chercheuse, ...", "De l'aveu même du maire, ...".
# The match ends where X starts.
OPINION_OPENER = re.compile(
    r"(?:aux\s+yeux|de\s+l['’]aveu(?:\s+même)?|du\s+point\s+de\s+vue)\s+(?=d[eu]\b|des\b|d['’])", re.I)
# "Pour la première fois", "pour l'heure"... are not sources.
NOT_SOURCES_AFTER_POUR = frozenset(
    "première dernière fois heure instant moment autant cela ceci ça rappel mémoire part sa son ses "
    "l'heure l'instant le moment l'essentiel l'anecdote".split()
)
# "selon nos informations": the outlet's own reporting.
# "on" as the subject of a verb of saying is the group a sentence-opening phrase names: "Dans
# l'entourage du ministre, on estime que ..." -> l'entourage du ministre; "Chez Renault, on
# dément" -> Renault; "À l'Élysée, on ..." -> l'Élysée. Group "who": the speaker phrase.
ON_SOURCE_OPENER = re.compile(
    r"^\s*(?:dans\s+(?=l['’]entourage\s+d[eu'’])|chez\s+|du\s+côté\s+d(?:e\s+|u\s+|es\s+|['’])"
    r"|au\s+sein\s+d(?:e\s+|u\s+|es\s+|['’])|(?:à|a)\s+(?=l['’])|au\s+)(?P<who>[^,]+),\s*on\b", re.I)
# A sentence right after a lone quote that names its author: "« ... » La formule est signée X",
# "« ... » La charge vient de X",
# "« ... » Cette phrase, c'est X qui l'a prononcée".
QUOTE_NOUNS_NEXT = re.compile(
    r"^\s*(?:(?:la|cette|le|ce|ces|les)\s+(?:formule|phrase|citation|déclaration|sortie|mot|mots|propos|confidence|réplique"
    r"|ton|message|avertissement|constat|charge|critique|attaque|accusation|mise\s+en\s+garde|diagnostic|analyse"
    r"|remarque|aveu|réquisitoire|plaidoyer|témoignage|explication|réponse|commentaire|cri|appel)\b|c['’]est\s+(?:ce\s+qu|en\s+ces\s+termes\s+qu))", re.I)
# Indefinite pronouns that are a source themselves: "certains parlent de « trahison »".
SOURCE_PRONOUNS = frozenset("certains certaines plusieurs beaucoup d'aucuns quelques-uns quelques-unes".split())
OWN_REPORTING = re.compile(r"^(?:nos|mes) (?:informations|sources|confrères)\b|^notre (?:enquête|correspondant)", re.I)
# Words of quantity before "à + infinitive" that say what there is to say, not what is said: "n'a rien
# à déclarer", "quelque chose à ajouter", "pas grand-chose à dire" (extract.quotes.cues).
QUANTITY_TO_SAY = frozenset("rien chose grand-chose beaucoup peu tant trop".split())
PRONOUN_GENDER = {
    "il": "Masc", "-il": "Masc", "-t-il": "Masc", "lui": "Masc",
    "elle": "Fem", "-elle": "Fem", "-t-elle": "Fem",
    "ils": "Plur", "-ils": "Plur", "-t-ils": "Plur", "elles": "Plur", "-elles": "Plur", "eux": "Plur",
}
PERSON_TITLES = {"m.": "Masc", "monsieur": "Masc", "mme": "Fem", "madame": "Fem", "mlle": "Fem", "me": None, "dr": None, "pr": None}
# Determiners and civil titles that do not belong to a name when names are compared ("le maire",
# "M. Kim"), in the order they are tried (extract.quotes.normalise_name).
NAME_PREFIXES = ("le ", "la ", "les ", "l'", "un ", "une ", "des ", "d'", "m. ", "mme ", "me ", "dr ")
# The conjunction that opens the clause a verb of saying reports ("a assuré que"), elided or not.
QUE_FORMS = {"que", "qu'", "qu’"}
# Words of time: they end a speaker's description ("a déclaré le ministre jeudi"), may stand between
# a verb of saying and the subject after it, or open a clause before its subject ("Devant la maison
# d'arrêt, lundi, une surveillante résumait").
TIME_WORDS = ("jeudi", "lundi", "mardi", "mercredi", "vendredi", "samedi", "dimanche", "hier", "aujourd'hui",
              "matin", "midi", "soir", "après-midi", "encore", "aussitôt")
# Prepositions whose phrase (addressee, place, time) may stand between a verb of saying and the
# subject after it: "a affirmé à l'APO un responsable".
PREPOSITIONS_BEFORE_SUBJECT = ("à", "au", "aux", "devant", "sur", "sous", "lors", "dans", "après", "avant", "pendant",
                               "par", "en", "depuis", "pour")
# Conjunctions that may come before the first word of a sentence ("Mais pour lui, ...").
LINKING_CONJUNCTIONS = re.compile(r"\b(?:mais|et|or|donc|ainsi)\b", re.I)
# A text that ends on "de"/"d'": what follows is a complement ("le président-fondateur de Stellaris").
ENDS_WITH_DE = re.compile(r"(?:\b(?:de|du|des)|\bd['’])\s*$", re.I)
# An incise inside one pair of quote marks: ", poursuit-elle," / ", a-t-il ajouté." (the verb is
# the group ``past`` or ``verb``), or ", a glissé l'ouvreur, encore en crampons." (a named or
# described subject after the verb, to the stop; the verb is ``named``).
INNER_INCISE = re.compile(
    r",[\s\u00a0\u202f]*(?:[\w’']+-t-(?:il|elle|ils|elles)[\s\u00a0]+(?P<past>[\w’']+)|(?P<verb>[\w’']+?)(?:-t)?-(?:il|elle|ils|elles))"
    r"[\s\u00a0\u202f]*[,.;]"
    r"|,[\s\u00a0\u202f]*(?:a|avait|ont|avaient)[\s\u00a0]+(?P<named>[\w’']+)[\s\u00a0]+"
    r"(?:le|la|les|l['’]|son|sa|ses|leur|M\.|Mme|Me)[\s\u00a0]*[^«»“”.;!?\n]{1,80}?[.;]")
# Heads of role descriptions that name one person ("le président russe", "la préfète").
ROLE_TITLES = frozenset(
    """
    président présidente porte-parole ministre secrétaire préfet préfète maire dirigeant dirigeante
    numéro chef cheffe directeur directrice procureur procureure avocat avocate député députée sénateur
    sénatrice gouverneur gouverneure premier première roi reine patron patronne commissaire ambassadeur
    ambassadrice élu élue édile capitaine entraîneur entraîneuse sélectionneur conseiller conseillère
    responsable représentant représentante délégué déléguée général générale lieutenant-colonel colonel
    commandant juge rapporteur rapporteure vice-président vice-présidente fondateur fondatrice pdg
    trésorier trésorière adjoint adjointe gérant gérante recteur rectrice proviseur proviseure doyen doyenne
    bâtonnier bâtonnière greffier greffière sous-préfet sous-préfète administrateur administratrice
    """.split()
)
# Definite descriptions that journalists use as anaphors of the last person named ("insiste l'élue").
ANAPHORIC_ROLES = frozenset(
    """élu élue édile intéressé intéressée homme femme ancien ancienne sportif sportive
    quinquagénaire sexagénaire trentenaire quadragénaire septuagénaire octogénaire
    prévenu prévenue accusé accusée""".split()
)
# Honorifics that tell a role: "Me Dufresne" ... "l'avocat".
HONORIFIC_ROLES = {"Me": ("avocat", "avocate"), "Dr": ("médecin", "docteur"), "Pr": ("professeur", "médecin")}
# Doctors' specialties: "le pédiatre" for "le Dr X" (a doctor's own "son pédiatre" is someone else).
MEDICAL_SPECIALTIES = frozenset(
    """pédiatre urgentiste cardiologue chirurgien chirurgienne infectiologue épidémiologiste psychiatre
    gériatre anesthésiste radiologue généraliste pneumologue neurologue cancérologue oncologue gynécologue""".split()
)
# Researchers' fields: "le chercheur", "le scientifique" for "X, climatologue".
SCIENTISTS = """climatologue sociologue politologue économiste historien historienne géographe démographe
    biologiste physicien physicienne chimiste épidémiologiste hydrologue glaciologue géologue sismologue
    volcanologue océanographe météorologue écologue agronome anthropologue archéologue linguiste
    psychologue philosophe mathématicien mathématicienne chercheur chercheuse professeur professeure"""
# Generic role nouns and the specific roles they stand for: "le colonel X ... L'officier précise",
# "le PDG, X ... Le dirigeant évoque", "X, délégué CFE-CGC ... Le représentant syndical juge".
ROLE_HYPERNYMS: dict[str, frozenset[str]] = {
    k: frozenset(v.split()) for k, v in {
        "officier": "colonel lieutenant-colonel commandant capitaine lieutenant général générale commissaire adjudant major",
        "gradé": "colonel lieutenant-colonel commandant capitaine lieutenant général générale adjudant major sergent",
        "militaire": "colonel lieutenant-colonel commandant capitaine lieutenant général générale adjudant major sergent",
        "dirigeant": "pdg président directeur patron fondateur gérant",
        "dirigeante": "pdg présidente directrice patronne fondatrice gérante",
        "patron": "pdg président directeur dirigeant fondateur gérant",
        "patronne": "pdg présidente directrice dirigeante fondatrice gérante",
        "représentant": "délégué secrétaire syndicaliste porte-parole préfet",  # "le représentant de l'État": the prefect
        "représentante": "déléguée secrétaire syndicaliste porte-parole préfète",
        "syndicaliste": "délégué déléguée secrétaire",
        "magistrat": "procureur juge président",
        "magistrate": "procureure juge présidente",
        "parlementaire": "député députée sénateur sénatrice",
        "diplomate": "ambassadeur ambassadrice consul",
        # sports pages call the coach "le technicien"
        "technicien": "entraîneur sélectionneur coach manager",
        "technicienne": "entraîneuse sélectionneuse coach manageuse",
        "élu": "maire député sénateur conseiller président adjoint",
        "élue": "maire députée sénatrice conseillère présidente adjointe",
        # "X, climatologue à l'université de Montpellier ... explique le chercheur"
        **{s: SCIENTISTS for s in "chercheur chercheuse scientifique universitaire".split()},
        # a doctor's specialty for a doctor named with "Dr" ("le Dr Karim Haddad ... décrit le pédiatre")
        **{s: "médecin docteur docteure" for s in MEDICAL_SPECIALTIES},
    }.items()
}
# Titles of several words and the titles they stand for: "le chef de l'État" is the president
# named before, "le représentant de l'État" the prefect, "le numéro deux" the right-hand man.
# Keys are folded (lower case, no accents, straight apostrophes).
ROLE_EQUIVALENTS: dict[str, frozenset[str]] = {
    k: frozenset(v.split(",")) for k, v in {
        "chef de l'etat": "président,présidente,roi,reine,chef de l'état",
        "cheffe de l'etat": "présidente,reine,cheffe de l'état",
        "chef du gouvernement": "premier ministre,première ministre,chef du gouvernement",
        "cheffe du gouvernement": "première ministre,cheffe du gouvernement",
        "representant de l'etat": "préfet,préfète,sous-préfet,sous-préfète,représentant de l'état",
        "representante de l'etat": "préfète,sous-préfète,représentante de l'état",
        "numero deux": "bras droit,adjoint,adjointe,vice-président,vice-présidente,numéro deux",
        "numero un": "président,présidente,dirigeant,dirigeante,chef,cheffe,leader,numéro un",
        "locataire de l'elysee": "président,président de la république",
        "patron de l'executif": "président,présidente,premier ministre",
        "chef d'entreprise": "dirigeant,pdg,patron,président,directeur,fondateur,gérant,chef d'entreprise",
        "ministre de la justice": "garde des sceaux,ministre de la justice",
        "garde des sceaux": "ministre de la justice,garde des sceaux",
        "cheffe d'entreprise": "dirigeante,pdg,patronne,présidente,directrice,fondatrice,gérante,cheffe d'entreprise",
    }.items()
}
# Nouns for a body, used as its anaphor once it is named ("Ocean Gate a dit ... Le groupe assure").
ORG_ANAPHORS = frozenset(
    """groupe société entreprise firme compagnie consortium laboratoire constructeur club association
    syndicat fédération opérateur start-up enseigne instance organisme ong fonds collectif agence équipe
    direction collectivité comité chaîne""".split()
)
# Written things whose text is quoted ("une affichette prévient : « Eau non potable »"): no speaker.
INSCRIPTION_NOUNS = frozenset(
    """affichette affichettes affiche affiches panneau panneaux pancarte pancartes banderole banderoles
    inscription inscriptions écriteau écriteaux plaque graffiti tag tags slogan slogans formule""".split()
)
# Endings of a capitalised past participle glued after a person's name ("la loi Leonetti Votée en 2005"): no part
# of the name (feminine ones only: "Les Pieds Nickelés" is a name).
PARTICIPLE_ENDINGS_AFTER_NAME = ("ée", "ées")
# A verb of saying frozen into a connective of the writer's own text ("Autrement dit, ...", "cela dit",
# "soit dit en passant", "le procès proprement dit", "c'est-à-dire", "à vrai dire", "pour ainsi dire"): the
# words before the verb, up to and including it.
SAYING_CONNECTIVE = re.compile(
    r"(?<![\w-])(?:(?:autrement|cela|ceci|ça|soit|proprement)\s+dite?s?|(?:[àa]\s+vrai|pour\s+ainsi)\s+dire|est-à-dire)$", re.I
)  # (not "il a ainsi dit que ...": speech)
# Impersonal verbs whose infinitive of saying is the writer's voice ("Il faut dire que ...", "il convient
# de rappeler que ..."), not a person's speech; forms, since spaCy lemmatises "convient" as "convier".
IMPERSONAL_HEADS = frozenset(
    """faut fallait faudra faudrait fallut fallu falloir convient convenait conviendra conviendrait""".split()
)
# Heads of a speaker phrase that can speak, beyond the lists of people, roles, bodies, media and documents
# above (context.SPEAKING_NOUNS): a speaker headed by any other common noun ("son retour", "sa présence")
# is the parser's misreading, shown as a guess.
SPEAKING_NOUNS_MORE = frozenset(
    """voix porte-voix membre membres assistant assistante banquier banquiers gamin gamine marque chancellerie
    dalaï lama entourage proches famille parents camp majorité intersyndicale équipe équipes clan sportif sportive
    accusation défense partie service services capitale capitales information informations""".split()
)
# Bodies of the State a pronoun may stand for ("Le ministère de l'Intérieur a annoncé ... Il a précisé").
GOVERNMENT_BODIES = frozenset("ministère gouvernement parquet conseil tribunal".split())
# Parts of a body that speak for it: "la direction de Véolys" is Véolys.
SPEAKS_FOR_BODY = frozenset("direction".split())
# Administrations named by a noun and a place: "la préfecture" later stands for "la préfecture du
# Nord" (but never for another body named before).
ADMINISTRATIONS = frozenset("préfecture sous-préfecture mairie rectorat".split())
# "L'entreprise", "la société" stand for a body introduced by any of these nouns ("le groupe Kervadec").
COMPANY_ANAPHORS = frozenset("entreprise société firme groupe compagnie constructeur fabricant industriel direction".split())
# "la collectivité" for "la région Bourgogne-Franche-Comté": nouns of bodies and the kinds they cover
BODY_HYPERNYMS = {
    "collectivité": frozenset("région département commune mairie métropole ville agglomération communauté".split()),
}
# Nouns whose gender an elided article hides and the ending does not tell ("l'analyste", "l'hydrologue").
EPICENE_ENDINGS = ("iste", "yste", "logue", "aire")
COMPANY_NOUNS = frozenset(
    """groupe société entreprise firme compagnie industriel constructeur laboratoire fabricant
    équipementier opérateur enseigne start-up assureur exploitant""".split()
)
# Words that end a speaker description after its head ("a insisté le directeur lors d'un point
# presse", "le maire devant le conseil"): the tagger often reads "lors" as an adverb.
DESCRIPTION_STOPS = frozenset("lors devant pendant durant avant après depuis auprès face dès sous".split())
# Documents as sources: "selon un bilan provisoire de la préfecture" -> la préfecture;
# "selon un sondage publié par l'institut X" -> X.
DOCUMENT_NOUNS = frozenset(
    """bilan bilans communiqué communiqués rapport rapports décompte chiffres chiffre estimation estimations
    données note sondage enquête étude relevé relevés comptage pointage statistiques document
    documents courrier lettre décision arrêté""".split()
)
DOCUMENT_AUTHOR_CUES = ("publié par", "publiée par", "réalisé par", "réalisée par", "établi par", "établie par",
                        "diffusé par", "diffusée par", "de", "du", "des", "de la", "de l'", "d'")
# A document as the vehicle of a verb: "Natixis a démenti dans un communiqué": its subject wrote it.
DOCUMENT_VEHICLE_CASES = frozenset(("dans",))
# Verb + noun locutions that are verbs of saying: "a fait état de « dégâts importants »".
SPEECH_LOCUTIONS = {"faire": ("état",), "prendre": ("acte",)}
# Verb + infinitive locutions of saying: "a fait savoir que", "fait valoir que", "laisse entendre que".
SPEECH_INFINITIVES = {"savoir": ("faire",), "valoir": ("faire",), "entendre": ("laisser",), "remarquer": ("faire",), "observer": ("faire",)}
# Two wordings of one role (entities.resolve_role): "le numéro un de la Corée du Nord" is "le
# dirigeant nord-coréen". Role nouns that mean the same post, and countries with their demonym.
ROLE_SYNONYMS = {"numero un": "dirigeant", "leader": "dirigeant", "numero 1": "dirigeant"}
COUNTRY_DEMONYMS = {
    "Corée du Nord": "nord-coréen", "Corée du Sud": "sud-coréen", "Russie": "russe", "Chine": "chinois",
    "France": "français", "Ukraine": "ukrainien", "États-Unis": "américain", "Allemagne": "allemand",
    "Royaume-Uni": "britannique", "Japon": "japonais", "Iran": "iranien", "Israël": "israélien",
    "Italie": "italien", "Espagne": "espagnol", "Turquie": "turc", "Inde": "indien", "Brésil": "brésilien",
    "Canada": "canadien", "Belgique": "belge", "Syrie": "syrien", "Égypte": "égyptien", "Algérie": "algérien",
    "Maroc": "marocain", "Tunisie": "tunisien", "Liban": "libanais", "Pologne": "polonais",
    "Biélorussie": "biélorusse", "Venezuela": "vénézuélien", "Cuba": "cubain", "Mexique": "mexicain",
}


def nationality(word: str) -> str | None:
    """The nationality a demonym tells, whatever its gender and number ("Américaine", "espagnols" ->
    "américain", "espagnol"), None for any other word."""
    w = word.lower().replace("’", "'")
    return _NATIONALITY_FORMS.get(w) or (_NATIONALITY_FORMS.get(w[:-1]) if w.endswith("s") else None)


_NATIONALITY_FORMS = {f: d for d in COUNTRY_DEMONYMS.values()
                      for f in (d, d + "ne" if d.endswith("en") else d[:-1] + "que" if d.endswith("c") else d if d.endswith("e") else d + "e")}
# Endings of demonyms the NER takes for places ("la Suédoise", "le Rochelais"); country names in
# COUNTRY_DEMONYMS are not demonyms.
DEMONYM_ENDINGS = ("ais", "aise", "ois", "oise", "ien", "ienne", "éen", "éenne", "ain", "aine", "èque", "aque", "and", "ande", "ol", "ole")
# "ce dernier", "cette dernière": the last person named.
LAST_MENTIONED = {"ce dernier": "Masc", "cette dernière": "Fem", "celui-ci": "Masc", "celle-ci": "Fem"}
# Nouns for people, so that an unnamed subject ("un riverain", "une usagère") can be what a later
# "il"/"elle" refers to.
PERSON_NOUNS = frozenset(
    """homme femme habitant habitante riverain riveraine témoin manifestant manifestante usager usagère
    agriculteur agricultrice voisin voisine salarié salariée ouvrier ouvrière militant militante
    syndicaliste supporter supporteur commerçant commerçante passant passante mère père
    enquêteur enquêtrice expert experte analyste diplomate négociateur négociatrice policier policière
    gendarme pompier médecin infirmier infirmière enseignant enseignante étudiant étudiante retraité
    retraitée victime rescapé rescapée survivant survivante conducteur conductrice chauffeur employé
    employée accusé accusée plaignant plaignante joueur joueuse agent agente fils fille mari épouse élu élue édile
    patient patiente malade blessé blessée client cliente ingénieur ingénieure cadre
    lycéen lycéenne élève parent sociologue spécialiste chercheur chercheuse docker dockers
    frère sœur cousin cousine oncle tante neveu nièce compagnon compagne veuf veuve ami amie
    ailier ailière demi-centre pivot gardien gardienne arrière attaquant attaquante milieu capitaine
    candidat candidate""".split()
)
# Organisation nouns set before an organisation's name ("l'association Anticor", "l'ONG X"):
# the speaker is the name.
ORG_NOUNS_BEFORE_NAME = frozenset(
    """association ong syndicat parti agence société entreprise groupe institut fédération collectif cabinet
    industriel constructeur laboratoire opérateur fabricant équipementier assureur banque consortium start-up
    équipe club chaîne journal quotidien hebdomadaire magazine radio télévision site""".split())
# Common first names by gender (a person's gender when no honorific or role tells it).
FIRST_NAMES_FEM = frozenset(
    """anne marie sophie claire catherine isabelle nathalie sylvie christine martine françoise valérie
    sandrine véronique nadia sarah julie céline aurélie caroline élise elise élisabeth elisabeth mathilde
    rachel fabienne florence teresa wendie brigitte ségolène marine najat rachida agnès pascale laurence
    hélène emmanuelle delphine stéphanie virginie patricia monique chantal nicole jacqueline annie
    michèle danielle dominique corinne karine laure léa camille chloé manon emma inès lina jeanne louise
    alice juliette clémence pauline marion amandine audrey émilie elodie élodie laetitia mélanie
    charlotte margaux lucie anaïs zoé sabine muriel odile colette josiane ghislaine yasmina fatima
    samia leïla amélie barbara cécile gisèle irène jeannette lydie maryse myriam nadine noémie
    océane rose simone solène sonia suzanne yvette anne-sophie anne-marie marie-france
    marie-christine marie-claire ursula angela kamala hillary giorgia kaja christine olena""".split()
)
FIRST_NAMES_MASC = frozenset(
    """jean pierre michel philippe alain patrick nicolas christophe david daniel laurent éric eric
    frédéric stéphane olivier sébastien thierry julien vincent françois bruno pascal gérard bernard
    christian jacques marc denis franck didier emmanuel gérald clément fabien antoine
    karim lahcen mustapha jens joe dmitri vladimir volodymyr john fabio arnaud
    antonio thomas alexandre maxime lucas hugo louis paul arthur jules gabriel raphaël
    léo mathieu matthieu guillaume romain benjamin jérôme yves rené roger henri andré claude joël
    gilles serge hervé xavier benoît cédric grégory sylvain damien florian kevin jordan anthony
    mohamed mohammed ahmed ali youssef rachid samir hamid omar jean-pierre jean-luc jean-marc
    jean-michel jean-paul jean-claude jean-louis jean-françois jean-yves jean-noël marc-antoine
    sergueï sergei xi kim narendra recep benyamin donald barack george tony boris olaf ignazio
    édouard edouard gabriel jordan manuel michel-édouard""".split()
)
# ... and the longer lists of the data file next to this module
_FIRST_NAMES = json.loads(Path(__file__).with_name("fr_first_names.json").read_text(encoding="utf-8"))
FIRST_NAMES_FEM = FIRST_NAMES_FEM | frozenset(_FIRST_NAMES["fem"])
FIRST_NAMES_MASC = FIRST_NAMES_MASC | frozenset(_FIRST_NAMES["masc"])
FIRST_NAMES = FIRST_NAMES_FEM | FIRST_NAMES_MASC
# First names given to women and men alike: they tell no gender ("Le préfet ..., Dominique Perrault").
EPICENE_FIRST_NAMES = frozenset("dominique camille claude sacha alix charlie morgan andrea lou ange eden".split())

# Nouns naming people or bodies that can be a source of information ("pour les hydrologues").
SOURCE_NOUNS = frozenset(
    """
    analyste expert spécialiste observateur diplomate source témoin riverain habitant responsable
    syndicat association ong gouvernement ministère préfecture mairie parquet police gendarmerie
    autorité opposition direction entreprise agence média presse journal chercheur scientifique
    économiste juriste historien politologue sondage enquête rapport document étude proche entourage
    """.split()
)
AGENT_SUFFIXES = ("iste", "istes", "logue", "logues", "ien", "iens", "ienne", "iennes", "eur", "eurs", "euse", "euses", "aire", "aires")
# Anonymous sources: an indefinite description of a person or group.
ANONYMOUS_DETERMINERS = frozenset("un une des plusieurs certains certaines deux trois quelques de d' d’".split())
NEWS_AGENCIES = {
    "afp": "AFP", "agence france-presse": "AFP", "reuters": "Reuters", "ap": "AP", "associated press": "AP",
    "sputnik": "Sputnik", "tass": "TASS", "ria novosti": "RIA Novosti", "kcna": "KCNA", "yonhap": "Yonhap",
    "belga": "Belga", "ansa": "ANSA", "xinhua": "Xinhua", "chine nouvelle": "Xinhua", "dpa": "DPA", "efe": "EFE",
    "ats": "ATS", "apa": "APA", "anadolu": "Anadolu", "irna": "IRNA", "kyodo": "Kyodo", "bloomberg": "Bloomberg",
    "interfax": "Interfax", "ukrinform": "Ukrinform", "wafa": "WAFA", "map": "MAP", "aps": "APS", "apo": "APO",
}
# Relay verbs and phrases: "selon l'AFP, citant X", "a indiqué X à l'AFP".
RELAY_CUES = ("citant", "cité par", "citée par", "cités par", "citées par", "rapporté par", "rapportés par", "rapportées par", "relayé par", "relayés par")
GOVERNMENT_WORDS = frozenset("gouvernement kremlin élysée matignon maison-blanche ministère préfecture mairie présidence".split())
MEDIA_WORDS = frozenset("télévision radio journal quotidien chaîne média médias presse site hebdomadaire magazine".split())
DETERMINERS = frozenset("le la les l' l’ un une des d' d’ du de".split())
# Capitals standing for their government ("selon Washington"); NER often tags them PER.
CAPITAL_METONYMS = frozenset(
    "washington moscou pékin beijing paris londres berlin kiev kyiv pyongyang séoul tokyo téhéran jérusalem "
    "ankara bruxelles rome madrid rabat alger tunis ottawa pretoria brasilia canberra islamabad damas bagdad "
    "riyad taipei hanoï bangkok varsovie budapest minsk erevan bakou tbilissi caracas la-havane".split()
)

# Static-embedding fit (scripts/distill_static.py, stage 2): where a news sentence is cut into
# clause-like segments (punctuation, coordinating and subordinating words), and the contractions a
# tokenised corpus splits ("de le" for "du") put back when its text is rebuilt.
CLAUSE_BREAK = re.compile(
    r"\s*[,;:()«»–—]\s*|\s+(?=(?:et|mais|ou|car|donc|puis|qui|que|qu'|dont|où|lorsque|quand|alors|tandis|"
    r"selon|après|avant|pour|afin|dès|depuis)\s)"
)
SPLIT_CONTRACTIONS = ((r"\bde le\b", "du"), (r"\bde les\b", "des"), (r"\bà le\b", "au"), (r"\bà les\b", "aux"),
                      (r"\bDe le\b", "Du"), (r"\bDe les\b", "Des"), (r"\b[AÀ] le\b", "Au"), (r"\b[AÀ] les\b", "Aux"))

# Speaker descriptions resolved to the name the article gives them (extract/quotes/referents.py).
# A definite description (determiner, rest) and a complement naming a body ("du ministère du Travail").
REFERENT_DEFINITE = re.compile(r"^(l['’]\s*|(?:les|le|la|son|sa|ses|leurs|leur|cette|cet|ces|ce)\s+)(.+)$", re.I | re.S)
REFERENT_NAMED_COMPLEMENT = re.compile(r"\b(?:de|du|des|d['’])\s*(?:la\s+|l['’]\s*)?[A-ZÀ-Ý]")
# Adjectives before a description's head noun: "l'ancien ministre", "le nouveau patron".
REFERENT_PRE_ADJECTIVES = frozenset(
    "ancien ancienne nouveau nouvel nouvelle jeune futur future actuel actuelle haut haute grand grande".split())
# First words of a description that is an unnamed source by design, never resolved: "un diplomate".
REFERENT_INDEFINITES = frozenset(
    "un une des d'autres certains certaines plusieurs quelques aucun aucune nombre beaucoup".split())
# Heads of a definite description that stay as written ("son entourage", "les proches", "la source").
REFERENT_UNNAMED = frozenset(
    """entourage proche proches source sources témoin témoins image images voix rumeur presse médias
    enquêteurs enquêteur policiers police gendarmes gendarmerie secours pompiers habitants riverains""".split())
# Nouns of words or documents that speak for the name after them: "les propos de François Hollande",
# "le communiqué de Natixis" (a document speaks for its authors: docs/annotation-quotes.md).
AUTHORED_NOUNS = frozenset(
    """mots propos déclaration déclarations communiqué communiqués texte lettre message messages courrier
    tweet tweets interview entretien discours rapport note document avis témoignage""".split())
# Person nouns that are no role title but that the text may set beside one name: "l'ex-otage Ingrid
# Betancourt", "le chef spirituel tibétain".
REFERENT_PERSON_NOUNS = frozenset(
    """otage candidat candidate leader chef militant militante opposant opposante dissident dissidente
    journaliste animateur animatrice présentateur présentatrice économiste analyste expert experte
    spécialiste chercheur chercheuse écrivain écrivaine auteur autrice acteur actrice chanteur chanteuse
    joueur joueuse athlète pilote coureur coureuse champion championne dirigeant dirigeante patron
    patronne homme femme victime magistrat""".split())
# Heads of a description of a body beyond those before names: "la commission" for "la Commission bancaire".
REFERENT_BODY_NOUNS = frozenset(
    "commission inspection mission caisse organisation institution autorité office conseil cour tribunal".split())
# Generic heads that stand for the person, or body, an article is most about when no name was given
# that noun: "l'ex-otage", "le groupe", "la banque".
REFERENT_GENERIC_PERSONS = frozenset("otage candidat candidate coureur champion championne joueur joueuse".split())
REFERENT_GENERIC_BODIES = frozenset("groupe société entreprise firme compagnie banque enseigne établissement constructeur".split())
