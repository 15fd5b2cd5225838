"""Match a trainee's own question to the closest question of the flow.

Deterministic, offline and fast: no model. Both the typed words and each question's words are
reduced to meanings (lower case, contractions expanded, the synonyms of
flows/catalog/synonyms.yaml mapped to one word, simple stems, common words dropped), then
compared by their idf-weighted word sets: half how much of the typed words' weight a question
covers, half the cosine of the two (which prefers a question without much else in it). Words
the flow never uses count half, so a question with extra words still finds its match. Ties go
to the earlier question.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from interview.content import model as m

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
                ("'ll", " will"), ("'d", " would"), ("'s", ""))
WORD = re.compile(r"[a-z0-9$]+")
UNKNOWN_WEIGHT = 0.5
COVERAGE = 0.5    # the score mixes how much of the typed words a question covers, and cosine
THRESHOLD = 0.2   # below this, no question is offered as "the" match


def stem(word: str) -> str:
    for suffix, keep in (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)] + keep
            break
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "aeiouls":
        word = word[:-1]     # "stopp" -> "stop", "gett" -> "get"
    return word


@dataclass(frozen=True)
class Match:
    step: str
    score: float


class Matcher:
    def __init__(self, library: m.Library, steps: list[m.Step], synonyms: dict[str, str]):
        self.steps = steps
        self._phrases = sorted(((k, v) for k, v in synonyms.items() if " " in k),
                               key=lambda kv: -len(kv[0]))
        # The same phrases without their common words, for "spend your time" ~ "spend time".
        stripped = {" ".join(w for w in k.split() if w not in STOPWORDS): v
                    for k, v in self._phrases}
        self._stripped = sorted(((k, v) for k, v in stripped.items() if " " in k),
                                key=lambda kv: -len(kv[0]))
        self._words: dict[str, str] = {}
        for k, v in synonyms.items():
            if " " not in k:
                self._words.setdefault(k, stem(v.replace(" ", "_")))
                self._words.setdefault(stem(k), stem(v.replace(" ", "_")))
        self.docs: dict[str, frozenset[str]] = {}
        for step in steps:
            text = step.text if not step.script else library.scripts[step.script].title
            self.docs[step.id] = frozenset(self.terms(text))
        n = len(self.docs)
        df: dict[str, int] = {}
        for terms in self.docs.values():
            for t in terms:
                df[t] = df.get(t, 0) + 1
        self.idf = {t: math.log((n + 1) / (c + 1)) + 1 for t, c in df.items()}
        self.unknown_idf = (math.log(n + 1) + 1) * UNKNOWN_WEIGHT
        self._norms = {sid: math.sqrt(sum(self.idf[t] ** 2 for t in terms)) or 1.0
                       for sid, terms in self.docs.items()}

    def terms(self, text: str) -> list[str]:
        text = text.lower().replace("’", "'").replace("‘", "'")
        for short, long in CONTRACTIONS:
            text = text.replace(short, long)
        text = " " + " ".join(WORD.findall(text)) + " "
        for phrase, head in self._phrases:
            if f" {phrase} " in text:
                text = text.replace(f" {phrase} ", f" {head.replace(' ', '_')} ")
        text = " " + " ".join(w for w in text.split() if w not in STOPWORDS) + " "
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

    def rank(self, typed: str, limit: int = 3) -> list[Match]:
        """The closest questions, best first (score 0-1); empty when nothing is close at all."""
        query = set(self.terms(typed))
        if not query:
            return []
        q_norm = math.sqrt(sum(self.idf.get(t, self.unknown_idf) ** 2 for t in query))
        scored = []
        for index, (sid, terms) in enumerate(self.docs.items()):
            shared = query & terms
            if not shared:
                continue
            dot = sum(self.idf[t] ** 2 for t in shared)
            cosine = dot / (q_norm * self._norms[sid])
            coverage = dot / (q_norm * q_norm)
            scored.append((-(COVERAGE * coverage + (1 - COVERAGE) * cosine), index, sid))
        scored.sort()
        return [Match(sid, round(-neg, 3)) for neg, _, sid in scored[:limit]]

    def best(self, typed: str) -> Match | None:
        ranked = self.rank(typed, 1)
        return ranked[0] if ranked and ranked[0].score >= THRESHOLD else None
