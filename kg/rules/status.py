"""A player's status: where he plays or played, injuries, suspensions, call-ups."""

from __future__ import annotations

import re

from kg.extract import Sentence
from kg.rules import rule
from kg.rules.moves import GAP, P, _lex, _mod, _person, _w
from kg.rules.patterns import B, E, PREFIX, alt

TEAM = r"«(?:Club|NationalTeam):(?P<c>\d+)»"


@rule("plays-for-verb.v1", produces=["playsFor", "formerPlayerOf"], examples=[
    "תאי בריבו, שמשחק בפילדלפיה יוניון מאז 2023, נשאר בארצות הברית.",
    "ערן זהבי, ששיחק בעבר במכבי תל אביב, פרש.",
], counter_examples=["ערן זהבי שיחק נגד מכבי תל אביב."])
def plays_for_verb(s: Sentence):
    """``<person>, שמשחק ב<club>`` (playsFor); ``ששיחק בעבר ב<club>`` (formerPlayerOf)."""
    for key, pred in (("plays_verbs", "playsFor"), ("played_verbs", "formerPlayerOf")):
        pat = rf"(?:{P}\s*,?\s*)?{_w(key)}(?:\s+(?:בעבר|גם|כבר|העונה))*\s+(?:גם\s+)?ב-?{TEAM}"
        for m in re.finditer(pat, s.masked):
            person = _person(s, m)
            if key == "played_verbs" and not re.search(r"בעבר|לשעבר|גדל", m.group(0)):
                pred_here = "formerPlayerOf"
            else:
                pred_here = pred
            yield s.ctx.claim(person, pred_here, s.mention(m, "c").entity, s.nspan(m.start(), m.end()),
                              plays_for_verb.rule_id, modality=_mod(s, m, "Asserted"), confidence=0.65)


@rule("injury.v1", produces=["injured"], examples=[
    "רז שלמה נפצע בברך באימון.",
    "דור פרץ, שנעדר בשבועות האחרונים בשל פציעה, חזר לאימונים.",
], counter_examples=["רז שלמה חזר לאימונים."])
def injury(s: Sentence):
    """``<person> נפצע ב…``, ``סובל מקרע ב…``, ``ייעדר בשל פציעה``: the description as the value."""
    nouns = alt(_lex()["injury_nouns"])
    pat = (rf"{P}\s*,?{GAP}\s+{_w('injury_verbs')}(?P<what>(?:\s+[^«»\s.,]+){{0,6}}?"
           rf"(?:\s+(?:בשל|עקב|בגלל|מ)?{nouns}[^«».,]*|\s+ב(?:ברך|קרסול|כתף|גב|ירך|שריר)[^«».,]*))")
    for m in re.finditer(pat, s.masked):
        if re.search(r"נפצע|פציעה|קרע|שבר|מתיחה|נקע|ניתוח|דלקת|כאבים|זעזוע", m.group(0)):
            what = " ".join(m.group("what").split())[:80]
            yield s.ctx.claim(s.mention(m, "p").entity, "injured", None, s.nspan(m.start(), m.end()),
                              injury.rule_id, modality=_mod(s, m, "Asserted"), value=what, confidence=0.7)


@rule("suspension.v1", produces=["suspended"], examples=[
    "רועי אלקוקין הושעה לשני משחקים.",
], counter_examples=["רועי אלקוקין שיחק שני משחקים."])
def suspension(s: Sentence):
    """``<person> הושעה ל-N משחקים``."""
    for m in re.finditer(rf"{P}{GAP}\s+{_w('suspend_verbs')}(?P<what>[^«».,]{{0,40}})", s.masked):
        yield s.ctx.claim(s.mention(m, "p").entity, "suspended", None, s.nspan(m.start(), m.end()),
                          suspension.rule_id, modality=_mod(s, m, "Asserted"),
                          value=" ".join(m.group("what").split()) or "הרחקה", confidence=0.7)


@rule("call-up.v1", produces=["calledUpTo"], examples=[
    "דור פרץ זומן לנבחרת ישראל לקראת משחקי מוקדמות המונדיאל.",
], counter_examples=["דור פרץ ביקר את נבחרת ישראל."])
def call_up(s: Sentence):
    """``<person> זומן לנבחרת …``."""
    for m in re.finditer(rf"{P}{GAP}\s+{_w('callup_verbs')}\s+(?:לסגל\s+)?{PREFIX}«NationalTeam:(?P<c>\d+)»", s.masked):
        yield s.ctx.claim(s.mention(m, "p").entity, "calledUpTo", s.mention(m, "c").entity,
                          s.nspan(m.start(), m.end()), call_up.rule_id, modality=_mod(s, m, "Asserted"),
                          confidence=0.75)
