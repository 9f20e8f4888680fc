"""Transfers, loans, contracts, coach changes, injuries and call-ups.

Tense gives the default modality (a past verb asserts, a future or infinitive
plans); hedges and negations in the clause override it (``צפוי``, ``על פי
הדיווחים``, ``לא``). ``הקבוצה`` / ``המועדון`` stand for the last club named.
"""

from __future__ import annotations

import re
from functools import lru_cache

from kg.extract import Sentence
from kg.lexicon import cues
from kg.morphology import default_morphology, tense_modality
from kg.rules.registry import rule
from kg.rules.patterns import B, E, PREFIX, alt, clause_before, modality

P = r"«Person:(?P<p>\d+)»"
C = r"«Club:(?P<c>\d+)»"
A = r"«Club:(?P<a>\d+)»"
GAP = r"(?:\s+[^«»\s.,]+){0,4}?"   # a few words, no entity, no clause end


@lru_cache(maxsize=None)
def _lex():
    return cues("moves")


def _w(*keys, s: Sentence | None = None, lemmas: str | None = None) -> str:
    """Cue words of ``keys``; with ``lemmas``, also every word of the article that
    is a verb of that lemma family (``lemmas:`` in moves.yaml), whatever its form."""
    if s is None or not lemmas:
        return _cue_words(keys)
    key = ("moves-words", keys, lemmas)
    if key not in s.ctx.memo:
        # forms seen in any article so far: the pattern text, and so its compiled regex,
        # stays the same from one article to the next (a form this article lacks cannot
        # match in it as a whole word, so the extra forms change nothing)
        seen = _SEEN_FORMS.setdefault(lemmas, set())
        seen.update(s.ctx.verb_forms(_lex()["lemmas"][lemmas]))
        s.ctx.memo[key] = _lemma_words(keys, tuple(sorted(seen)))
    return s.ctx.memo[key]


_SEEN_FORMS: dict[str, set[str]] = {}


@lru_cache(maxsize=64)
def _lemma_words(keys: tuple[str, ...], forms: tuple[str, ...]) -> str:
    words = [w for k in keys for w in _lex()[k]] + [re.escape(w) for w in forms]
    return rf"{B}(?:ו?ש?)?{alt(words)}{E}"


@lru_cache(maxsize=None)
def _cue_words(keys: tuple[str, ...]) -> str:
    return rf"{B}(?:ו?ש?)?{alt([w for k in keys for w in _lex()[k]])}{E}"


def _club_target(name: str = "c") -> str:
    return rf"(?:{PREFIX}«Club:(?P<{name}>\d+)»|[בלמ](?P<{name}_ana>{alt(_lex()['club_anaphors'])}){E})"


def _club(s: Sentence, m: re.Match, name: str = "c") -> str | None:
    if m.groupdict().get(name):
        return s.mention(m, name).entity
    if m.groupdict().get(f"{name}_ana"):
        nstart = s.nspan(m.start(f"{name}_ana"), m.end(f"{name}_ana"))[0]
        last = s.ctx.last_before(nstart, ("Club",), floor=s.ctx.paragraph_start(nstart))
        return last.entity if last else None
    return None


def _mod(s: Sentence, m: re.Match, default: str, at: int | None = None) -> str:
    """The modality of the clause a match stands in; ``at`` moves the clause's start
    to the verb (``X, שסובל מפציעה``: the negation before X is not the verb's)."""
    at = m.start() if at is None else at
    found = modality(clause_before(s.masked, at) + s.masked[at:m.end()], default)
    if found in ("Asserted", "Planned", "Desired") and re.search(
            alt(cues("modality")["reported"]), s.masked[:m.start()]):
        return "Possible"
    return found


def _tense(m: re.Match, *done_keys: str) -> str:
    """A verb in one of the ``done_keys`` lists states a fact (``מושאל``: on loan);
    otherwise its tense from morphology: a past reading states a fact, a future,
    infinitive or present plans it; a word hspell does not know plans it."""
    word = m.group("v").split()[0]
    if any(re.sub(r"^ו?ש?", "", word) in _lex()[k] for k in done_keys):
        return "Asserted"
    return tense_modality(default_morphology().verb_tenses(word)) or "Planned"


def _person(s: Sentence, m: re.Match) -> str | None:
    if m.groupdict().get("p"):
        return s.mention(m, "p").entity
    nstart = s.nspan(m.start(), m.end())[0]
    last = s.ctx.last_before(nstart, ("Person",), floor=s.ctx.paragraph_start(nstart))
    return last.entity if last else None


def _is_coach(s: Sentence, person: str) -> bool:
    return bool(s.ctx.facts(person, "headCoachOf"))


def _claims(s: Sentence, m, rid, person, club, pred, mod, conf=0.75, src=None):
    span = s.nspan(m.start(), m.end())
    quals = (("from", src),) if src and src != club else ()
    yield s.ctx.claim(person, pred, club, span, rid, modality=mod, confidence=conf, qualifiers=quals)
    if mod in ("Asserted", "Past") and pred in ("transferredTo", "loanedTo"):
        yield s.ctx.claim(person, "playsFor", club, span, rid, confidence=conf - 0.1)
        if src and src != club and pred == "transferredTo":
            yield s.ctx.claim(person, "formerPlayerOf", src, span, rid, confidence=conf - 0.15)
    elif mod in ("Planned", "Possible", "Desired") and src and src != club:
        # a move not made yet: he still plays where he would leave from
        yield s.ctx.claim(person, "playsFor", src, span, rid, confidence=conf - 0.15)


@rule("transfer-signed.v2", produces=["signedContractWith", "transferredTo", "playsFor"], examples=[
    "הקשר רותם קלר חתם בבית\"ר ירושלים על חוזה לשלוש שנים.",
    "ערן זהבי צפוי לחתום במכבי תל אביב בימים הקרובים.",
], counter_examples=["ערן זהבי חתם על חוזה חדש."])
def transfer_signed(s: Sentence):
    """``<person> חתם ב<club>`` (or ``בקבוצה``): a contract and, for a player, a move."""
    pat = rf"{P}{GAP}\s+(?P<v>{_w('sign_past', 'sign_future', s=s, lemmas='sign')})(?:\s+על חוזה(?:\s+[^«»\s.,]+){{0,3}})?\s+(?:עם\s+|אצל\s+)?{_club_target()}"
    for m in re.finditer(pat, s.masked):
        person, club = _person(s, m), _club(s, m)
        mod = _mod(s, m, _tense(m, "sign_past"))
        yield from _claims(s, m, transfer_signed.rule_id, person, club, "signedContractWith", mod, 0.8)
        if person and not _is_coach(s, person) and not re.search(_w("extend"), s.masked):
            yield from _claims(s, m, transfer_signed.rule_id, person, club, "transferredTo", mod, 0.75)


@rule("transfer-joined.v2", produces=["transferredTo", "playsFor", "formerPlayerOf"], examples=[
    "ערן זהבי עבר ממכבי תל אביב למכבי חיפה.",
    "דור מיכה יצטרף להפועל באר שבע בקיץ.",
], counter_examples=["ערן זהבי עבר את הבדיקות הרפואיות."])
def transfer_joined(s: Sentence):
    """``<person> עבר [מ<club>] ל<club>`` / ``יצטרף ל<club>``."""
    pat = rf"{P}{GAP}\s+(?P<v>{_w('join_past', 'join_future', s=s, lemmas='join')})(?:\s+מ-?{A})?\s+ל-?{C}"
    for m in re.finditer(pat, s.masked):
        default = _tense(m, "join_past")
        src = s.mention(m, "a").entity if m.group("a") else None
        loan = re.search(r"(?<![\w])ב?השאלה", s.masked[m.end():m.end() + 80])
        yield from _claims(s, m, transfer_joined.rule_id, _person(s, m), s.mention(m, "c").entity,
                           "loanedTo" if loan else "transferredTo", _mod(s, m, default), 0.75, src)


@rule("transfer-loan.v2", produces=["loanedTo", "playsFor"], examples=[
    "השוער אופק מליקה הושאל להפועל פתח תקווה עד סוף העונה.",
    "מכבי תל אביב צפויה להשאיל את אלעד מדמון לעירוני קריית שמונה.",
], counter_examples=["מכבי תל אביב לא תשאיל שחקנים השנה."])
def transfer_loan(s: Sentence):
    """``<person> הושאל ל<club>``, ``<club> תשאיל את <person> ל<club>``, ``השאלתו של <person> ל<club>``."""
    pats = (
        rf"{P},?{GAP}\s+(?P<v>{_w('loan_past', 'loan_future', 'loan_present', s=s, lemmas='loan')}){GAP}(?:\s+מ-?{A})?\s+ל-?{C}",
        rf"(?:{A}{GAP}\s+)?(?P<v>{_w('loan_future', 'loan_active_past')})\s+את{GAP}\s+{P}{GAP}\s+ל-?{C}",
        rf"{B}(?P<v>{alt(_lex()['loan_nouns'])}){GAP}\s+{P}{GAP}\s+ל-?{C}",
    )
    for pat in pats:
        for m in re.finditer(pat, s.masked):
            default = _tense(m, "loan_past", "loan_active_past", "loan_present")
            person, club = s.mention(m, "p").entity, s.mention(m, "c").entity
            src = s.mention(m, "a").entity if m.groupdict().get("a") else _source(s, m, person, club)
            yield from _claims(s, m, transfer_loan.rule_id, person, club, "loanedTo",
                               _mod(s, m, default), 0.75, src)


def _source(s: Sentence, m: re.Match, person: str, club: str) -> str | None:
    """The club a player leaves: the last other club named in the paragraph, else his catalogue club."""
    nstart = s.nspan(m.start(), m.end())[0]
    last = s.ctx.last_before(nstart, ("Club",), floor=s.ctx.paragraph_start(nstart), exclude=(club,))
    if last:
        return last.entity
    known = [c for c in s.ctx.facts(person, "playsFor") if c != club]
    return known[0] if known else None


@rule("transfer-deal.v2", produces=["transferredTo"], examples=[
    "מכבי תל אביב מתקרבת להחתמתו של ערן זהבי.",
    "מכבי חיפה מכרה את דור מיכה לבית\"ר ירושלים.",
], counter_examples=["מכבי תל אביב מתקרבת לפסגה."])
def transfer_deal(s: Sentence):
    """``<club> … להחתמתו של <person>``; ``<club> מכרה את <person> ל<club>``."""
    for m in re.finditer(rf"{C}{GAP}\s+(?P<v>{B}{PREFIX}{alt(_lex()['transfer_nouns'])}){GAP}\s+{P}", s.masked):
        yield s.ctx.claim(s.mention(m, "p").entity, "transferredTo", s.mention(m, "c").entity,
                          s.nspan(m.start(), m.end()), transfer_deal.rule_id,
                          modality=_mod(s, m, "Planned"), confidence=0.65)
    for m in re.finditer(rf"{A}{GAP}\s+(?P<v>{_w('sell_past', 'sell_future', s=s, lemmas='sell')})\s+את{GAP}\s+{P}{GAP}\s+ל-?{C}", s.masked):
        default = _tense(m, "sell_past")
        yield from _claims(s, m, transfer_deal.rule_id, s.mention(m, "p").entity, s.mention(m, "c").entity,
                           "transferredTo", _mod(s, m, default), 0.75, s.mention(m, "a").entity)
    pat = rf"{A}\s+ו-?{C}\s+{alt(_lex()['agreement'])}\s+(?:ה)?{alt(_lex()['sale_nouns'])}{GAP}\s+{P}"
    for m in re.finditer(pat, s.masked):
        person = s.mention(m, "p").entity
        a, c = s.mention(m, "a").entity, s.mention(m, "c").entity
        current = set(s.ctx.facts(person, "playsFor"))
        if (a in current) != (c in current):
            seller, buyer = (a, c) if a in current else (c, a)
            yield s.ctx.claim(person, "transferredTo", buyer, s.nspan(m.start(), m.end()),
                              transfer_deal.rule_id, modality="Planned", confidence=0.7,
                              qualifiers=(("from", seller),))


@rule("club-signs.v2", produces=["transferredTo", "playsFor"], examples=[
    "בחלון ינואר צירפה מכבי חיפה את הקיצוני מנואל בנסון ואת הקשר סדריק דון.",
    "מכבי חיפה החתימה את דור מיכה.",
], counter_examples=["מכבי חיפה החתימה שוער חדש."])
def club_signs(s: Sentence):
    """``<club> צירפה את <person> (ואת <person>…)``: each joins the club."""
    verbs = _w("club_signs_past", "club_signs_future")
    pats = (rf"(?P<v>{verbs})\s+{PREFIX}{C}(?P<list>(?:\s+(?:ו?את\s+)?(?:ה[^\s«»,]+\s+){{0,2}}«Person:\d+»,?)+)",
            rf"{C}{GAP}\s+(?P<v>{verbs})(?P<list>(?:\s+(?:ו?את\s+)?(?:ה[^\s«»,]+\s+){{0,2}}«Person:\d+»,?)+)")
    for pat in pats:
        for m in re.finditer(pat, s.masked):
            default = _tense(m, "club_signs_past")
            mod = _mod(s, m, default)
            club = s.mention(m, "c").entity
            for p in re.finditer(r"«Person:(\d+)»", m.group("list")):
                person = s.ctx.mentions[int(p.group(1))].entity
                yield from _claims(s, m, club_signs.rule_id, person, club, "transferredTo", mod, 0.7)


@rule("arrived-from.v1", produces=["formerPlayerOf"], examples=[
    "הקשר סדריק דון, שהגיע מהפועל ירושלים, פתח בהרכב.",
], counter_examples=["סדריק דון הגיע מוקדם לאימון."])
def arrived_from(s: Sentence):
    """``<person>, שהגיע מ<club>``: he played there before."""
    for m in re.finditer(rf"{P}\s*,?\s+{_w('arrived_from')}(?:\s+[^«»\s.,]+){{0,2}}?\s+מ(?:ה)?-?{A}(?!\s+ל)", s.masked):
        yield s.ctx.claim(s.mention(m, "p").entity, "formerPlayerOf", s.mention(m, "a").entity,
                          s.nspan(m.start(), m.end()), arrived_from.rule_id,
                          modality=_mod(s, m, "Asserted"), confidence=0.65)


@rule("in-shirt.v1", produces=["playsFor"], examples=[
    "רותם קלר, שכבש חמישה שערים במדי מכבי נתניה, עבר את הבדיקות.",
], counter_examples=["רותם קלר שיחק נגד מכבי נתניה."])
def in_shirt(s: Sentence):
    """``<person> … במדי <club>`` (in the club's shirt): he plays there (the
    consistency pass makes it former when the article moves him away)."""
    for m in re.finditer(rf"{P}(?:[^«».]{{0,60}}?)\s+(?:ב|מ)מדי\s+(?:ה)?{C}", s.masked):
        yield s.ctx.claim(s.mention(m, "p").entity, "playsFor", s.mention(m, "c").entity,
                          s.nspan(m.start(), m.end()), in_shirt.rule_id, confidence=0.6)


@rule("contract-extended.v1", produces=["signedContractWith", "playsFor"], examples=[
    "דור מיכה האריך את חוזהו עם מכבי חיפה בשלוש שנים.",
    "מכבי חיפה האריכה את חוזהו של דור מיכה עד 2028.",
], counter_examples=["דור מיכה האריך את שהותו בחופשה.", "מכבי חיפה לא תאריך חוזים השנה."])
def contract_extended(s: Sentence):
    """``X האריך את חוזהו עם/ב<club>`` / ``<club> האריכה את חוזהו של X``: a new contract with
    the club he plays for (Planned for a future or an infinitive)."""
    lex = _lex()
    verb = rf"(?P<v>{_w('extend')})\s+(?:{alt(lex['contract_words'])})"
    pats = (rf"{P}{GAP}\s+{verb}(?:\s+[^«»\s.,]+){{0,2}}?\s+(?:עם|ב|אצל)-?\s*{C}",
            rf"{C}{GAP}\s+{verb}\s*{P}")
    for pat in pats:
        for m in re.finditer(pat, s.masked):
            person, club = _person(s, m), s.mention(m, "c").entity
            mod = _mod(s, m, _tense(m))
            span = s.nspan(m.start(), m.end())
            yield s.ctx.claim(person, "signedContractWith", club, span, contract_extended.rule_id,
                              modality=mod, confidence=0.8)
            if mod in ("Asserted", "Past") and not _is_coach(s, person):
                yield s.ctx.claim(person, "playsFor", club, span, contract_extended.rule_id, confidence=0.7)


@rule("sold-to.v1", produces=["transferredTo", "playsFor", "formerPlayerOf"], examples=[
    "דור מיכה נמכר לבית\"ר ירושלים תמורת מיליון יורו.",
    "דור מיכה, שנמכר ממכבי חיפה להפועל באר שבע, כבש.",
], counter_examples=["הכרטיסים נמכרו למכבי חיפה."])
def sold_to(s: Sentence):
    """``X נמכר (מ<club>) ל<club>``: a transfer (Planned for a future form)."""
    pat = rf"{P},?{GAP}\s+(?P<v>{_w('sold_passive')})(?:\s+מ-?{A})?\s+ל-?{C}"
    for m in re.finditer(pat, s.masked):
        src = s.mention(m, "a").entity if m.group("a") else None
        default = "Asserted" if re.sub(r"^ו?ש?", "", m.group("v")) in ("נמכר", "נמכרה") else "Planned"
        yield from _claims(s, m, sold_to.rule_id, _person(s, m), s.mention(m, "c").entity, "transferredTo",
                           _mod(s, m, default), 0.75, src)


@rule("club-bought.v1", produces=["ownerOf"], examples=[
    "איש העסקים יעקב שחר רכש את מכבי חיפה ב-1992.",
    "ברק אברמוב צפוי לרכוש את בית\"ר ירושלים.",
], counter_examples=["מכבי חיפה רכשה את דור מיכה.", "יעקב שחר רכש כרטיסים למשחק של מכבי חיפה."])
def club_bought(s: Sentence):
    """``<person> רכש את <club>``: the buyer owns the club (Planned/Desired for a future
    or an infinitive, by the clause's cues)."""
    lex = _lex()
    pat = rf"{P}{GAP}\s+(?P<v>{B}(?:ו?ש?)?{alt(lex['buy_verbs'])}{E})\s+(?:את\s+)?(?:ה)?{C}"
    for m in re.finditer(pat, s.masked):
        yield s.ctx.claim(s.mention(m, "p").entity, "ownerOf", s.mention(m, "c").entity, s.nspan(m.start(), m.end()),
                          club_bought.rule_id, modality=_mod(s, m, _tense(m)), confidence=0.75)
