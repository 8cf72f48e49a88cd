"""The people a cable names: officials with their titles, the classifying official, the
signer, the names on ``FOR`` lines. Pure Python, rule-based, no Django.

``extract_people(cable)`` returns one ``PersonMention`` per human named in the cable:

- ``name``: the fullest form seen, in proper case ("Adylbek Dzhaksybekov", "John Ordway"
  for "ORDWAY" once "Classified By: Amb. John Ordway" is read);
- ``aliases``: every surface form seen, as written ("Dzhaksybekov", "DZHAKSYBEKOV");
- ``titles``: the titles written before the name ("Presidential Administration head");
- ``paragraphs``: the positions (``Paragraph.position``) of the paragraphs naming the person;
- ``roles``: a subset of ``{"classified_by", "signer", "named"}``.

How a name is recognised, in mixed-case text: a run of capitalised words (with initials and
particles such as "van", "de", "al"), cut after the last word that is a title, an office, an
organisation word, a place, a month or a word the cable also writes in lower case. What is
left is a person when it is two words or more ("Maulen Ashimbayev"), when a title stands
before it ("FM Tokayev", "Senator Lugar", "PA deputy head Ashimbayev"), or when a verb of
speech follows it ("Uribe said", "Mottaki stated"). A single word without such a cue is a
person only when it is the surname of someone already found ("Dzhaksybekov" after
"Adylbek Dzhaksybekov"). A run that ends in an organisation word ("George Forrest
International", "Future Bank") is not a person. In capitals (subject lines, old cables) only
cued names count, and the subject line only adds spellings of people found elsewhere.

Joining: within a cable a surname alone, a spelling variant of a transliterated name
(``same_surname``: y/i, kh/h, ou/u, double letters, one slip of the keyboard) and the
signer in capitals join the person they name; two full names join only when their given
names agree (so "AQ Khan" and "Imran Khan" stay two people). ``same_person(a, b)`` and
``person_key(name)`` do the same across cables for the importer.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache, lru_cache

from .distance import osa_distance
from .model import ParsedCable

__all__ = ["PersonMention", "extract_people", "person_key", "same_person", "same_surname"]


@dataclass
class PersonMention:
    name: str  # canonical display form, proper case: "Adylbek Dzhaksybekov"
    aliases: list[str] = field(default_factory=list)  # every surface form seen, as written
    titles: list[str] = field(default_factory=list)  # "Presidential Administration head"
    paragraphs: list[int] = field(default_factory=list)  # Paragraph.position values, ascending
    roles: list[str] = field(default_factory=list)  # "classified_by", "signer", "named"


# --- vocabularies ------------------------------------------------------------------------


def _words(text: str) -> frozenset[str]:
    return frozenset(text.lower().split())


# Titles and functions written before a name ("FM Tokayev", "PA deputy head Ashimbayev").
TITLES = _words(
    """
    mr mrs ms dr amb ambassador minister fm pm dfm afm a/s das pdas u/s s/s deputy president
    vice chairman chairwoman chair head chief senator sen general gen governor secretary
    undersecretary under-secretary assistant director director-general spokesman spokeswoman
    spokesperson leader officer counselor counsellor consul charge cda dcm adcm com poloff
    econoff polcouns econcouns attorney prosecutor procurator monsignor cardinal pope king
    queen prince princess sheikh shaykh sheik shaikh emir amir sultan mayor judge justice colonel col lt
    lieutenant captain capt commander admiral adm marshal sergeant maj major-general brig
    brigadier representative representatives rep administrator presidents senators
    congressmen congressman congresswoman speaker premier chancellor
    commissioner ombudsman advisor adviser counsel envoy aide member deputies mp mps
    rapporteur coordinator executive ceo cfo coo cto chief-of-staff founder owner partner
    partners controller strategist editor editor-in-chief journalist correspondent
    professor prof scientist economist analyst lawyer activist candidate businessman
    businesswoman tycoon oligarch cleric imam priest bishop archbishop patriarch rabbi
    mullah ayatollah father mother wife husband son daughter brother sister widow nephew
    niece cousin uncle aunt hostage detainee prisoner dissident colleague counterpart
    emissary delegate official physician doctor student blogger writer author artist
    director general secretary-general sg ssg ag dg dpm vp evp svp md gm chargé chargee
    principal dean rector provost president-elect hon honorable excellency
    pol/econ deputy-chief-of-mission notetaker interlocutor contact attache attaché
    vice-president ex-president co-chair minister-counselor mediator negotiator gov
    mg bg ltg vadm radm ustr dustr nsa syg fonmin formin asd dasd sgt cdr planner czar tsar
    subdirector sub-director vm vice-minister viceminister honourable minster planer
    """
)
# Titles that are surnames too where they end a name ("Hun Sen", "Nirupam Sen", "Akmal
# Shaikh"; but "Sen. John Kerry", "Shaikh Ali Salman").
SURNAME_TITLES = frozenset(("sen", "sheikh", "shaikh", "sheik", "shaykh"))
# Titles that announce a name in capitals, where case tells nothing.
CAPS_TITLES = _words(
    """
    mr mrs ms dr amb ambassador minister fm pm dfm das president chairman senator general
    governor secretary undersecretary director spokesman leader officer counselor consul
    charge attorney prosecutor monsignor cardinal pope king queen prince sheikh emir mayor
    judge colonel general admiral commander representative premier chancellor commissioner
    envoy advisor adviser
    """
)
# Words of organisations: a run ending in one is an organisation, not a person.
ORG_WORDS = _words(
    """
    ministry administration commission committee council embassy bank party foundation
    organization organisation union department office agency court parliament government
    institute university college school company group international association center
    centre program programme forum fund authority service services airline airlines air
    airways airport metals telecom corporation corp inc ltd llc plc co network trust holding
    holdings industries industry energy oil gas petroleum resources mining motors media
    news press times post herald tribune journal gazette daily radio television tv channel
    agreement initiative convention protocol treaty accord declaration resolution act law
    code report strategy plan project alliance coalition front movement congress assembly
    mazhilis senate duma chamber house cabinet presidency secretariat directorate bureau
    division section unit task force forces army navy police guard militia brigade command
    republic kingdom federation state states emirates nations league summit conference
    club church mosque cathedral hospital prison square street avenue palace hotel
    park road lane staff board terminal works intelligence aviation corps bay zone
    customs treasury itamaraty congressional watcher watchers hurricane
    democrat democrats brotherhood qaeda qaida hamas hizballah hezbollah hizbollah sinn
    taliban shabaab al-shabaab
    justicia democratica prensa nacion pais ahram haaretz ha'aretz maariv yediot aharonot
    gazete gundem
    station port bridge hall tower museum library stadium market exchange watch rights
    reform development cooperation security affairs relations trade economic economy
    finance justice interior defense defence foreign health education labor labour
    agriculture transport transportation commerce culture information communications
    tourism environment welfare social emergency situations youth sports revolution war
    crisis process campaign operation newspaper magazine website site paper weekly ship
    vessel facility mine project summit games olympics
    """
)
DETERMINERS = _words("the a an its their our")
# Words that open a region's name or stand for a person's ("Upper Franconia", "Western
# Sahara", "His Holiness").
REGION_WORDS = _words(
    "upper lower western eastern northern southern central greater north south east west his her"
)
# Places and nationalities (countries, regions, cardinal points; cities come from the
# station table).
PLACES = _words(
    """
    afghanistan afghan albania albanian algeria algerian angola argentina argentine armenia
    armenian australia australian austria austrian azerbaijan azerbaijani bahrain
    bahraini bangladesh belarus belarusian belgium belgian bolivia bolivian bosnia brazil
    brazilian britain british bulgaria bulgarian burma burmese cambodia cameroon canada
    canadian chad chile chilean china chinese colombia colombian congo croatia croatian
    cuba cuban cyprus czech denmark danish dutch ecuador egypt egyptian england english
    eritrea estonia ethiopia europe european eu finland finnish france french georgia
    georgian germany german ghana greece greek guatemala haiti holland honduras hungary
    iceland icelandic india indian indonesia iran iranian iraq iraqi ireland irish israel
    israeli italy italian japan japanese jordan jordanian kazakhstan kazakhstani kazakh
    kenya korea korean kosovo kuwait kyrgyzstan kyrgyz latvia lebanon lebanese libya
    libyan lithuania macedonia malaysia mali mexico mexican moldova mongolia montenegro
    morocco moroccan mozambique namibia nepal netherlands nicaragua niger nigeria norway
    norwegian oman pakistan pakistani palestine palestinian panama paraguay peru peruvian
    philippines poland polish portugal portuguese qatar romania romanian russia russian
    rwanda saudi arabia serbia serbian singapore slovakia slovenia somalia spain spanish
    sri lanka sudan sweden swedish switzerland swiss syria syrian taiwan tajikistan tajik
    tanzania thailand thai tunisia turkey turkish turkmenistan uganda ukraine ukrainian
    uae uzbekistan uzbek venezuela venezuelan vietnam yemen zambia zimbabwe american
    america americas asia asian africa african arab arabian caucasus caspian balkan balkans
    baltic gulf persian middle east west north south central eastern western northern
    southern latin pacific atlantic mediterranean islamic soviet kosovar kurdish kurd
    kurdistan new zealand zealander costa rica rican venezuelan holy see vatican
    washington moscow astana almaty beijing tehran kabul baghdad london paris berlin rome
    brussels geneva vienna tokyo delhi islamabad ankara istanbul caracas bogota havana
    tripoli cairo dubai riyadh jerusalem tel aviv gaza aktobe sochi kennebunkport
    """
)
MONTHS = _words(
    """
    january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday
    friday saturday sunday
    """
)
# Capitalised words that are never names (sentence openers, connectives, cable furniture).
COMMON = _words(
    """
    the a an this that these those in on at to of for from with by as and or but if when
    while after before during since until although though however also he she they it we
    you i his her their its our my your him them us there here then thus so not no yes all
    some any each every both other another such many much more most few several one two
    three first second third last next end begin summary comment note action request
    reftel ref refs septel para paragraph post mission embassy consulate department dept
    per according following despite nevertheless meanwhile moreover furthermore given
    unlike like under over apparently separately besides inside outside facing turning
    referring echoing elaborating characterizing responding noting asked asking mr ms mrs
    god holy list sir madam dear lord lady saint st day week year years today tonight
    tomorrow yesterday non-paper nonpaper ambassador's post's without within among between
    against toward towards around through about above below beyond upon into onto across
    behind near beside except regarding concerning including will would can could may
    might must shall should is was were are has have had be been did does do who whom whose
    which what where why how emboff emboffs poloffs econoffs ministers manager managers
    caution
    """
)
PARTICLES = _words("van von der den de del della di du da dos das la le al el bin bint ibn abu ter")
# Verbs that follow a speaker ("Uribe said", "BOURDON SAID").
SPEECH = _words(
    """
    said says told noted stated added adds asked claimed
    explained explains commented responded responds replied replies urged urges
    stressed stresses emphasized emphasised underscored described describes argued argues
    conceded assured agreed agrees acknowledged observed continued declared reported
    highlighted informed met expressed insisted outlined repeated pointed suggested
    mentioned recalled denied confirmed warned cautioned hoped welcomed pledged briefed
    interjected relayed remarked maintained volunteered apologized apologised asserted
    hosted concluded reminded concurred countered recommended proposed believes believed
    wants wanted thinks thought criticized criticised accused admitted announced complained
    predicted praised indicated lamented opined offered promised refused rejected revealed
    speculated downplayed doubted encouraged invited spoke speaks underlined reiterated
    reaffirmed affirmed voiced shared conveyed recounted contended alleged answered
    clarified opined surmised stated
    """
)
# All-capital words of FOR lines that are offices, not people.
OFFICE_WORDS = _words(
    """
    dept department state for and also pass please info to the usg usaid ustr nsc osd doe
    pmat cis
    doc treasury commerce justice energy defense secdef jcs cjcs dhs doj fbi cia usda dod
    dos unesco polad hqsouthcom southcom eucom centcom pacom africom socom amembassy
    amconsul usmission usun useu usnato usosce embassy consulate collective sipdis noforn
    nodis exdis limdis sensitive secstate secdef washdc white house nsc/ nea eur sca wha
    eap af isn inr drl prm oes eeb pm io ca ds ha dri ipa mlga mag imo only attn attention
    office bureau desk action ambassador deputy assistant secretary under with pls see
    cen rus carc ubi rpm ose anp phd cacen tfs cpi oee esc iec
    customs financial corps health labor aphis fsis fas agricultural commercial military naval
    cultural legal country policy attaches attach regional global peace nonproliferation
    reporting officers ofda dcha senior aids
    oasia ilab usdoc fincen ofac afmls fodag usdel useucom vaihingen osce csce wash ibrd icfy
    oecd uscincso datt legatt esth used confidential secret unclassified unclas legat stas
    africa-watcher
    """
)
NICKNAMES = {
    "mike": "michael",
    "mick": "michael",
    "bob": "robert",
    "rob": "robert",
    "bill": "william",
    "will": "william",
    "jim": "james",
    "jimmy": "james",
    "chris": "christopher",
    "dick": "richard",
    "rick": "richard",
    "tom": "thomas",
    "tony": "anthony",
    "joe": "joseph",
    "dan": "daniel",
    "dave": "david",
    "steve": "stephen",
    "ed": "edward",
    "ted": "edward",
    "nick": "nicholas",
    "pat": "patrick",
    "sam": "samuel",
    "alex": "alexander",
    "sasha": "alexander",
    "liz": "elizabeth",
    "kate": "katherine",
    "jack": "john",
    "larry": "lawrence",
    "jerry": "gerald",
    "andy": "andrew",
    "matt": "matthew",
    "ben": "benjamin",
    "greg": "gregory",
    "ken": "kenneth",
    "fred": "frederick",
}


@cache
def _cities() -> frozenset[str]:
    """The words of the posts' names ("Addis Ababa" -> addis, ababa), but those that are
    also people's names ("Jose Serra", "Paulo Alvarenga", "Louis Susman", "Judge Alejandro
    Madrid"): a name of a post written out is found whole ("San Jose", "Sao Paulo")."""
    from .fields import station_origins

    words: set[str] = set()
    for origin in station_origins().values():
        for word in origin.split()[1:]:
            words.add(word.lower())
    return frozenset(words - NAMES_OF_PLACES)


def _only_places(words: list[str]) -> bool:
    """Whether every word of a name is a place's ("El Salvador", "La Paz", "Madrid", "Sao
    Paulo"): the words of ``NAMES_OF_PLACES`` make a person only beside another name."""
    return all(
        (low := w.lower().strip(".,")) in NAMES_OF_PLACES or low in PLACE_PARTS or low in _cities()
        for w in words
    )


def _names_a_place(words: list[str]) -> bool:
    """Whether a name is a country's ("Sierra Leone", "Malawi") or a province's of two words
    or more ("Minas Gerais", "Uttar Pradesh", "Nova Scotia")."""
    return _fold("".join(words)) in _places_by_name()


@cache
def _places_by_name() -> frozenset[str]:
    """The names of countries and of their provinces and states (``pycountry``), folded as
    ``_fold`` folds a name; provinces of one word are left out, being surnames too often
    ("Bolton", "Kerry", "Toledo", "Herrera")."""
    import pycountry

    names = set()
    for country in pycountry.countries:
        for attribute in ("name", "common_name", "official_name"):
            if value := getattr(country, attribute, None):
                names.add(_fold(value))
    for province in pycountry.subdivisions:
        if len(province.name.split()) >= 2:
            names.add(_fold(province.name))
    return frozenset(names)


# Words of the posts' names that are people's names too.
NAMES_OF_PLACES = frozenset(
    "jose paulo louis milan sofia lima lagos paz salvador santiago madrid alexandria".split()
)
# The articles and shortenings of places' names ("El Salvador", "S. Paulo", "Sco Paulo").
PLACE_PARTS = frozenset("el la los las san sao s sco st".split())
# Words that open a place's name and no person's ("Los Angeles", "Santa Cruz", "Puerto Rico",
# "Camp David"; but "Don Camp").
# Words that open the names of places and groups, not people's ("Puerto Rico", "Sharm
# el-Sheikh", "Jaysh al-Mahdi", "Eid al-Adha", "Ras al-Khaimah", "Bab al-Azizia").
PLACE_OPENERS = frozenset(
    """los las santa santo puerto porto camp sharm jaysh jaish eid jamaat jamaatt jama'at
    jamiat jamiyat sharq asharq ras bab bir jebel jabal asa'ib majlis hizb harakat ansar
    wadi masjid kataib liwa saraya tanzim lashkar sipah jund souq suq naher nahr khor
    deir burj""".split()
)
# Companies the cables name like people ("Boeing's bid", "Chevron Eurasia", "Exxon Mobil"):
# a name that opens with one is the company's.
COMPANIES = frozenset(
    """boeing airbus chevron exxon exxonmobil westinghouse areva saab google microsoft
    motorola halliburton bechtel gazprom lukoil rosneft petrobras aramco embraer siemens
    texaco""".split()
)
# ... and given names too, before a word with the article only ("Eid al-Adha", "Mina Az-Zour",
# "Umm Qasr" but "Eid Fayez", "Mina Zemach").
PLACE_OPENERS_BEFORE_ARTICLE = frozenset("eid mina umm um".split())


def _is_place(low: str) -> bool:
    if low in PLACES or low in GEOGRAPHY or low in _cities():
        return True
    # Plurals of nationalities: "Iranians", "Kazakhstanis", "Americans".
    return low.endswith("s") and low[:-1] in PLACES


@cache
def _vocabulary() -> frozenset[str]:
    """The words that are never a name (``_is_vocabulary``) but for the plurals of
    nationalities, in one set: a word is looked up once, not in each list."""
    return TITLES | ORG_WORDS | COMMON | MONTHS | PLACES | GEOGRAPHY | _cities()


# The share of a word's places (but a sentence's first) where the cables write it in lower
# case that makes it a word of the language rather than a name.
COMMON_SHARE = 0.85


@cache
def _lower_case_shares() -> dict[str, float]:
    """Word -> the share of its places where the cables write it in lower case, for the
    words written so in half of them or more (cables/data/common_words.tsv, built by
    scripts/build_common_words.py)."""
    from .fields import data_rows

    return {
        word: int(low) / (int(low) + int(high)) for word, low, high in data_rows("common_words.tsv")
    }


@cache
def _common_words() -> frozenset[str]:
    """Words the cables write in lower case in most places they appear ("staff", "points",
    "team", "workers"): a name of one such word is a person only beside a full name the cable
    gives ("Young" after "Clifford Young"), and a name that ends in one and opens with a word
    often written so is none ("Key Points", "Country Team", "MANAGEMENT TEAM")."""
    return frozenset(word for word, share in _lower_case_shares().items() if share >= COMMON_SHARE)


def _ends_a_phrase(words: list[str]) -> bool:
    """Whether a name's words are a phrase of the language ("Key Points", "Organized Crime",
    "MANAGEMENT TEAM") rather than a person's ("Andrew Young", "Tom Price", "Bill Burns"):
    its last word is a common word and its first one the cables often write in lower case."""
    spelled = [w.lower() for w in words if w.lower() not in PARTICLES]
    return (
        len(spelled) >= 2
        and spelled[-1] in _common_words()
        and spelled[0] in _lower_case_shares()
        and spelled[0] not in GIVEN_NAMES_OF_WORDS
    )


# Names that open a full name and are words of the language ("Bill Burns", "Frank Rose",
# "Mark Lyall Grant", "Ban Ki-moon", "Than Shwe", "Alia El Mahdi").
GIVEN_NAMES_OF_WORDS = _words(
    """
    bill will grant rose hope drew skip mark frank gene guy art chase lane sue may ray dean
    joy grace faith rich jack victor pat max miles earl ban than tin alia ever raid win
    manual norm chat mate rush job page bode vital tea saw akin ton fan said herb chip joke
    lucky comfort patience slim fares mile gun tone modest chance desire age thin harsh edge
    """
)


def _is_vocabulary(low: str) -> bool:
    """A title, an organisation word, a common word, a month or a place (in lower case)."""
    return low in _vocabulary() or (low.endswith("s") and low[:-1] in PLACES)


def is_word_of_the_language(low: str) -> bool:
    """Whether the cables write a word (in lower case) in lower case in half its places or
    more (``_lower_case_shares``): "the", "request", "persons"; not "pakistan", "costa"."""
    return low in _lower_case_shares()


def is_common_word(low: str) -> bool:
    """Whether a word (in lower case) is a word of the language rather than a surname: a
    common word, a title, an organisation's word, a month or a day ("Thanks", "Minister",
    "Embassy", "Tuesday")."""
    return low in COMMON or low in TITLES or low in ORG_WORDS or low in MONTHS


# Words of place names ("Capitol Hill", "Upper Kodori", "Bandar Abbas district").
GEOGRAPHY = _words(
    """
    hill hills valley river mountain mountains mount lake sea ocean island islands gorge
    upper lower district province region oblast city town village county capital border
    coast peninsula desert strait canal
    """
)


# --- spelling keys -----------------------------------------------------------------------

_TRANSLIT = [
    ("shch", "sh"),
    ("dzh", "j"),
    ("zh", "j"),
    ("kh", "h"),
    ("ph", "f"),
    ("ck", "k"),
    ("qu", "k"),
    ("q", "k"),
    ("ou", "u"),
    ("oo", "u"),
    ("ie", "i"),
    ("y", "i"),
    ("w", "v"),
    ("c", "k"),
]


_NOT_ASCII_LETTER = re.compile(r"[^A-Za-z]")
_REPEATED_LETTER = re.compile(r"(.)\1+")


def _fold(text: str) -> str:
    if text.isascii():
        return _NOT_ASCII_LETTER.sub("", text).lower()  # what the general case gives ASCII
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if ch.isalpha() and ord(ch) < 128).lower()


@lru_cache(maxsize=65536)
def _key(word: str) -> str:
    """A spelling key for one name word: transliteration variants and double letters fold."""
    key = _fold(word)
    for a, b in _TRANSLIT:
        key = key.replace(a, b)
    return _REPEATED_LETTER.sub(r"\1", key)


# Cached: a cable compares each name it reads with the surname of every person found so far.
@lru_cache(maxsize=65536)
def same_surname(a: str, b: str) -> bool:
    """Whether two surnames are spellings of one name ("Yushchenko"/"Yuschenko",
    "Mahjoobi"/"Majhoobi"). A feminine form is another name ("Nazarbayev"/"Nazarbayeva")."""
    ka, kb = _key(a), _key(b)
    if not ka or not kb:
        return False
    if ka == kb:
        return True
    if ka + "a" == kb or kb + "a" == ka:
        return False
    if min(len(ka), len(kb)) < 6 or ka[0] != kb[0]:
        return False
    return osa_distance(ka, kb, 1) <= 1


def _given_compatible(a: list[str], b: list[str]) -> bool:
    """Whether two lists of given names and initials can name the same person."""
    if not a or not b:
        return True
    if _given_match(a[0], b[0]):
        return True
    # A middle name used alone ("Zahir Shah" for "Mohammed Zahir Shah").
    return any(_given_match(a[0], y) for y in b[1:]) or any(_given_match(x, b[0]) for x in a[1:])


def _given_match(x: str, y: str) -> bool:
    x, y = x.rstrip("."), y.rstrip(".")
    if not x or not y:
        return False
    xl, yl = NICKNAMES.get(x.lower(), x.lower()), NICKNAMES.get(y.lower(), y.lower())
    if len(x) == 1 or len(y) == 1:
        return xl[0] == yl[0]
    return xl == yl or same_surname(xl, yl) or _key(xl) == _key(yl)


@lru_cache(maxsize=65536)
def _split_name(name: str) -> tuple[list[str], str]:
    """Given names (and initials) and the surname of a name; particles stay with the surname."""
    words = [w for w in _SPACES.split(name.strip()) if w]
    if not words:
        return [], ""
    i = len(words) - 1
    while i > 0 and words[i - 1].lower() in PARTICLES:
        i -= 1
    return words[:i], " ".join(words[i:])


@lru_cache(maxsize=65536)
def _surname_key(surname: str) -> str:
    parts = [w for w in surname.split() if w.lower() not in PARTICLES]
    return _key(_without_particle(parts[-1] if parts else surname))


def _without_particle(word: str) -> str:
    """A surname without the Arabic article joined to it ("al-Qadhafi", "Al-Hakim" ->
    "Qadhafi", "Hakim"): the cables write it with and without (but "Da-jun" is a given name)."""
    head, hyphen, tail = word.partition("-")
    return tail if hyphen and tail and head.lower() in ARTICLES else word


# The Arabic article as the cables spell it before a name ("al-", "el-", "ash-", "ud-").
ARTICLES = frozenset("al el ad ar as ash at az ud ul".split())


def person_key(name: str) -> str:
    """A key for joining people across cables: the folded surname, then the first given
    name's initial when one is known ("ordway j", "dzaksibekov a"; "tokaiev" alone)."""
    given, surname = _split_name(_proper(name))
    key = _surname_key(surname)
    if given:
        first = NICKNAMES.get(given[0].rstrip(".").lower(), given[0].lower())
        key += " " + first[0]
    return key


def same_person(a: str, b: str) -> bool:
    """Whether two names (from one cable or two) can name the same person: spellings of one
    surname and given names that agree ("Adylbek Dzhaksybekov" / "Adilbek Dzhaksybekov" /
    "DZHAKSYBEKOV"; not "AQ Khan" / "Imran Khan"). A surname alone matches any full name with
    that surname: across cables, prefer full names."""
    ga, sa = _split_name(_proper(a))
    gb, sb = _split_name(_proper(b))
    if not sa or not sb:
        return False
    return same_surname(_surname_key(sa), _surname_key(sb)) and _given_compatible(ga, gb)


@lru_cache(maxsize=65536)
def _proper(name: str) -> str:
    """Proper case for a name written in capitals ("JOHN ORDWAY" -> "John Ordway",
    "VAN VOORST" -> "Van Voorst", "M. O'MARA" -> "M. O'Mara"); mixed case is kept."""
    name = " ".join(name.split())
    if any(map(str.islower, name)):
        return name

    def word(w: str) -> str:
        if _DOTTED_INITIALS.fullmatch(w):
            return w
        out = "-".join(p[:1] + p[1:].lower() for p in w.split("-"))
        if out.startswith(("O'", "Mc")):
            out = _IRISH_PREFIX.sub(lambda m: m.group(1) + m.group(2).upper(), out)
        return out

    return " ".join(word(w) for w in name.split())


_SPACES = re.compile(r"\s+")
_DOTTED_INITIALS = re.compile(r"(?:[A-Z]\.)+")
_IRISH_PREFIX = re.compile(r"^(O'|Mc)([a-z])")


@lru_cache(maxsize=65536)
def _name_parts(words: tuple[str, ...]) -> tuple[list[str], str, str, tuple[str, ...]]:
    """What ``_People.find`` compares of a name as written: its given names, its surname,
    the surname's spelling key and the spelling keys of its words."""
    given, surname = _split_name(_proper(" ".join(words)))
    skey = _surname_key(surname) if surname else ""
    return given, surname, skey, tuple(_key(w) for w in words)


# --- finding names in text ---------------------------------------------------------------

_ABBREV = re.compile(
    r"\b(Mr|Mrs|Ms|Dr|Amb|Gen|Sen|Rep|Lt|Col|Capt|Adm|Gov|Prof|Hon|St|Maj|Brig|Sgt|Cdr)\."
)
# What ``_ABBREV`` needs, without the word boundary that keeps the search from skipping ahead
# to the letters an abbreviation starts with: most paragraphs hold none and are not rewritten.
_ABBREV_HINT = re.compile(
    r"(?:Mr|Mrs|Ms|Dr|Amb|Gen|Sen|Rep|Lt|Col|Capt|Adm|Gov|Prof|Hon|St|Maj|Brig|Sgt|Cdr)\."
)
_TOKEN = re.compile(
    r"(?:[A-Z]\.){1,3}(?=\s*[A-Z])"  # initials "H.W." before a name
    r"|[^\W\d_]+(?:['’\-][^\W\d_]+)*(?:['’]s?)?"  # a word, with its possessive
    r"|[/\\]"
    r"|\S",
)
_NAME_WORD = re.compile(
    r"^(?:Mc|Mac|O'|O’|D'|De|Di|La|Le)?[A-ZÀ-Þ][a-zß-ÿ]+(?:[-'’][A-ZÀ-Þ]?[a-zß-ÿ]+)*$"
)
# A surname joined to its particle in lower case ("al-Qadhafi", "bin-Laden"): inside a name,
# unless it names a group, a paper or a channel ("Non-stop al-Jazeera", "... al-Qaida").
_PARTICLE_NAME = re.compile(
    rf"^(?:{'|'.join(sorted(ARTICLES | {'bin', 'ibn', 'abu', 'abd', 'an'}))})-"
    r"(?!(?:Qa['’]?ida|Qa\b|Qaeda|Jazeera|Jazira|Arabiya|Shabaab|Aqsa|Azhar|Hayat|Ahram|Awsat|Quds)\b)"
    r"[A-ZÀ-Þ][a-zß-ÿ]+(?:[-'’][A-ZÀ-Þ]?[a-zß-ÿ]+)*$"
)
_LOWER = re.compile(r"[a-z]")
_LETTER = re.compile(r"[A-Za-z]")
_CAPS_WORD = re.compile(r"^[A-Z][A-Z'’\-]*[A-Z]$")
_INITIALS = re.compile(r"^(?:[A-Z]\.){1,3}$|^[A-Z]{1,2}$")


def _initial_at(toks: list[_Tok], i: int) -> bool:
    """Initials before a name word: "H.", "H.W.", or two capitals ("AQ Khan"), but not the
    "S" of "A/S Boucher"."""
    w = toks[i][1]
    if not w[:1].isupper() or len(w) > 6:
        return False
    if i + 1 >= len(toks) or not _NAME_WORD.match(toks[i + 1][1]):
        return False
    if i and toks[i - 1][0] in "/\\":
        return False
    if _DOTTED_INITIALS_3.fullmatch(w):
        return True
    low = w.lower()
    return bool(_TWO_CAPITALS.fullmatch(w)) and low not in OFFICE_WORDS and low not in TITLES


_DOTTED_INITIALS_3 = re.compile(r"(?:[A-Z]\.){1,3}")
_TWO_CAPITALS = re.compile(r"[A-Z]{2}")


# A token: (as written, without a possessive ending, whether it had one).
_Tok = tuple[str, str, bool]


def _abbreviated(match: re.Match) -> str:
    """A title's abbreviation without its full stop ("Sen. John Kerry"), but a surname's stop
    at the end of a sentence stays ("met Prime Minister Hun Sen. Kerry joined")."""
    if match[1].lower() in SURNAME_TITLES:
        before = _NAME_BEFORE.search(match.string, 0, match.start())
        if before and not _is_vocabulary(before[1].lower()):  # (not "Chairman Sen. Menendez")
            return match[0]
    return match[1]


_NAME_BEFORE = re.compile(r"\b([A-Z][a-z]+)\s+$")


# The telegraph's comma for an apostrophe ("Musharraf,s chief of staff", "Charge d,Affaires
# Bodde", "CEO Dave O,Reilly").
_COMMA_APOSTROPHE = re.compile(r"(?<=[a-z]),(?=s\b)|(?<=\b[dDO]),(?=[A-Z])")
_COMMA_HINT = re.compile(r",(?=s\b|[A-Z])")


def _tokens(text: str) -> list[_Tok]:
    if _COMMA_HINT.search(text):  # (one paragraph in ten has a comma right before a letter)
        text = _COMMA_APOSTROPHE.sub("'", text)
    found = _TOKEN.findall(_ABBREV.sub(_abbreviated, text) if _ABBREV_HINT.search(text) else text)
    if "'" not in text and "’" not in text:
        return [(t, t, False) for t in found]  # no apostrophe, no possessive
    out: list[_Tok] = []
    append = out.append
    for t in found:
        if len(t) > 2 and t[-1] in "'’sS":
            if t[-2:] in _POSSESSIVE:
                append((t, t[:-2], True))
                continue
            if t[-1] in "'’" and t[-2] in "sS":
                append((t, t[:-1], True))
                continue
        append((t, t, False))
    return out


_POSSESSIVE = frozenset(("'s", "’s", "'S", "’S"))


@dataclass
class _Cand:
    words: list[str]  # the name's words as written
    title: str  # the title written before it, "" when none
    strong: bool  # a person on its own (two words, a title or a verb of speech)
    position: int | None


def _lexical(low: str, lower_seen: frozenset[str]) -> bool:
    """A word of the vocabulary (``_is_vocabulary``), or one the cable also writes in lower
    case."""
    return (
        low in _vocabulary()
        or low in lower_seen
        or (low.endswith("s") and low[:-1] in PLACES)
        or ("-" in low and _hyphenated_title(low))  # "Co-Chairman", "Minister-designate"
    )


def _hyphenated_title(low: str) -> bool:
    """A title written with a hyphen ("co-chairman", "minister-president",
    "justice-designate"), not a name that ends in a title's word ("al-sheikh", "yat-sen")."""
    first, last = low.split("-", 1)[0], low.rsplit("-", 1)[1]
    return first not in PARTICLES and last in TITLE_ENDINGS


# The last part of a title written with a hyphen: a title of four letters or more that is no
# part of people's names ("Al-Sheikh", "Yat-sen", "Abdul-Malik").
TITLE_ENDINGS = frozenset(
    t
    for t in TITLES
    if len(t) >= 4
    and t not in {"sheikh", "shaykh", "emir", "amir", "sultan", "imam", "king", "queen", "prince"}
) | frozenset(("designate", "elect", "equivalent"))


_SLASH = re.compile(r"\s*/\s*")


def _leading_words(name: list[str]) -> int:
    """How many words a name of two words or more opens with that the cables write in lower
    case in most places and that are no given name ("Thanked Saddam", "Neither Saleh",
    "Poverty Reduction", "MEET ASSAD"): they are no part of it (the last word stays)."""
    if len(name) < 2:
        return 0
    common = _common_words()
    k = 0
    while len(name) - k > 1:
        low = name[k].lower()
        if "-" in low and low.rsplit("-", 1)[1] in ("born", "based", "backed", "led", "owned"):
            k += 1  # "Saudi-born Mohammed Hamdi al-Ahdal", "Tunis-based Faruq al-Qaddumi"
            continue
        if low not in common or low in GIVEN_NAMES_OF_WORDS or low in PARTICLES:
            break
        if low in RANKS_OF_WORDS or name[k] == "SE":
            break  # a rank, or the Special Envoy: "Major Romero", "SE Gration"
        k += 1
    return k


# Ranks that are words of the language too: kept before a name ("Major Romero").
RANKS_OF_WORDS = frozenset(("major", "mullahs"))


def _without_leading_particles(name: list[str]) -> list[str]:
    """A name without the particles in lower case it opens with ("de Cuentas" -> "Cuentas")."""
    while name and name[0].lower() in PARTICLES and name[0][0].islower():
        name = name[1:]
    return name


def _mixed_candidates(text: str, position: int | None, lower_seen: frozenset[str]) -> list[_Cand]:
    toks = _tokens(text)
    out: list[_Cand] = []
    name_word = _NAME_WORD.match
    initials = _INITIALS.match
    common = _common_words()
    shares = _lower_case_shares()
    i = 0  # where the last run ended
    n = len(toks)
    for start in [k for k, t in enumerate(toks) if t[1][:1].isupper()]:
        if start < i:
            continue  # a word of the last run
        t = toks[start]
        if not (name_word(t[1]) or _initial_at(toks, start)):
            continue
        # A run of capitalised words, initials and inner particles; a possessive ends it.
        run: list[str] = [t[1]]
        i = start + 1
        if not t[2]:
            while i < n:
                tok = toks[i]
                w = tok[1]
                if name_word(w) or (w[:1].isupper() and _initial_at(toks, i)):
                    run.append(w)
                    i += 1
                    if tok[2]:
                        break
                elif w.lower() in PARTICLES and i + 1 < n and name_word(toks[i + 1][1]):
                    run.append(w)
                    i += 1
                elif _PARTICLE_NAME.match(w):  # "Saif al-Islam al-Qadhafi", "Ali al-Issawy"
                    run.append(w)
                    i += 1
                    if tok[2]:
                        break
                else:
                    break
        end = i  # index after the run
        # The name is what follows the last lexical word; a run ending in one is no name.
        last_lex = -1
        for k, w in enumerate(run):
            low = w.lower()
            if low in PARTICLES and not (low in TITLES and w.isupper()):
                continue  # (but "Treasury DAS Daniel Glaser": a title)
            if len(w) <= 2 and w.isupper() and initials(w):
                # Two capitals: initials ("AQ Khan") only right before a name word.
                if low in OFFICE_WORDS or low in TITLES:
                    last_lex = k
                continue
            if _lexical(low, lower_seen) and not (
                low in SURNAME_TITLES
                and 0 < k == len(run) - 1
                and not _lexical(run[k - 1].lower(), lower_seen)
                and _NAME_WORD.match(run[k - 1]) is not None  # (not "U.S. Sheik")
            ):
                # (but "Sen" ending a name is a surname: "Hun Sen", "Nirupam Sen", "Akmal
                # Shaikh"; not after a word: "Yemeni Sheikh", "Grand Sheikh")
                last_lex = k
        name = _without_leading_particles(run[last_lex + 1 :])
        while name and initials(name[-1]):
            name = name[:-1]
        # Words the cables often write in lower case before a full name are not part of it
        # ("Conflict Prevention Joop Nijssen"); before one word they are left alone ("Bill
        # Burns", "Than Shwe", the phrases below).
        worded = [
            k
            for k, w in enumerate(name)
            if w.lower() in shares
            and w.lower() not in GIVEN_NAMES_OF_WORDS
            and w.lower() not in PARTICLES
        ]
        if worded and len(name) - worded[-1] > 2:
            last_lex += worded[-1] + 1
            name = _without_leading_particles(name[worded[-1] + 1 :])  # ("Superior de Cuentas")
        # A word of the language that opens a name is none of it ("Thanked Saddam", "Neither
        # Saleh"); a phrase is left with its last word, a person only beside a full name.
        leading = _leading_words(name)
        if leading:
            if all(w.lower() in shares for w in name[leading:]):
                continue  # all words of the language: "Poverty Reduction", "Took Advantage"
            last_lex += leading
            name = _without_leading_particles(name[leading:])
        # A word of places' names that is a surname too, alone after a title ("General
        # Hill", "A/S Hill", "President Park"): a person if the title is one (below).
        titled_only = (
            not name
            and run[-1].lower() in TITLED_SURNAMES
            and (len(run) == 1 or _lexical(run[-2].lower(), lower_seen))
        )
        if titled_only:
            name, last_lex = run[-1:], len(run) - 2
        if not name:
            continue  # (what is left ends in a name word: it is not all initials)
        if name[0][:1].islower() and not (
            len(name) > 1 or (last_lex >= 0 and run[last_lex].lower() in TITLES)
        ):
            continue  # "al-Maliki" alone after a title ("PM al-Maliki"), not "daily al-Youm"
        if (
            name[0].lower() in PLACE_OPENERS
            or name[0].lower() in COMPANIES
            or (
                name[0].lower() in PLACE_OPENERS_BEFORE_ARTICLE
                and len(name) > 1
                and (_without_particle(name[1]) != name[1] or name[1].lower() in ("qasr",))
            )
        ) or (
            last_lex >= 0
            and run[last_lex].lower() in ("san", "sao")
            and (last_lex == 0 or _lexical(run[last_lex - 1].lower(), lower_seen))
        ):
            continue  # "Los Angeles", "Puerto Rico", "San Pedro Sula" (not "Aung San Suu Kyi")
        if _ends_a_phrase(name) or (
            len(name) >= 2
            and name[-1].lower() in common
            and last_lex >= 0
            and run[last_lex].lower() not in TITLES
        ):
            # "Key Points", "Country Team", "Response Management Team": words, not a name
            # (but "Andrew Young", "Ambassador Tom Price")
            continue
        next_low = toks[end][1].lower() if end < n else ""
        next2 = toks[end + 1][1].lower() if end + 1 < n else ""
        if any(part in ORG_WORDS for w in name if "-" in w for part in w.lower().split("-")):
            continue  # "Muslim League-Nawaz", "Party-Sao Paulo": an organisation's name
        if next_low in ORG_WORDS and not toks[end - 1][2]:
            continue  # "Otan party", "Soros Foundation"
        prev = toks[start - 1][0] if start else ""
        if prev in ('"', "“", "(“", "'", "‘") or (prev and prev.lower() in ORG_WORDS):
            continue  # a quoted title, "newspaper Le Figaro", "party Democratic Choice"
        # The title: lexical words of the run before the name, and a lower-case title
        # word right before the run ("PA deputy head Ashimbayev").
        title_words = run[: last_lex + 1]
        k = start - 1
        before: list[str] = []
        while k >= 0 and len(before) < 6:
            w = toks[k][1]
            if w.lower() in TITLES or (w.isupper() and len(w) <= 5 and w.isalpha()) or w in "/":
                before.insert(0, toks[k][0])
                k -= 1
            elif w in ("of", "for") and k and toks[k - 1][1].lower() in TITLES:
                before.insert(0, w)  # "Minister of Agriculture Rahimi", "ASD for ... McHale"
                k -= 1
            else:
                break
        title_words = before + title_words
        tw = _SLASH.sub("/", " ".join(title_words)).split() if title_words else []
        cue = bool(tw) and (
            tw[-1].lower() in TITLES
            or (len(tw) >= 2 and tw[-2].lower() in TITLES and tw[-1].isupper())
            # (the department named between, the name no word, no region: "Minister of
            # Strategic Planning", "chairman of Upper Franconia", "Envoy of His Holiness")
            or (
                last_lex >= 0
                and name[-1].lower() not in shares
                and run[last_lex].lower() not in REGION_WORDS
                and any(w in ("of", "for") for w in tw)
            )
        )
        if last_lex >= 0 and run[last_lex].lower() == "state" and start >= 2:
            cue = cue or toks[start - 1][1].lower() == "of"
        if (
            not cue
            and last_lex >= 0
            and run[last_lex].lower() in TITLES
            and not _is_place(run[last_lex].lower())
        ):
            cue = True
        if titled_only and not cue:
            continue  # "Capitol Hill", "the House"
        if start == 0 and next_low == ":" and not cue and name[0].lower() in shares:
            # a paragraph's label: "Statistical Anomolies: While ...", "Watchful Waiting:" (but
            # "Brian Cowen: Minister for Finance")
            continue
        verb = next_low in SPEECH or (next_low in ("also", "then", "later") and next2 in SPEECH)
        possessive = toks[end - 1][2]
        if not cue and prev.lower() in DETERMINERS:
            continue  # "the Certified Aircraft Sale", "the Yeltsin years": not a person
        if (
            len(name) >= 2
            and not cue
            and next_low == "of"
            and (initials(name[0]) or any(w.lower() in shares for w in name))
        ):
            # "Democratic Choice of Kazakhstan", "A. Name of": a name of a thing (but not
            # "Marcia Cavallari Nunes of Ibope", "Amaury de Souza of MCM Consulting")
            continue
        # A word the cables write in lower case ("Staff", "Workers'", "People's") names
        # someone only as the surname of a full name the cable gives.
        # (a word left alone by a leading word cut off needs more than a possessive:
        # "Throughout Calabria's" is a place)
        strong = (
            len(name) >= 2 or cue or verb or (possessive and not (leading and len(name) == 1))
        ) and not (len(name) == 1 and name[0].lower() in common)
        title = " ".join(tw) if cue else ""
        out.append(_Cand(name, title, strong, position))
    return out


def _caps_candidates(text: str, position: int | None) -> list[_Cand]:
    """Names in capitals: only after a title or before a verb of speech."""
    common = _common_words()
    toks = _tokens(text)
    out: list[_Cand] = []
    n = len(toks)
    i = 0
    while i < n:
        low = toks[i][1].lower()
        if low in CAPS_TITLES and toks[i][1].isupper() and not toks[i][2]:
            j = i + 1
            run: list[str] = []
            while j < n and len(run) < 4:
                w = toks[j][1]
                wl = w.lower()
                if (not _CAPS_WORD.match(w) or wl in TITLES or _is_vocabulary(wl)) and not (
                    wl in SURNAME_TITLES and run  # ("PRIME MINISTER HUN SEN")
                ):
                    if wl in PARTICLES and run:
                        run.append(w)
                        j += 1
                        continue
                    break
                if wl in SPEECH or wl in OFFICE_WORDS:
                    break
                run.append(w)
                j += 1
                if toks[j - 1][2] or wl in SURNAME_TITLES:
                    break  # (a possessive, or "SEN" ending the name: "HUN SEN TRAVELS")
            run = run[_leading_words(run) :]  # ("POPE RECENTLY SUSPENDED")
            if run and len(run[-1]) > 2:
                # (one word of the language, "PM RUNNING": a person only beside a full name)
                alone = len(run) == 1 and run[0].lower() in common
                out.append(_Cand(run, toks[i][1], not alone, position))
                i = j
                continue
        w = toks[i][1]
        if (
            len(w) > 3
            and i + 1 < n
            and toks[i + 1][1].lower() in SPEECH
            and _CAPS_WORD.match(w)
            and toks[i + 1][1].isupper()
            and not _is_vocabulary(w.lower())
            and w.lower() not in OFFICE_WORDS
        ):
            out.append(_Cand([w], "", False, position))
        i += 1
    # A word before a verb of speech twice is a speaker ("BOURDON SAID ... BOURDON NOTED").
    counts: dict[str, int] = {}
    for cand in out:
        if not cand.strong:
            counts[cand.words[0]] = counts.get(cand.words[0], 0) + 1
    for cand in out:
        if not cand.strong and counts[cand.words[0]] >= 2 and cand.words[0].lower() not in common:
            cand.strong = True
    return out


_OPENERS = _words("with and to by from of for or between")


_ALIAS_TOKEN = re.compile(r"[A-Za-z'’\-]+|[^\sA-Za-z'’\-]+")
_POSSESSIVE_ENDINGS = ("'s", "'S", "’s", "’S")
_APOSTROPHES = ("'", "’")


def _is_run_word(raw: str) -> bool:
    """Whether a token of ``_ALIAS_TOKEN`` is a capitalised word (``^[A-Z][A-Za-z'’-]+$``):
    such a token is all letters, apostrophes and hyphens or none of them, so its first
    character and its length tell."""
    return len(raw) >= 2 and "A" <= raw[0] <= "Z"


def _alias_candidates(text: str, position: int | None) -> list[list[tuple[list[str], bool]]]:
    """Runs of up to four capitalised or capital words, each run's tails and each single
    word, one group per run, the likeliest first: the first that names a known person is
    taken. Two words after a preposition ("WITH LAKHDAR BRAHIMI") may give a known surname
    its given name (marked strong). Each candidate is (words, strong)."""
    out = []
    raw = _ALIAS_TOKEN.findall(text)
    # The capitalised words that are no vocabulary: each word of the text is looked at once.
    name_words = {w for w in set(raw) if _is_run_word(w) and not _is_vocabulary(w.lower())}
    i, n = 0, len(raw)
    while i < n:
        if raw[i] not in name_words:
            i += 1
            continue
        j = i
        words = []
        while j < n and len(words) < 4 and raw[j] in name_words:
            word = raw[j]
            j += 1
            # A possessive ("BRAHIMI'S", "ANNAN'") ends the run, without its ending.
            if word.endswith(_POSSESSIVE_ENDINGS):
                word = word[:-2]
            elif word.endswith(_APOSTROPHES):
                word = word[:-1]
            else:
                words.append(word)
                continue
            if word:
                words.append(word)
            break
        leading = _leading_words(words)  # ("TO MEET ASSAD")
        if leading:
            i += leading
            words = words[leading:]
        before = raw[i - 1].lower() if i else ""
        opener = before in _OPENERS or before.strip() in (",", ";", ":", "(")
        group = []
        if opener and len(words) >= 2 and position is not None:
            group.append((words[:2], True))
        group += [(words[k:], False) for k in range(len(words))]
        group += [([w], False) for w in words[:-1]]
        out.append(group)
        i = j
    return out


# (not the handling caption "NOT FOR INTERNET DISTRIBUTION")
_FOR_LINE = re.compile(r"(?<!\bNOT )\bFOR\b\s+(.*)")
_GLUED_INITIAL = re.compile(r"^([BCDFGHJKLMNPQRSTVWXZ])([BCDFGHJKLMNPQRSTVWXZ][A-Z]{3,})$")
_ONSETS = {
    "BL",
    "BR",
    "CH",
    "CL",
    "CR",
    "DR",
    "FL",
    "FR",
    "GL",
    "GR",
    "KH",
    "KL",
    "KR",
    "PH",
    "PL",
    "PR",
    "SC",
    "SH",
    "SK",
    "SL",
    "SM",
    "SN",
    "SP",
    "ST",
    "SW",
    "TH",
    "TR",
    "TS",
    "TW",
    "WH",
    "WR",
    "ZH",
}


def _glued(word: str, glued_line: bool) -> bool:
    """Whether a word of a routing line that ``_GLUED_INITIAL`` matches is a name glued to its
    initial ("JMUDGE"): not when its first two letters can open a name ("BROWN", "TRAN"),
    nor a Mc name ("MCDERMOTT", "MCISAAC") unless the line glues other names to their
    initials and a surname's way of starting follows ("JBUTLER, MCHAMBLISS, LREICH": M.
    Chambliss; "LFUSSELL, MCAMERON": M. Cameron; but "DHOHMAN AND MCKINNEY": McKinney)."""
    if word.startswith("MC"):
        return glued_line and word[2:3] in ("A", "O", "U", "L", "H", "R")
    return word[:2] not in _ONSETS


# A FOR line that ends in a given name, and the line after it that opens with the surname
# ("DEPT OF ENERGY FOR GINA" / "ERIKSON", "FOR ROBERT GEHRING AND RODERICK" / "MACKLER").
_GIVEN_AT_END = re.compile(r"(?:\bFOR|\bAND|[,;])\s+([A-Z][A-Z']{2,})\s*$")
_SURNAME_AT_START = re.compile(r"^\s*([A-Z][A-Z'-]{2,})\s*(?:[,;]|$)")


def _joined_split_names(lines: list[str]) -> list[str]:
    """Routing lines with a name broken across two of them joined into one."""
    out: list[str] = []
    for line in lines:
        given = _GIVEN_AT_END.search(out[-1]) if out else None
        surname = _SURNAME_AT_START.match(line) if given else None
        if (
            given
            and surname
            and _FOR_LINE.search(out[-1])
            and _routing_surname(given[1])
            and _routing_surname(surname[1])
            and given[1].lower() not in _lower_case_shares()
            and surname[1].lower() not in _lower_case_shares()
            # (no name glued to its initial: "FOR WCRAFT" / "BLAMPRON")
            and not any(
                _GLUED_INITIAL.match(w) and _glued(w, False) for w in (given[1], surname[1])
            )
        ):
            out[-1] = out[-1].rstrip() + " " + line.strip()
            continue
        out.append(line)
    return out


def _for_line_names(header: str) -> list[list[str]]:
    """Names on the FOR lines of the routing block ("DEPT FOR SCA/CEN (J. MUDGE)",
    "NSC FOR MILLARD, MERKEL", "DOC FOR 4231/IEP/EUR/JBROUGHER")."""
    names: list[list[str]] = []
    common = _common_words()
    lines = _joined_split_names(header.splitlines())
    active = False
    for line in lines:
        stripped = line.strip()
        if not stripped:
            active = False
            continue
        m = _FOR_LINE.search(stripped)
        if m:
            active = True
            part = m.group(1)
        elif active and not re.search(r"\b(PASS|AMEMBASSY|AMCONSUL|USMISSION|SIPDIS)\b", stripped):
            part = stripped
        else:
            active = False
            continue
        if any(ch.islower() for ch in part):
            continue
        # (names glued to their initials elsewhere on the line: "MCLINE" is M. Cline there)
        glued_line = any(
            (g := _GLUED_INITIAL.match(t))
            and t[:2] not in _ONSETS
            and not t.startswith("MC")
            and _VOWEL.search(g.group(2))
            for t in re.split(r"[\s,;()/]+", part)
        )
        part = re.split(r"\bE\.\s?O\.|\bEO\s+1\d{4}|\bTAGS\b|\bSUBJECT\b", part)[0]
        for chunk in re.split(r"[,;()]|\bAND\b|\bFOR\b", part):
            current: list[str] = []
            after_office = False  # (a word that is no name came before, in this chunk)
            for tok in chunk.split():
                head, hyphen, rest = tok.partition("-")
                if hyphen and (len(rest.strip(".:")) <= 2 or head.lower() in OFFICE_WORDS):
                    # An office ("INR-B", "OSD-P"), or an office before a name ("PM-BODINE",
                    # "CIS-CARLOS ITURREGUI"), not a hyphenated surname ("ROBINSON-MORGAN");
                    # a word of the language before it is the office's ("NUCLEAR ENERGY-...")
                    if current and not (len(current) == 1 and current[0].lower() in common):
                        names.append(current)
                    current, after_office = [], True
                    if len(rest.strip(".:")) <= 2:
                        continue
                    tok = rest
                if "/" in tok:
                    # (an office, "EUR/PGI", or an office and a name glued to its initial,
                    # "AF/SPG/JMUDGE"; surnames side by side, "GAUDIOSI/GREGORIAN", are not
                    # told apart from offices such as "OFDA/DCHA")
                    last = tok.rsplit("/", 1)[1]
                    if current:
                        names.append(current)
                    current = []
                    g = _GLUED_INITIAL.match(last)
                    # (no vowel: an office, "EAP/BCLTV")
                    # (after an office's path a name is glued to its initial, "AF/SPG/JMUDGE",
                    # "WH/MCAMERON", or is a Mc name, "SHAPIRO/MCDERMOTT")
                    if g and _glued(last, True) and _VOWEL.search(g.group(2)):
                        names.append([g.group(1) + ".", g.group(2), "=" + last])
                    elif last.startswith("MC") and _routing_surname(last):
                        names.append([last])
                    after_office = True
                    continue
                word = tok.strip(".:")
                if re.fullmatch(r"[A-Z]\.?", tok):
                    current.append(word + ".")
                elif _routing_surname(word) and not (
                    after_office
                    and not current
                    and word.lower() in common
                    and word.lower() not in GIVEN_NAMES_OF_WORDS
                ):
                    # (a word of the language right after FOR is a surname, "LONDON FOR
                    # YOUNG"; after an office it is the office's, "OIG TEAM", "SIT ROOM")
                    g = _GLUED_INITIAL.match(word)
                    if g and _glued(word, glued_line) and not current:
                        current.extend([g.group(1) + ".", g.group(2), "=" + word])
                    else:
                        current.append(word)
                elif current and word.lower() in ORG_SURNAMES:
                    current.append(word)  # "ERIK HALL"
                else:
                    # A word before an organisation's word is its name's ("BASIN DIVISION",
                    # "EARTHQUAKE TASK FORCE"), not a person's (the offices' words, "STATE",
                    # "PASS", part routing lines: "USTR FOR MSULLIVAN STATE FOR ...").
                    low = word.lower()
                    if current and not (
                        len(current) == 1 and low in ORG_WORDS and low not in OFFICE_WORDS
                    ):
                        names.append(current)
                    current = []
                    after_office = True
            if current:
                names.append(current)
    kept = []
    for name in names:
        while len(name) > 1 and name[-1].lower() in COMMON:
            name = name[:-1]  # "CLINTON FROM"
        if any(len(w.rstrip(".")) > 1 for w in name) and not _ends_a_phrase(name):
            kept.append(name)  # (not "MANAGEMENT TEAM", "FRAUD PREVENTION UNITS")
    return kept


_VOWEL = re.compile(r"[AEIOUY]")
# Words of organisations' and places' names that are also surnames: after a given name on a
# routing line ("ERIK HALL"), after a title in a paragraph ("General Hill").
ORG_SURNAMES = frozenset("hall street lane park post house hill".split())
TITLED_SURNAMES = ORG_SURNAMES - {"post", "house"}
# Words of routing lines that are no surname ("FOR AF AND S/S FROM AMBASSADOR", "REPEATED FOR
# YOUR", "DEFENSE FOR CHAIRS", "DAS FOR TERRORISM", "FOR REASONS 1.4 (B)").
ROUTING_WORDS = _words(
    """
    from your copy corrected include omitted addressees claims chairs terrorism reasons
    principals programs information action
    """
)


def _routing_surname(word: str) -> bool:
    """Whether a word of a routing line (in capitals) can be a surname: four letters or more,
    a vowel among them, and no office, organisation's word, title or place."""
    low = word.lower()
    return (
        re.fullmatch(r"[A-Z][A-Z'\-]+", word) is not None
        and len(word) >= 4
        and _VOWEL.search(word) is not None
        and low not in OFFICE_WORDS
        and low not in ORG_WORDS
        and low not in TITLES
        and low not in ROUTING_WORDS
        and not _is_place(low)
    )


def _header_block(cable: ParsedCable) -> str:
    body = cable.body
    cut = re.search(r"\bE\.\s?O\.|\bEO\s+1\d{4}|^\s*TAGS\b|^\s*SUBJECT\b", body, re.M)
    return body[: cut.start()] if cut else body[:600]


# --- building people ---------------------------------------------------------------------


@dataclass
class _Person:
    given: list[str]
    surname: str
    display: str
    aliases: list[str] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)
    paragraphs: set[int] = field(default_factory=set)
    roles: set[str] = field(default_factory=set)
    order: int = 0
    last_seen: int = 0
    # Spelling keys of the display name's words and of the surname, kept with them: ``find``
    # compares them for every candidate name of the cable.
    keys: tuple[str, ...] = ()
    skey: str = ""

    def __post_init__(self) -> None:
        self.rekey()

    def rekey(self) -> None:
        self.keys = tuple(_key(w) for w in self.display.split())
        self.skey = _surname_key(self.surname)

    def add(self, surface: str, title: str, position: int | None, role: str, tick: int) -> None:
        if surface not in self.aliases:
            self.aliases.append(surface)
        if title and title not in self.titles:
            self.titles.append(title)
        if position is not None:
            self.paragraphs.add(position)
        self.roles.add(role)
        self.last_seen = tick


class _People:
    def __init__(self) -> None:
        self.people: list[_Person] = []
        self.tick = 0
        # The first letters of everyone's surname key and the keys of everyone's last name
        # word, past spellings kept: a name that begins and ends like no one's is no one's,
        # and ``find`` says so without comparing it with each person.
        self.surname_initials: set[str] = set()
        self.last_keys: set[str] = set()
        # People with an Arabic family name ("Muatassim al-Qadhafi", "Saud Al-Faisal", "Hamad
        # bin Isa Al-Khalifa") by their first given name's key: the cables name them by it
        # alone too ("Muatassim", "Prince Saud").
        self.by_given: dict[str, list[_Person]] = {}

    def _index(self, person: _Person) -> None:
        self.surname_initials.add(person.skey[:1])
        if person.keys:
            self.last_keys.add(person.keys[-1])
        family = person.surname.split()[0] if person.surname else ""
        if person.given and (_without_particle(family) != family or family.lower() in ("al", "el")):
            self.by_given.setdefault(_key(person.given[0]), []).append(person)

    def find(self, words: list[str], *, full_only: bool = False) -> _Person | None:
        last = words[-1] if words else ""
        if last.lower() not in PARTICLES:
            # The surname's key is then the last word's (``_name_parts``): most names read
            # (two in three; 19 in 20 of a subject's and capitals' candidates) are no one's
            # by it, without the names' parts worked out (~23 new names a cable: 1 ms).
            last_key = _key(_without_particle(last) if "-" in last else last)
            if last_key[:1] not in self.surname_initials and not (
                len(words) >= 2 and last_key in self.last_keys
            ):
                return self._by_given_name(words, full_only)
        given, surname, skey, keys = _name_parts(tuple(words))
        if not surname:
            return None
        if len(words) >= 2 and keys[-1] in self.last_keys:
            size = len(keys)
            for p in reversed(self.people):
                pkeys = p.keys
                if len(pkeys) > size and pkeys[-size:] == keys:
                    return p  # "Gomez Manzano" after "Rene Gomez Manzano"
        initial = skey[:1]
        if initial not in self.surname_initials:
            return self._by_given_name(words, full_only)
        best = None
        for p in self.people:
            pkey = p.skey
            if pkey[:1] != initial or not same_surname(skey, pkey):
                continue
            if not _given_compatible(given, p.given):
                continue
            if full_only and not (given and p.given):
                continue
            if best is None or (p.given and not best.given) or p.last_seen > best.last_seen:
                best = p
        return best or self._by_given_name(words, full_only)

    def _by_given_name(self, words: list[str], full_only: bool) -> _Person | None:
        """A given name alone that opens one Arabic full name, and no one's surname, is that
        person ("Muatassim", "Prince Saud")."""
        if len(words) != 1 or full_only or not self.by_given:
            return None
        key = _key(words[0])
        named = {id(p): p for p in self.by_given.get(key, ()) if _key(p.given[0]) == key}
        return next(iter(named.values())) if len(named) == 1 else None

    def add(
        self,
        words: list[str],
        title: str,
        position: int | None,
        role: str,
        create: bool,
        surface: str = "",
    ) -> _Person | None:
        self.tick += 1
        written = " ".join(words)
        surface = surface or written
        person = self.find(words)
        if person is None:
            if not create or _only_places(words) or _names_a_place(words):
                return None
            proper = _proper(written)
            given, surname = _split_name(proper)
            person = _Person(given, surname, proper, order=self.tick)
            self.people.append(person)
            self._index(person)
        else:
            proper = _proper(written)
            given, surname = _split_name(proper)
            if len(given) > len(person.given) or (
                any(map(str.islower, surface)) and person.display.isupper()
            ):
                if len(given) >= len(person.given):
                    person.given, person.surname, person.display = given, surname, proper
                    person.rekey()
                    self._index(person)
        person.add(surface, title, position, role, self.tick)
        return person


def _unglued(word: str, people: _People) -> tuple[list[str], str]:
    """A routing line's word read as a name glued to its initial when the rest of it is the
    surname of someone the cable names and the whole is no one's ("TSHANNON" in a cable that
    names A/S Shannon: T. Shannon; "OHILTON", "SCRONIN"), which the letters alone cannot tell
    ("TR", "SC" open surnames too: "TROBERTS", but "TRAN")."""
    rest = word[1:]
    if len(rest) >= 4 and people.find([word]) is None:
        known = people.find([rest])
        if known is not None and known.skey == _name_parts((rest,))[2]:
            return [word[0] + ".", rest], word
    return [word], ""


def _signature_in_last_paragraph(cable: ParsedCable) -> tuple[str, int] | None:
    """A signer glued to the end of the last paragraph ("... END COMMENT. Swindells")."""
    if cable.signer or not cable.paragraphs:
        return None
    last = cable.paragraphs[-1]
    m = _GLUED_SIGNATURE.search(last.text)
    if not m:
        return None
    word = m.group(1)
    low = word.lower()
    if _is_vocabulary(low) or low in OFFICE_WORDS:
        return None
    return word, last.position


_GLUED_SIGNATURE = re.compile(
    r"(?:[.!?\"”*]|[.!?]['’\"”])\s*([A-Z][A-Za-z'’\-]{2,}(?: [A-Z][A-Za-z'’\-]+)?)\s*$"
)
_LOWER_CASE_WORD = re.compile(r"\b[a-z][a-z'\-]+\b")

# The most words a name has ("Hossam Hussein Mohammed El Dib" has five).
MAX_NAME_WORDS = 7


def extract_people(cable: ParsedCable) -> list[PersonMention]:
    """The people the cable names, one entry per person, in order of first mention."""
    body_text = "\n".join(p.text for p in cable.paragraphs)
    lower_seen = frozenset(_LOWER_CASE_WORD.findall(body_text))
    people = _People()

    # Strong names first: paragraphs, then the classifying official and the FOR lines.
    weak: list[_Cand] = []
    caps_paragraphs: list[tuple[str, int]] = []
    for para in cable.paragraphs:
        text = para.text
        words = text.split()
        if sum(map(str.isupper, words)) > 0.8 * len(words):
            caps_paragraphs.append((text, para.position))
            for cand in _caps_candidates(text, para.position):
                if cand.strong:
                    people.add(cand.words, cand.title, cand.position, "named", True)
                else:
                    weak.append(cand)
            continue
        for cand in _mixed_candidates(text, para.position, lower_seen):
            if cand.strong:
                people.add(cand.words, cand.title, cand.position, "named", True)
            else:
                weak.append(cand)

    if cable.classified_by:
        words = cable.classified_by.split()
        people.add(words, "", None, "classified_by", True)
    for words in _for_line_names(_header_block(cable)):
        # A name written glued to its initial ("JMUDGE") keeps that spelling as its alias.
        surface = words.pop()[1:] if words[-1].startswith("=") else ""
        if not surface and len(words) == 1:
            words, surface = _unglued(words[0], people)
        people.add(words, "", None, "named", True, surface=surface)

    # A surname alone joins the person it names.
    for cand in weak:
        people.add(cand.words, cand.title, cand.position, "named", False)
    # Names in capitals (the subject line, paragraphs in capitals) that spell known people.
    sources = [(cable.subject, None)] + caps_paragraphs
    for text, position in sources:
        for group in _alias_candidates(text, position):
            for words, strong in group:
                known = people.find(words)
                if known is None:
                    continue
                if (
                    len(words) == 1
                    or people.find(words, full_only=True)
                    or (strong and not known.given and not _lexical(words[0].lower(), lower_seen))
                ):
                    people.add(words, "", position, "named", False)
                    break

    signer = cable.signer
    signer_position = None
    if not signer:
        glued = _signature_in_last_paragraph(cable)
        if glued:
            signer, signer_position = glued
    if signer:
        people.add(signer.split(), "", signer_position, "signer", True)

    result = []
    for p in sorted(people.people, key=lambda p: p.order):
        if len(p.display.split()) > MAX_NAME_WORDS:
            continue  # a list of names run together (a table, a delegation), not one name
        roles = sorted(p.roles)
        result.append(
            PersonMention(
                name=p.display,
                aliases=list(p.aliases),
                titles=list(p.titles),
                paragraphs=sorted(p.paragraphs),
                roles=roles,
            )
        )
    return result
