"""How the practice matcher reads a line typed in Spanish (issue 17, item 4): accents folded
("dónde" = "donde"), Spanish common words dropped, texting shorthand expanded, a light stem that
strips the endings of plurals and verb forms ("trabajaste", "trabajabas", "trabajo" ->
"trabaj"), and the words that make a Spanish line a question even without "¿?" ("alguna vez
...", "has ...", "tienes ..."). The meanings (synonym groups, other wordings, probe words) are
content, in flows/catalog/synonyms-es.yaml; the questions' Spanish text comes from
flows/lang/es/ when there is one.

Everything here is written without accents: lines are folded before they are read.
"""

from __future__ import annotations

from interview.practice.matcher import Language, Matcher, Reader

STOPWORDS = frozenset("""
a al algo alguien algun alguna algunas alguno algunos ante asi aqui ahi alla alli bueno como con
contigo conmigo cual cuales cuando de del donde e el ella ellas ellos en entonces era eras eres es
esa esas ese eso esos esta estas este esto estos estar estoy estan estaba estabas estado fue fui
fuiste ha han has hay he la las le les lo los me mi mis muy nos nosotros o os otra otro otros
para pero poco por porque pues que quien quienes se ser si sido sin sobre son soy su sus tal
tambien te ti tu tus tuya tuyo un una unas uno unos usted ustedes vez veces y ya yo mas mucho
mucha muchos muchas tan tanto todo toda todos todas cosa cosas puedes puede podrias podria
quieres quiere dime cuentame platicame decirme contarme alguna ahora ahorita aun hoy siempre
nunca nadie nada oye mija mijo mijito mijita senora senor dona don ok okay pues este osea sea
ser has hayas haya haber habias habia ha hubo hace hacer haces hizo hiciste hecho hacen va vas
van voy vamos ir iba ibas bien tienes tiene tienen tenias tenia tener tengo tuviste tuvo tenga
tengas tengan tenemos no dijeron dijo decir dice dicen dijera puedo podemos despues luego estes
yendo crees creo suyo suya suyos suyas trae traes traia
""".split())
# Common words that still say what is asked: a line with them is no bare probe.
MEANINGFUL = frozenset({"quieres", "quiere", "puedes", "puede", "ser", "estar"})
SHORTHAND = {"q": "que", "k": "que", "xq": "porque", "pq": "porque", "porq": "porque",
             "tb": "tambien", "tmb": "tambien", "d": "de", "x": "por", "xa": "para",
             "pa": "para", "sta": "esta", "tons": "entonces", "ntons": "entonces",
             "dnd": "donde", "cn": "con", "ke": "que", "toy": "estoy", "tas": "estas",
             "ta": "esta", "nomas": "nada mas", "pos": "pues"}
FILLERS = frozenset("""y entonces bueno oye mira ok okay pues este a ver oiga mija mijo mijito
mijita senora senor y ahora ahora ahorita eh ah""".split())
# A line that starts with one of these asks ("hay alguien que ...", "tiene un novio ...");
# "qué" and "cómo" also start remarks ("qué frío"), so a line they start must say whom it asks.
STARTERS = frozenset("""quien quienes donde adonde cuando cual cuales cuanto cuanta cuantos
cuantas por para has ha han hay habia tienes tiene tienen tenias tenia tuviste tuvo eres es son
estas esta estan estabas estaba estuviste estuvo sabes sabe saben conoces conoce puedes puede
podrias podria quieres quiere te le les tu su sus usted ustedes alguien alguna algun alguno
cuentame dime platicame digame cuenteme platiqueme explicame expliqueme describeme se de en con
desde a cree crees esa ese esas esos""".split())
SUBORDINATE = frozenset("si cuando mientras despues antes aparte".split())
# A Spanish yes/no question reads like a statement ("tienes trabajo", "su hija llega a dormir"):
# any line asks but one that starts as these remarks, thanks and greetings do.
STATEMENTS = frozenset("""ya voy vamos vas estoy soy me mi yo aqui alla gracias perdon perdona
perdone disculpa disculpe buenos buenas hola claro bien muy nada sale va vale orale andale
listo perfecto excelente eso bueno sigue espera esperame dejame tranquila tranquilo calma
no lo ahi""".split())
ADDRESSED = frozenset("""te tu tus ti contigo usted ustedes su sus le les vas has eres estas andas
sabes""".split())
SECOND_PERSON = ("as", "es", "aste", "iste", "abas", "ias")
REMARKS = frozenset("""mi mis yo nosotros nosotras voy vamos doy dejo traigo traje estoy soy tengo
creo entiendo digo llamo hablo pregunto explico apunto anoto escribo regreso vengo veo gracias
muy ves viene vienen vino llegaron""".split())
ASKING = frozenset({"alguna", "algun", "alguien", "nunca", "acaso"})


def stem(word: str) -> str:
    """A light Spanish stem: the endings of plurals, diminutives and verb forms dropped, keeping
    at least four letters ("trabajabas" -> "trabaj", "escuelas" -> "escuel", "casa" -> "cas")."""
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    if len(word) > 4 and word[-1] in "aeos":
        return word[:-1]
    return word


# Longest first: each word loses at most one.
SUFFIXES = tuple(sorted("""
amientos imientos amiento imiento aciones uciones acion ucion adoras adores adora ador
abamos iamos aremos eremos iremos ariamos eriamos iriamos asteis isteis aran eran iran
ando iendo yendo ados adas idos idas ado ada ido ida aste iste aron ieron aba abas aban
ias ian ia aras eras iras ara era ira amos emos imos ais eis ar er ir as es an en ito ita
itos itas illo illa
""".split(), key=len, reverse=True))

SPANISH = Language("es", STOPWORDS, (), SHORTHAND, MEANINGFUL, FILLERS, STARTERS, SUBORDINATE,
                   frozenset(), frozenset(), ASKING, stem, fold=True, statements=STATEMENTS,
                   addressed=ADDRESSED, second_person=SECOND_PERSON, remarks=REMARKS,
                   pro_drop=True, unknown_weight_unmarked=1.0, threshold_unmarked=0.5)


# Words that tell a Spanish line from an English one: common in one language, unknown in the
# other (not "a", "no", "me", "de" alone...).
SPANISH_MARKS = frozenset("""
que quien donde como cuando cual cuanto cuantos por para con del los las una uno unos unas
esta estas este eso esto tu tus te su sus usted han hay tienes tiene eres alguna algun
alguien vez tambien muy pero porque mas sabes puedes quieres estado dinero trabajo escuela casa
familia miedo sientes duermes vives consigues andas cuentame dime platicame hijo hija el ella
""".split())
ENGLISH_MARKS = frozenset("""
the you your what where who when how why do does did have is are was were with about
anyone someone ever any can could would tell me my it that this of for and or to in on at
""".split())


def tell(words: list[str]) -> str | None:
    """The language a folded line is in, by its common words: "es", "en", or None (either)."""
    es = sum(w in SPANISH_MARKS for w in words)
    en = sum(w in ENGLISH_MARKS for w in words)
    return "es" if es > en else "en" if en > es else None


def spanish_texts(library, steps) -> dict[str, list[str]]:
    """Each step's Spanish words where flows/lang/es/ (or the county's translations) has them,
    text and follow-up: the matcher's reference texts beside the wordings of synonyms-es.yaml.
    A step with no translation yet is matched by those wordings alone."""
    from interview.content.translations import said_text

    out: dict[str, list[str]] = {}
    for step in steps:
        # A script is matched by its title in English; its Spanish is a whole passage, no
        # wording of a question: synonyms-es.yaml's wordings stand for it.
        said = None if step.script else said_text(step, "es", library)
        if said is not None and said.language == "es":
            out[step.id] = [t for t in (said.text, said.follow_up) if t]
        else:
            out[step.id] = []
    return out


def reader(library, steps, config, language: str = "en") -> Reader:
    """The practice's matcher: English, and each language with matcher content (Spanish), each
    typed line read in the language it is in."""
    matchers = {"en": Matcher(library, steps, config.words)}
    if "es" in config.languages:
        matchers["es"] = Matcher(library, steps, config.languages["es"], SPANISH,
                                 spanish_texts(library, steps))
    return Reader(matchers, language, tell)
