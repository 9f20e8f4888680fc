"""How fast is mention matching with the full catalogue?

Builds N synthetic Hebrew articles of about 4 KB from catalogue names and filler
sentences (written for this benchmark, not taken from any article), then times
``Matcher.match`` alone: the text is normalised beforehand and the automaton is
built once. Prints the catalogue load time, the automaton build time and
articles per second on one core.

    python bench/bench_matching.py --articles 1000
    KG_CATALOG=path/to/catalog python bench/bench_matching.py
"""

from __future__ import annotations

import argparse
import os
import random
import time

from kg.catalog import CATALOG_DIR, load_catalog
from kg.mentions import Matcher
from kg.normalize import normalize

FILLER = [
    "המשחק היה צמוד לאורך רוב הדקות, ושתי הקבוצות החמיצו הזדמנויות טובות לפני ההפסקה.",
    "אחרי ההפסקה הקצב עלה, והקהל ביציעים דחף את השחקנים קדימה עד השריקה האחרונה.",
    "בצוות המקצועי מודים שהכושר הגופני עדיין לא מספיק טוב, ומבטיחים שבועות עבודה קשים.",
    "הטבלה צפופה מתמיד, וכל נקודה במחזורים הקרובים עשויה להכריע את מאבק הצמרת.",
    "חלון ההעברות נפתח בעוד שבועיים, ובהנהלה כבר בוחנים כמה שמות לחיזוק ההגנה.",
    "הפציעה התבררה כקלה מהצפוי, והרופאים מעריכים שההיעדרות תימשך שבוע לכל היותר.",
    "המאמן ביצע שלושה חילופים בבת אחת, והמהלך שינה את פני המשחק בתוך דקות ספורות.",
    "בתום המפגש התכנסו השחקנים במרכז המגרש והודו לאוהדים שליוו אותם גם במשחק החוץ.",
]
TEMPLATES = [
    "{person} כבש פעמיים כש{club} גברה 1:3 על {club2} במחזור ה-{n}.",
    'המאמן {person} אמר אחרי המשחק: "אנחנו צריכים להשתפר בהגנה ולנצל טוב יותר את המצבים".',
    "{club} תארח בשבת את {club2} ב{stadium}, כשכל הכרטיסים כבר נמכרו.",
    "הקשר ה{demonym} {person} עבר ל{club} בעסקה של כמה מיליוני יורו.",
    "לדברי גורמים במועדון, {person} יחזור לאימונים בשבוע הבא אחרי פציעה קלה.",
    "{person} ו{person2} פתחו בהרכב של {club}, ו{surname} בישל את שער השוויון.",
    "בעיר {city} מחכים למשחק מול {club2} כבר חודשים, והמאמן {person} הבטיח התקפה.",
    "נבחרת {country} תפגוש את {club} במשחק ידידות ב{city} בחודש הבא.",
]


def names_by_type(catalog) -> dict[str, list]:
    out: dict[str, list] = {}
    for ent in catalog.entities.values():
        if ent.type != "Outlet":
            out.setdefault(ent.type, []).append(ent)
    return out


def synthetic_article(rng: random.Random, pools: dict[str, list], size: int) -> str:
    parts, length = [], 0
    while length < size:
        if rng.random() < 0.4:
            sentence = rng.choice(FILLER)
        else:
            person, person2 = rng.choice(pools["Person"]), rng.choice(pools["Person"])
            demonyms = [d for c in pools["Country"] for d in c.demonym_he] or ["זר"]
            sentence = rng.choice(TEMPLATES).format(
                person=person.he, person2=person2.he, surname=person.he.split()[-1],
                club=rng.choice(pools["Club"]).he, club2=rng.choice(pools["Club"]).he,
                stadium=rng.choice(pools["Stadium"]).he, city=rng.choice(pools["City"]).he,
                country=rng.choice(pools["Country"]).he, demonym=rng.choice(demonyms),
                n=rng.randint(1, 36),
            )
        parts.append(sentence)
        length += len(sentence.encode("utf-8")) + 1
        if rng.random() < 0.2:
            parts.append("\n\n")
    return " ".join(parts)


def one_core() -> str:
    if hasattr(os, "sched_setaffinity"):
        core = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {core})
        return f"pinned to core {core}"
    return "not pinned (no sched_setaffinity)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000, help="How many synthetic articles.")
    parser.add_argument("--size", type=int, default=4096, help="Article size in bytes (UTF-8).")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--catalog", default=os.environ.get("KG_CATALOG") or str(CATALOG_DIR))
    args = parser.parse_args()
    print(one_core())

    t0 = time.perf_counter()
    catalog = load_catalog(args.catalog)
    t1 = time.perf_counter()
    matcher = Matcher(catalog)
    t2 = time.perf_counter()
    print(f"catalogue: {len(catalog.entities)} entities, {len(catalog.aliases)} alias keys, "
          f"loaded in {t1 - t0:.3f} s")
    print(f"automaton built in {t2 - t1:.3f} s")

    rng = random.Random(args.seed)
    pools = names_by_type(catalog)
    texts = [synthetic_article(rng, pools, args.size) for _ in range(args.articles)]
    normed = [(normalize(t), t) for t in texts]
    mean_kb = sum(len(t.encode("utf-8")) for t in texts) / len(texts) / 1024

    matcher.match(*normed[0])  # warm-up: cue lexicons, first allocations
    mentions = 0
    start = time.perf_counter()
    for norm, raw in normed:
        mentions += len(matcher.match(norm, raw))
    elapsed = time.perf_counter() - start
    print(f"matched {len(texts)} articles of {mean_kb:.1f} KB ({mentions / len(texts):.0f} mentions each) "
          f"in {elapsed:.3f} s: {len(texts) / elapsed:,.0f} articles/s on one core")


if __name__ == "__main__":
    main()
