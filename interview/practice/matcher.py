"""Understand a line a trainee types: which question of the flow it asks, whether it is a probe
that follows up the last question, and whether it labels the youth.

Deterministic, offline and fast: no model. Both the typed words and each question's words (the
flow's own wording, and the other wordings of flows/catalog/synonyms.yaml `phrasings:`) are
reduced to meanings: lower case, contractions and texting shorthand expanded, a word misspelt by
one letter read as the word it nearly is, the synonym groups mapped to one word, simple stems,
common words dropped. Each question is then compared by idf-weighted word sets, taking its
closest wording: half how much of the typed words' weight the wording covers, half their cosine
(which prefers a wording without much else in it). Words no question uses count half. Ties go
to the earlier question.

A **follow-up probe** ("tell me more about that", "who was it?", "when did that happen?") is a
line made only of common words, words that point back (that, it, he, ...) and probe words
(more, happen, mean, ...), with at least one probe word or a question word with a pointer: it
asks nothing new, so it follows up the last question. A **labelling** line uses a word of
flows/catalog/youth-words.yaml or flows/catalog/practice-words.yaml (`words_pattern` of
interview/content/words.py), whether or not it also asks a question.

How a language's lines are read (its common words, shorthand, stems, what makes a line a
question) is a `Language`: English here, Spanish in interview/practice/spanish.py. A `Reader`
holds one Matcher per language and reads each line with the matcher of the language it is typed
in; it checks every language's labelling words (Spanish ones without regard to accents).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from interview.content import model as m
from interview.content.words import fold, folded_words, words_pattern

STOPWORDS = frozenset("""
a an the and or but if so to of in on at for with from by about as into than then there here
you your yours yourself me my i we us our it its this that these those is are was were be been
being am do does did doing have has had having can could would should will shall may might must
what when where who whom which why how any some anything something everything all each every
just really very also too more most other else like okay ok please tell let know go get got
would there their they them he she him her his hers one ones etc s t now right someone
somebody anyone anybody else somewhere want ever go going goes
""".split())
CONTRACTIONS = (("n't", " not"), ("'re", " are"), ("'ve", " have"), ("'m", " am"),
                ("'ll", " will"), ("'d", " would"), ("'s", " is"))
# Texting shorthand, read as the word it stands for before anything else.
SHORTHAND = {"u": "you", "ur": "your", "r": "are", "ya": "you", "y": "why", "wat": "what",
             "wut": "what", "whats": "what is", "wheres": "where is", "whos": "who is",
             "hows": "how is", "dont": "do not", "didnt": "did not", "cant": "can not",
             "wont": "will not", "doesnt": "does not", "isnt": "is not", "im": "i am",
             "youre": "you are", "thats": "that is", "cuz": "because", "bc": "because",
             "ppl": "people", "pls": "please", "plz": "please", "rn": "right now",
             "tho": "though", "thru": "through", "b4": "before", "2day": "today"}
# Common words that still say what is asked: a line with them is no bare probe.
MEANINGFUL = frozenset({"know", "want", "like", "get", "got"})
# A line asks something when it has a question mark, or starts (after a filler) like a question
# or a request to tell ("tell me about school"), or says "ever" ("you ever been arrested").
FILLERS = frozenset("so and ok okay alright hey um uh well now but also then oh".split())
STARTERS = frozenset("""who what when where why how which whose whom do does did have has had is
are was were am can could would will should shall may might tell describe talk explain say any
anything anyone anybody ever""".split())
SUBORDINATE = frozenset("if when while after before since besides".split())
STATEMENT_VERBS = frozenset("are were will would should can could must might did do".split())
WORD = re.compile(r"[a-z0-9$]+")
UNKNOWN_WEIGHT = 0.5
COVERAGE = 0.5    # the score mixes how much of the typed words a wording covers, and cosine
THRESHOLD = 0.3   # below this, no question is "the" match
NEAR = 0.15       # other questions within this much of the best are offered beside it


def stem(word: str) -> str:
    """A crude stem, the same for most of a word's forms: stays, stayed, staying -> stay."""
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith("es") and len(word) > 4 and word[-3] in "sxz" or word.endswith(("ches", "shes")):
        word = word[:-2]
    else:
        for suffix in ("ing", "ed", "s"):
            if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not word.endswith("ss"):
                word = word[: -len(suffix)]
                break
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "aeiouls":
        word = word[:-1]     # "stopp" -> "stop", "gett" -> "get"
    return word


def one_edit_apart(a: str, b: str) -> bool:
    """Is `b` `a` with one letter changed, added, removed, or two neighbours swapped?"""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1
                                  and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]])
    short, long = (a, b) if len(a) < len(b) else (b, a)
    i = 0
    while i < len(short) and short[i] == long[i]:
        i += 1
    return short[i:] == long[i + 1:]


@dataclass(frozen=True)
class Language:
    """How one language's typed lines are read: its common words, shorthand, the words that make
    a line a question, and its stems. The synonyms and wordings are content (Words)."""

    code: str
    stopwords: frozenset[str]
    contractions: tuple[tuple[str, str], ...] = ()
    shorthand: dict[str, str] = field(default_factory=dict)
    meaningful: frozenset[str] = frozenset()
    fillers: frozenset[str] = frozenset()
    starters: frozenset[str] = frozenset()
    subordinate: frozenset[str] = frozenset()
    statement_verbs: frozenset[str] = frozenset()
    you: frozenset[str] = frozenset()        # "you ..." asks unless a statement verb follows
    asking: frozenset[str] = frozenset()     # a word that makes a line a question anywhere
    stem: Callable[[str], str] = stem
    fold: bool = False                       # read "dónde" as "donde" (accents dropped)
    # A language whose yes/no questions are shaped like statements ("tienes trabajo"): a line
    # asks unless it starts with one of these ("ya casi terminamos", "vas muy bien").
    statements: frozenset[str] = frozenset()
    # ... and, unless it starts with one of `starters`, says whom it asks: a word of
    # `addressed` ("te", "su"), a verb ending of `second_person` in its first two words
    # ("necesitas"), or `long_line` words or more ("qué bonita chamarra" is a remark).
    addressed: frozenset[str] = frozenset()
    second_person: tuple[str, ...] = ()
    long_line: int = 7
    # Words of a remark: the worker speaking of themself ("te dejo mi tarjeta", "le voy a
    # hablar"), praise ("muy"), someone arriving ("viene"). A line with one and no question
    # mark asks nothing.
    remarks: frozenset[str] = frozenset()
    # The verb says who ("¿dónde pasó?" is "where did it happen?"): a question word with a
    # probe verb follows up without a word that points back.
    pro_drop: bool = False
    unknown_weight: float = UNKNOWN_WEIGHT   # how much a word no question uses counts
    threshold: float = THRESHOLD             # below this, no question is "the" match
    # A line without a question mark needs this much, its words no question uses counting
    # this much ("su comida ya llegó" is a remark, not a question about food).
    threshold_unmarked: float = THRESHOLD
    unknown_weight_unmarked: float = UNKNOWN_WEIGHT


ENGLISH = Language("en", STOPWORDS, CONTRACTIONS, SHORTHAND, MEANINGFUL, FILLERS, STARTERS,
                   SUBORDINATE, STATEMENT_VERBS, frozenset({"you"}),
                   frozenset({"ever", "wondering"}))


@dataclass(frozen=True)
class Words:
    """The matcher's content (flows/catalog/synonyms.yaml and the labelling word lists)."""

    synonyms: dict[str, str] = field(default_factory=dict)      # word or phrase -> group head
    phrasings: dict[str, tuple[str, ...]] = field(default_factory=dict)   # step id -> wordings
    probes: frozenset[str] = frozenset()          # more, explain, ...: a probe by themselves
    with_pointer: frozenset[str] = frozenset()    # happen, mean, ...: a probe with a pointer
    pointers: frozenset[str] = frozenset()        # that, it, he, ...
    question_words: frozenset[str] = frozenset()  # who, when, where, ...
    labels: tuple[str, ...] = ()                  # words that label a youth
    ignore: tuple[str, ...] = ()                  # phrases that say nothing ("these days")
    not_labels: tuple[str, ...] = ()              # "te trata": a label's word in another sense


def folded(words: Words) -> Words:
    """The same content without accents, for a language whose lines are read without them."""
    def each(items):
        return type(items)(fold(w) for w in items)
    return Words({fold(k): fold(v) for k, v in words.synonyms.items()},
                 {k: each(v) for k, v in words.phrasings.items()}, each(words.probes),
                 each(words.with_pointer), each(words.pointers), each(words.question_words),
                 each(words.labels), each(words.ignore), each(words.not_labels))


def find_labels(text: str, labels: tuple[str, ...], spared: tuple[str, ...] = (),
                folded: bool = False) -> tuple[str, ...]:
    """The labelling words `text` uses, as written; `folded`: found without accents ("víctima"
    and "victima" alike; the words are given folded). Text that is not plain ASCII is always
    folded, so a look-alike or invisible letter hides no English word either. A word inside a
    phrase of `spared` ("te trata": how someone treats them, not la trata) does not count."""
    if not labels or not text:
        return ()
    seen = text
    if folded or not text.isascii():
        seen = fold(text)
        if not folded:  # the words as listed: folded too (once, kept)
            labels, spared = folded_words(labels), folded_words(spared)
    if len(seen) != len(text):   # a letter whose lower case is longer: show it folded
        text = seen
    kept = [m.span() for m in words_pattern(spared).finditer(seen)] if spared else []
    return tuple(text[m.start():m.end()] for m in words_pattern(labels).finditer(seen)
                 if not any(a <= m.start() and m.end() <= b for a, b in kept))


@dataclass(frozen=True)
class Match:
    step: str
    score: float


@dataclass(frozen=True)
class Reading:
    """What one typed line is: a question of the flow (`step`), a probe, or nothing close."""

    typed: str
    step: str | None
    score: float
    labelling: bool
    follow_up: bool
    labels: tuple[str, ...] = ()
    ranked: tuple[Match, ...] = ()

    def as_json(self) -> dict:
        return {"typed": self.typed, "step": self.step, "score": self.score,
                "labelling": self.labelling, "follow_up": self.follow_up}


class Matcher:
    def __init__(self, library: m.Library, steps: list[m.Step], words: Words,
                 language: Language = ENGLISH, texts: dict[str, list[str]] | None = None):
        """`texts`: each step's own words in this language (default: the flow's, English)."""
        self.steps = steps
        self.lang = lang = language
        self.words = words = folded(words) if lang.fold else words
        stem = lang.stem
        synonyms = words.synonyms
        self._ignore = sorted(words.ignore, key=len, reverse=True)
        self._phrases = sorted(((k, v) for k, v in synonyms.items() if " " in k),
                               key=lambda kv: -len(kv[0]))
        # The same phrases without their common words, for "spend your time" ~ "spend time".
        stripped = {" ".join(w for w in k.split() if w not in lang.stopwords): v
                    for k, v in self._phrases}
        self._stripped = sorted(((k, v) for k, v in stripped.items() if " " in k),
                                key=lambda kv: -len(kv[0]))
        self._words: dict[str, str] = {}
        for k, v in synonyms.items():
            if " " not in k:
                self._words.setdefault(k, stem(v.replace(" ", "_")))
                self._words.setdefault(stem(k), stem(v.replace(" ", "_")))
        own, texts = texts, {}
        for step in steps:
            mine = ([step.text if not step.script else library.scripts[step.script].title]
                    if own is None else list(own.get(step.id, ())))
            texts[step.id] = [*mine, *words.phrasings.get(step.id, ())]
        # Every word the questions, their wordings and the synonyms use: a typed word one letter
        # away from one of these (and not one itself) is read as it.
        known = (set(lang.stopwords) | set(lang.shorthand) | words.probes | words.with_pointer
                 | words.pointers | lang.statements | lang.remarks)
        for wordings in texts.values():
            for text in wordings:
                known.update(WORD.findall(self._plain(text)))
        for k in synonyms:
            known.update(k.split())
        self._known = frozenset(known)
        self._known_stems = frozenset(stem(k) for k in known)
        self._fixable = sorted(w for w in known if len(w) >= 5 and not w.isdigit())
        self.docs: dict[str, list[frozenset[str]]] = {
            sid: [frozenset(self.terms(t)) for t in wordings] for sid, wordings in texts.items()}
        df: dict[str, int] = {}
        for wordings in self.docs.values():
            for t in set().union(*wordings):
                df[t] = df.get(t, 0) + 1
        n = len(self.docs)
        self.idf = {t: math.log((n + 1) / (c + 1)) + 1 for t, c in df.items()}
        self.unknown_idf = (math.log(n + 1) + 1) * lang.unknown_weight
        self.unknown_idf_unmarked = (math.log(n + 1) + 1) * lang.unknown_weight_unmarked
        self._norms = {sid: [math.sqrt(sum(self.idf[t] ** 2 for t in terms)) or 1.0
                             for terms in wordings] for sid, wordings in self.docs.items()}
        self._order = {sid: i for i, sid in enumerate(self.docs)}
        self._script = {s.id: s.kind == "script" for s in steps}

    # --- words ----------------------------------------------------------------------------------

    def _plain(self, text: str) -> str:
        text = fold(text) if self.lang.fold else text.lower()
        text = text.replace("’", "'").replace("‘", "'")
        for short, long in self.lang.contractions:
            text = text.replace(short, long)
        return text

    def tokens(self, text: str) -> list[str]:
        """The typed words, lower case, shorthand expanded and one-letter slips corrected."""
        out = []
        for word in WORD.findall(self._plain(text)):
            word = self.lang.shorthand.get(word, word)
            if (" " not in word and word not in self._known and len(word) >= 5
                    and self.lang.stem(word) not in self._known_stems):
                fixes = [k for k in self._fixable if one_edit_apart(word, k)]
                if len(fixes) == 1:
                    word = fixes[0]
            out.extend(word.split())
        return out

    def terms(self, text: str) -> list[str]:
        stop, stem = self.lang.stopwords, self.lang.stem
        text = " " + " ".join(self.tokens(text)) + " "
        for phrase, head in self._phrases:
            if f" {phrase} " in text:
                text = text.replace(f" {phrase} ", f" {head.replace(' ', '_')} ")
        for phrase in self._ignore:
            text = text.replace(f" {phrase} ", " ")
        text = " " + " ".join(w for w in text.split() if w not in stop) + " "
        for phrase, head in self._stripped:
            if f" {phrase} " in text:
                text = text.replace(f" {phrase} ", f" {head.replace(' ', '_')} ")
        out = []
        for word in text.split():
            if "_" in word:
                out.append(stem(word))
                continue
            s = stem(word)
            for form in (word, s, s + "e"):
                if form in self._words:
                    s = self._words[form]
                    break
            out.append(s)
        return out

    # --- questions ------------------------------------------------------------------------------

    def rank(self, typed: str, limit: int = 3) -> list[Match]:
        """The closest questions, best first (score 0-1); empty when nothing is close at all."""
        query = set(self.terms(typed))
        if not query:
            return []
        unknown = self.unknown_idf if self.marked(typed) else self.unknown_idf_unmarked
        q_norm = math.sqrt(sum(self.idf.get(t, unknown) ** 2 for t in query))
        scored = []
        for sid, wordings in self.docs.items():
            best = 0.0
            for terms, norm in zip(wordings, self._norms[sid]):
                shared = query & terms
                if not shared:
                    continue
                dot = sum(self.idf[t] ** 2 for t in shared)
                cosine = dot / (q_norm * norm)
                coverage = dot / (q_norm * q_norm)
                best = max(best, COVERAGE * coverage + (1 - COVERAGE) * cosine)
            if best:   # ties: a question before a script, then the flow's order
                scored.append((-best, self._script[sid], self._order[sid], sid))
        scored.sort()
        return [Match(sid, round(-neg, 3)) for neg, _, _, sid in scored[:limit]]

    @staticmethod
    def marked(typed: str) -> bool:
        return "?" in typed or "¿" in typed

    def threshold(self, typed: str) -> float:
        return self.lang.threshold if self.marked(typed) else self.lang.threshold_unmarked

    def best(self, typed: str) -> Match | None:
        ranked = self.rank(typed, 1)
        return ranked[0] if ranked and ranked[0].score >= self.threshold(typed) else None

    # --- probes and labels ----------------------------------------------------------------------

    def is_probe(self, typed: str) -> bool:
        """Does the line only follow up what was just said ("who was it?", "tell me more")?"""
        words = self.tokens(typed)
        if not words or len(words) > 12:
            return False
        w = self.words
        allowed = (self.lang.stopwords - self.lang.meaningful) | w.probes | w.with_pointer | w.pointers | w.question_words
        if any(word not in allowed for word in words):
            return False
        pointer = any(word in w.pointers for word in words)
        asking = any(word in w.question_words for word in words)
        probing = any(word in w.with_pointer for word in words)
        pointed = (pointer and (asking or probing)) or (
            self.lang.pro_drop and asking and probing)
        return pointed or any(word in w.probes for word in words)

    def asks(self, typed: str) -> bool:
        """Is the line shaped like a question (not "nice shoes", "we're almost done")?"""
        if self.marked(typed):
            return True
        lang = self.lang
        words = [w for w in self.tokens(typed)]
        while words and words[0] in lang.fillers:
            words.pop(0)
        if not words:
            return False
        if lang.statements:
            if words[0] in lang.statements or any(w in lang.remarks for w in words):
                return False
            return (words[0] in lang.starters or len(words) >= lang.long_line
                    or any(w in lang.addressed for w in words)
                or any(len(w) > 3 and w.endswith(lang.second_person) for w in words[:2]))
        if words[0] in lang.subordinate:   # "if you don't sleep at home, where do you go"
            return any(w in lang.starters for w in words[1:])
        # "you want some water", "you doing ok" ask; "you are doing great" does not.
        you_ask = words[0] in lang.you and len(words) > 1 and words[1] not in lang.statement_verbs
        return (words[0] in lang.starters or you_ask or any(w in lang.asking for w in words)
                or " tell me " in f" {' '.join(words)} ")

    def labels_in(self, typed: str) -> tuple[str, ...]:
        return find_labels(typed, self.words.labels, self.words.not_labels, self.lang.fold)

    def read(self, typed: str, limit: int = 3) -> Reading:
        """Everything the practice makes of one typed line."""
        typed = " ".join(typed.split())
        labels = self.labels_in(typed)
        if self.is_probe(typed):
            return Reading(typed, None, 0.0, bool(labels), True, labels)
        ranked = self.rank(typed, limit) if self.asks(typed) else []
        top = ranked[0] if ranked and ranked[0].score >= self.threshold(typed) else None
        near = tuple(x for x in ranked if top and x.score >= top.score - NEAR)
        return Reading(typed, top.step if top else None, top.score if top else
                       (ranked[0].score if ranked else 0.0), bool(labels), False, labels, near)


class Reader:
    """A practice's matcher for lines typed in more than one language: each line is read by the
    matcher of the language it is in (told by its common words; a line that could be either is
    read as the scenario's language), and checked for the labelling words of every language."""

    def __init__(self, matchers: dict[str, Matcher], language: str = "en",
                 tell: Callable[[list[str]], str | None] | None = None):
        self.matchers = matchers
        self.language = language if language in matchers else next(iter(matchers))
        self.tell = tell
        self.steps = self.matchers[self.language].steps

    def matcher_for(self, typed: str) -> Matcher:
        if self.tell is None or len(self.matchers) == 1:
            return self.matchers[self.language]
        said = self.tell(WORD.findall(fold(typed)))
        return self.matchers.get(said or self.language, self.matchers[self.language])

    def labels_in(self, typed: str) -> tuple[str, ...]:
        found: list[str] = []
        for matcher in self.matchers.values():
            found += [w for w in matcher.labels_in(typed) if w not in found]
        return tuple(found)

    def rank(self, typed: str, limit: int = 3) -> list[Match]:
        return self.matcher_for(typed).rank(typed, limit)

    def best(self, typed: str) -> Match | None:
        return self.matcher_for(typed).best(typed)

    def is_probe(self, typed: str) -> bool:
        return self.matcher_for(typed).is_probe(typed)

    def read(self, typed: str, limit: int = 3) -> Reading:
        reading = self.matcher_for(typed).read(typed, limit)
        labels = self.labels_in(reading.typed)
        return replace(reading, labelling=bool(labels), labels=labels)
