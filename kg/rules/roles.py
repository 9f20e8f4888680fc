"""Roles stated by apposition: ``בעלי אינטר מיאמי, חורחה מאס``; ``X, נשיא קונמבול``."""

from __future__ import annotations

import re
from functools import lru_cache

from kg.extract import Sentence
from kg.lexicon import cues
from kg.rules.registry import rule
from kg.rules.patterns import B, E, PREFIX, RANGES, alt, clause_before, modality

ORG = "(?:Club|NationalTeam|Organization|League|Competition)"
PERSON_TOKEN = r"«Person:(?P<p>\d+)»"
ORG_TOKEN = rf"«{ORG}:(?P<o>\d+)»"


@lru_cache(maxsize=None)
def _patterns():
    lex = cues("roles")
    former = alt(lex["former_words"])
    out = []
    for relation, nouns in lex["roles"].items():
        role = rf"{B}{PREFIX}(?:ה)?{alt(nouns)}(?:\s+ה[^\s«»,]+)?"
        of = rf"(?:\s+של)?\s*{PREFIX}{ORG_TOKEN}(?P<former>\s+{former}{E})?"
        out.append((relation, re.compile(rf"{role}{of}\s*,?\s*{PERSON_TOKEN}")))
        out.append((relation, re.compile(rf"{PERSON_TOKEN}\s*,\s*{role}{of}")))
        out.append((relation, re.compile(rf"{PERSON_TOKEN}\s+(?:הוא|היא)\s+{role}{of}")))     # "X הוא שחקן <club>"
        if relation in lex["former"]:
            # "X, לשעבר שחקן <club>" / "X היה מאמן <club>": the former role
            was = rf"(?:\s*,\s*(?:ה)?{former}\s+|\s+(?:היה|הייתה)\s+)"
            out.append((lex["former"][relation], re.compile(rf"{PERSON_TOKEN}{was}{role}{of}")))
    return tuple(out)


def _relation(relation: str, former: bool) -> tuple[str, str]:
    if not former:
        return relation, "Asserted"
    mapped = cues("roles")["former"].get(relation)
    return (mapped, "Asserted") if mapped else (relation, "Past")


@rule("role-apposition.v2", produces=["ownerOf", "presidentOf", "headCoachOf", "playsFor",
                                      "sportingDirectorOf", "assistantCoachOf", "captainOf",
                                      "formerHeadCoachOf", "formerPlayerOf"],
      examples=[
          "בעלי מכבי חיפה, יעקב שחר, הגיע לאימון.",
          "ברק בכר, מאמן מכבי חיפה, שיבח את השחקנים.",
          "נשיא פיפ\"א, ג'יאני אינפנטינו, הגיע למשחק.",
          "דור מיכה הוא שחקן מכבי חיפה מאז הקיץ.",
          "דור מיכה, לשעבר שחקן הפועל באר שבע, חזר לאימונים.",
      ],
      counter_examples=["הבעלים של מכבי חיפה הגיעו לאימון, ואיתם ליאו מסי."])
def role_apposition(s: Sentence):
    """``<role> <org>, <person>``, ``<person>, <role> <org>``, ``<person> הוא <role> <org>``;
    ``לשעבר`` (after the org or before the role) or ``היה`` makes it former."""
    yield from _role_claims(s, _patterns(), role_apposition.rule_id, 0.9)


def _role_claims(s: Sentence, patterns, rule_id: str, confidence: float, clause_modality: bool = False):
    """A claim for each match of ``(relation, pattern)`` whose org fits the relation;
    ``clause_modality``: the matched words' modality cues apply (``צפוי לשמש כמאמן``)."""
    for relation, pattern in patterns:
        for m in pattern.finditer(s.masked):
            person, org = s.mention(m, "p"), s.mention(m, "o")
            if org.etype not in RANGES[relation]:
                continue
            rel, mod = _relation(relation, bool(m.group("former")))
            if clause_modality:
                mod = modality(s.masked[m.start():m.end()], mod)
            yield s.ctx.claim(person.entity, rel, org.entity, s.nspan(m.start(), m.end()),
                              rule_id, modality=mod, confidence=confidence)


@lru_cache(maxsize=None)
def _as_patterns():
    lex = cues("roles")
    former = alt(lex["former_words"])
    out = []
    for relation in ("headCoachOf", "assistantCoachOf", "sportingDirectorOf", "presidentOf"):
        nouns = alt(lex["roles"][relation])
        # "<person> … בתור מאמן <club>" / "<person> … כמאמן <club>": no other name between
        out.append((relation, re.compile(
            rf"{PERSON_TOKEN}[^«»\n.!?]{{0,60}}?\s(?:בתור\s+(?:ה)?|כ(?:ה)?)(?:{nouns})\s+(?:של\s+)?"
            rf"[ה]?{ORG_TOKEN}(?P<former>\s+{former}{E})?")))
    return tuple(out)


@rule("role-as.v1", produces=["headCoachOf", "assistantCoachOf", "sportingDirectorOf", "presidentOf"],
      examples=[
          "אלי לוי השיג ניצחון ראשון בתור מאמן בני יהודה.",
          "ברק בכר, שמכהן כמאמן מכבי חיפה, שיבח את השחקנים.",
      ],
      counter_examples=["ליאו מסי שוחח אחרי המשחק עם מאמן מכבי חיפה.",
                        "ליאו מסי ישב ביציע לצד ברק בכר ומאמן מכבי חיפה."])
def role_as(s: Sentence):
    """``X … בתור מאמן <club>`` / ``X … כמאמן <club>``: X in the role (the sentence's modality)."""
    yield from _role_claims(s, _as_patterns(), role_as.rule_id, 0.8, clause_modality=True)


def context_club(s: Sentence, person: str | None = None, types=("Club",)) -> str | None:
    """The club a role noun refers to: the one club of the sentence, else the
    person's catalogue club if the article names it; never an opponent (a club
    after מול / נגד / על / את / ל / מ / במדי in this sentence)."""
    lex = cues("roles")
    opponents = alt(lex["opponent_words"])
    contrast = re.search(rf"{B}{alt(lex['contrast_words'])}", s.masked)
    ours, theirs = set(), set()
    for m in re.finditer(rf"«(?:{'|'.join(types)}):(?P<c>\d+)»", s.masked):
        other = re.search(rf"{B}{opponents}\s*ה?-?$", s.masked[:m.start()]) or (contrast and m.start() > contrast.start())
        (theirs if other else ours).add(s.mention(m, "c").entity)
    known: list[str] = []
    if person:
        named = s.ctx.memo.get("entities")
        if named is None:
            named = s.ctx.memo["entities"] = {m.entity for m in s.ctx.mentions}
        for rel in ("headCoachOf", "ownerOf", "presidentOf", "sportingDirectorOf", "playsFor"):
            known += [c for c in s.ctx.facts(person, rel) if c in named and c not in theirs]
    if len(ours) == 1:
        club = ours.pop()
        # the catalogue names another club of his in this article: the context is not clear
        return None if known and club not in known else club
    return known[0] if known else None


@rule("role-bare.v2", produces=["ownerOf", "headCoachOf", "sportingDirectorOf", "presidentOf", "playsFor"], examples=[
    "בית\"ר ירושלים החתימה שחקן. הבעלים, ברק אברמוב, אמר שהוא מרוצה.",
    "מכבי חיפה ניצחה, והמאמן ברק בכר שיבח את השחקנים.",
], counter_examples=["המאמן ברק בכר הגיע לאירוע."])
def role_bare(s: Sentence):
    """``הבעלים, <person>`` / ``המאמן <person>``: the role at the club the context names
    (the sentence, the paragraph, else the article's own club when the catalogue gives
    him no club in that role at the article's date)."""
    for relation, nouns in cues("roles")["bare_roles"].items():
        for m in re.finditer(rf"{B}(?:ו?ש?)?{alt(nouns)}{E}(?:\s+ה[^\s«»,]+)?\s*,?\s*{PERSON_TOKEN}", s.masked):
            person = s.mention(m, "p").entity
            nstart, nend = s.nspan(m.start(), m.end())
            club = context_club(s, person)
            if club is None and (relation != "playsFor" or "הקבוצה" in m.group(0)):
                # not for a bare "הקפטן": he may captain the national team
                club = _paragraph_club(s, nstart) or (None if s.ctx.facts(person, relation) else article_club(s.ctx))
            yield s.ctx.claim(person, relation, club, (nstart, nend), role_bare.rule_id, confidence=0.6)


def article_club(ctx) -> str | None:
    """The club the article is about: the only club its lead (first paragraph) names,
    else the club named most often if it is named at least twice as often as any other."""
    if "article-club" not in ctx.memo:
        lead_end = ctx.text.find("\n")
        lead = {ctx.mentions[i].entity for i in ctx.mentions_between(0, len(ctx.text) if lead_end < 0 else lead_end,
                                                                      ("Club",))}
        counts: dict[str, int] = {}
        for m in ctx.mentions:
            if m.etype == "Club" and m.entity:
                counts[m.entity] = counts.get(m.entity, 0) + 1
        ranked = sorted(counts.items(), key=lambda kv: -kv[1])
        club = lead.pop() if len(lead) == 1 else None
        if club is None and ranked and (len(ranked) == 1 or ranked[0][1] >= 2 * ranked[1][1]):
            club = ranked[0][0]
        ctx.memo["article-club"] = club
    return ctx.memo["article-club"]


def _paragraph_club(s: Sentence, nstart: int) -> str | None:
    """The paragraph's club, when it names exactly one before this point."""
    floor = s.ctx.paragraph_start(nstart)
    clubs = {s.ctx.mentions[i].entity for i in s.ctx.mentions_between(floor, nstart, ("Club",))}
    return clubs.pop() if len(clubs) == 1 else None


@rule("heads-body.v1", produces=["presidentOf"], examples=[
    "שינו זוארץ נבחר היום ליושב ראש ההתאחדות לכדורגל.",
    "ברק אברמוב, שעומד כיום בראשות בית\"ר ירושלים, הגיע למשחק.",
    "בשנים ההן מי שעמד בראשות בני יהודה היה איש העסקים ברק אברמוב.",
], counter_examples=["ברק אברמוב נבחר לשחקן העונה של בית\"ר ירושלים.",
                     "ברק אברמוב צפה במשחק שנערך בראשות השופט."])
def heads_body(s: Sentence):
    """``X נבחר ליו"ר <org>``, ``X (ש)עומד בראשות <org>``, ``מי שעמד בראשות <org> היה
    … X``: X heads the club or body (Past for עמד; the clause's modality otherwise)."""
    lex = cues("roles")
    org = rf"(?:ה)?(?:[^«»\s.,]+\s+){{0,2}}?«(?:Club|NationalTeam|Organization|League):(?P<o>\d+)»"
    elected = rf"{B}(?:ו|ש)?{alt(lex['elected_verbs'])}{E}(?:\s+[^«»\s.,]+){{0,2}}?\s+{alt(lex['head_nouns'])}\s+{org}"
    lead = (rf"{B}(?:ו)?(?:ש)?(?P<lead>{alt(lex['lead_verbs'])})\s+(?:כיום\s+|כעת\s+|היום\s+|עדיין\s+)?"
            rf"בראשות\s+{org}")
    patterns = (
        rf"{PERSON_TOKEN}(?:\s*,)?(?:\s+[^«»\s.,]+){{0,3}}?\s+{elected}",
        rf"{PERSON_TOKEN}\s*,?\s*(?:מי\s+)?{lead}",
        rf"{lead}\s+(?:היה|הייתה|הוא|היא)(?:\s+[^«»\s.,]+){{0,3}}?\s+{PERSON_TOKEN}",
    )
    for pattern in patterns:
        for m in re.finditer(pattern, s.masked):
            body = s.mention(m, "o")
            if body.etype not in RANGES["presidentOf"] and body.etype != "NationalTeam":
                continue
            if body.etype == "NationalTeam":
                continue                       # a national team is led by its federation
            past = m.groupdict().get("lead") in lex["lead_past"]
            mod = modality(clause_before(s.masked, m.start()) + s.masked[m.start():m.end()], "Past" if past else "Asserted")
            yield s.ctx.claim(s.mention(m, "p").entity, "presidentOf", body.entity, s.nspan(m.start(), m.end()),
                              heads_body.rule_id, modality=mod, confidence=0.75)


@rule("name-club-paren.v1", produces=["playsFor", "headCoachOf", "formerPlayerOf", "formerHeadCoachOf"], examples=[
    "טל בן חיים (ספרטה פראג) עבר ניתוח בברך.",
    "בסגל נכללו דור פרץ (מכבי תל אביב) ומנור סולומון (טוטנהאם).",
], counter_examples=["דור פרץ עבר ניתוח (בבית החולים).", "מכבי חיפה (המקום השני) ניצחה."])
def name_club_paren(s: Sentence):
    """``<person> (<club>)``, the press's short form in lists and captions: he plays for
    the club (coaches it, if the catalogue knows him as its coach); ``(לשעבר <club>)``: former."""
    for m in re.finditer(rf"{PERSON_TOKEN}\s*\(\s*(?P<former>לשעבר\s+)?(?:ה)?«Club:(?P<o>\d+)»\s*\)", s.masked):
        person, club = s.mention(m, "p").entity, s.mention(m, "o").entity
        coach = club in s.ctx.catalog.fact_objects(person, "headCoachOf")
        relation = ("formerHeadCoachOf" if coach else "formerPlayerOf") if m.group("former") else \
            ("headCoachOf" if coach else "playsFor")
        yield s.ctx.claim(person, relation, club, s.nspan(m.start(), m.end()), name_club_paren.rule_id, confidence=0.75)


@rule("owner-context.v1", produces=["ownerOf", "presidentOf"], examples=[
    "מכבי חיפה הודיעה על מאמן חדש. יעקב שחר אמר שהמועדון ישקיע בתקציב.",
], counter_examples=["מכבי חיפה הודיעה על מאמן חדש. יעקב שחר צפה במשחק.",
                     "יעקב שחר אמר שהמועדון ישקיע בתקציב."])
def owner_context(s: Sentence):
    """An owner or chairman at work (the club's money, sale, management) in a sentence
    or article about a club holds that role when the catalogue has him in it at the
    article's date (any spell if undated); one who holds both is read in the role the
    sentence's words name (``היו"ר``: the chair), else as the owner."""
    if not re.search(rf"{B}(?:ו|ה|ב|ל|ש|מ)*(?:{alt(cues('roles')['owner_work'])})", s.masked):
        return
    ctx = s.ctx
    for m in re.finditer(PERSON_TOKEN, s.masked):
        person = s.mention(m, "p").entity
        nstart = s.nspan(m.start(), m.end())[0]
        if ctx.quote_at(nstart):
            continue
        mine = context_club(s)
        clubs = {mine} if mine else ({club} if (club := article_club(ctx)) else set())
        chair = re.search(rf"{B}(?:ו|ה|ב|ל|ש|מ)*(?:{alt(cues('roles')['chair_words'])})", s.masked)
        order = ("presidentOf", "ownerOf") if chair else ("ownerOf", "presidentOf")
        for relation in order:                  # an owner who also chairs: the one the words name
            known = [c for c in ctx.facts(person, relation) if c in clubs]
            if len(known) == 1:
                yield ctx.claim(person, relation, known[0], s.nspan(m.start(), m.end()), owner_context.rule_id,
                                confidence=0.5)
                break
