"""A seeded corpus of distinct synthetic articles for the ingest benchmarks.

Every sentence here was written for this benchmark (no text from any web page);
the names come from the catalogue, so the rules find real entities: match
reports with scores, quotes with their speakers, transfers, coach changes and
injuries, mixed with filler. Each article gets its own URL (an outlet's
numbered article, so its IRI is ``fka:<outlet>-<id>``), a date header, and its
own draw of entities, scores and sentences: no two articles are the same.

    python bench/corpus.py /tmp/corpus --articles 10000 --seed 0
"""

from __future__ import annotations

import argparse
import random
from datetime import date, timedelta
from pathlib import Path

OUTLETS = ("www.one.co.il/Article/{n}.html", "www.sport5.co.il/articles.aspx?FolderID=64&docID={n}",
           "www.ynet.co.il/sport/worldsoccer/article/{n}", "sports.walla.co.il/item/{n}",
           "www.israelhayom.co.il/sport/israeli-soccer/article/{n}")

FILLER = (
    "הקצב במחצית הראשונה היה איטי, ושתי הקבוצות נזהרו מלהסתכן בהתקפות.",
    "אחרי ההפסקה השתנתה התמונה, והקהל דחף את הקבוצה המארחת עד הדקה האחרונה.",
    "בצוות המקצועי יודעים שהסגל צר מדי לשלוש מסגרות, ומחכים לחלון ההעברות.",
    "הטבלה צפופה, וכל נקודה במחזורים הבאים תכריע את המאבק על הכרטיס לאירופה.",
    "האימון של הבוקר נפתח באיחור קל בגלל הגשם, והשחקנים עבדו בעיקר על מצבים נייחים.",
    "על הדשא הכבד קשה היה לבנות התקפות מסודרות, והכדורים הארוכים שלטו במשחק.",
    "האוהדים שהגיעו בהמוניהם יצאו מאוכזבים מהמשחק ההתקפי, אבל מחאו כפיים בסיום.",
    "ההנהלה מקווה לסגור את התקציב לעונה הבאה עד סוף החודש.",
    "במועדון מדברים על תוכנית לשלוש שנים, עם דגש על שחקני המחלקה הצעירה.",
    "השופט נזקק לעזרת המסך פעמיים, ובשתיהן שינה את החלטתו המקורית.",
)

SENTENCES = (
    "{club} ניצחה {hs}:{as_} את {club2} במחזור ה-{round} של {league}.",
    "{club} ו{club2} נפרדו ב-{hs}:{hs}.",
    "{club} נכנעה {as_}:{hs} ל{club2} אחרי משחק צמוד.",
    '"{line}", אמר {person} אחרי המשחק.',
    '{coach} אמר במסיבת העיתונאים: "{line}".',
    '"{line}", הוסיף {person2}.',
    "{person} עבר מ{club} ל{club2} בעסקה של {fee} מיליון יורו.",
    "הקשר {person} חתם ב{club} על חוזה לשלוש שנים.",
    "{club} מינתה היום את {coach} למאמן הקבוצה.",
    "{club2} הודיעה הבוקר על פיטוריו של המאמן {coach2}.",
    "{person} נפצע בברך באימון, ויחמיץ את המשחק מול {club2}.",
    "{person2}, ששיחק בעבר ב{club}, חזר השבוע לאימונים.",
    "{person} כבש פעמיים בדקות ה-{m1} וה-{m2}, ו{club} עלתה למקום ה-{pos}.",
    "{person} הושאל ל{club2} עד סוף העונה.",
    "{club} של {coach} תארח ביום {day} את {club2} ב{stadium}.",
)

LINES = (
    "אנחנו צריכים להשתפר בהגנה ולנצל את המצבים שלנו",
    "זה ניצחון של כל הקבוצה, לא של שחקן אחד",
    "אני לא מסתכל על הטבלה, אני מסתכל על המשחק הבא",
    "השחקנים נתנו הכל, ואין לי טענות לאף אחד",
    "קשה להפסיד ככה, אבל העונה עוד ארוכה",
    "הקהל היה השחקן השנים עשר שלנו הערב",
    "אני מרגיש מצוין וחוזר לכושר מהר מהצפוי",
)
DAYS = ("ראשון", "שני", "שלישי", "רביעי", "חמישי", "שישי", "שבת")


def pools(catalog) -> dict[str, list[str]]:
    """Hebrew names by catalogue type (the ones the templates use)."""
    out: dict[str, list[str]] = {}
    for ent in sorted(catalog.entities.values(), key=lambda e: e.slug):
        out.setdefault(ent.type, []).append(ent.he)
    leagues = [n for n in out.get("League", []) + out.get("Competition", []) if n.startswith("ליג")]
    return {"Person": out["Person"], "Club": out["Club"], "Stadium": out["Stadium"],
            "League": leagues or ["ליגת העל"]}


def article(rng: random.Random, names: dict[str, list[str]], i: int, start: date = date(2024, 8, 1)) -> str:
    """The ``i``-th article's text (header included), about 3-4 KB."""
    url = "https://" + OUTLETS[i % len(OUTLETS)].format(n=100000 + i)
    day = start + timedelta(days=rng.randrange(600))
    pick = {k: (lambda v=v: rng.choice(v)) for k, v in names.items()}
    paragraphs, size = [], 0
    while size < 3000:
        sentences = []
        for _ in range(rng.randint(2, 4)):
            if rng.random() < 0.3:
                sentences.append(rng.choice(FILLER))
                continue
            hs, as_ = rng.randint(0, 5), rng.randint(0, 4)
            sentences.append(rng.choice(SENTENCES).format(
                club=pick["Club"](), club2=pick["Club"](), person=pick["Person"](), person2=pick["Person"](),
                coach=pick["Person"](), coach2=pick["Person"](), stadium=pick["Stadium"](),
                league=pick["League"](), hs=max(hs, as_ + 1), as_=as_, round=rng.randint(1, 36),
                line=rng.choice(LINES), fee=rng.randint(1, 40), m1=rng.randint(2, 44),
                m2=rng.randint(46, 90), pos=rng.randint(1, 14), day=rng.choice(DAYS)))
        paragraph = " ".join(sentences)
        paragraphs.append(paragraph)
        size += len(paragraph.encode("utf-8"))
    return f"url {url}\n date {day.isoformat()} " + "\n\n".join(paragraphs) + "\n"


def write_corpus(folder: str | Path, count: int, seed: int = 0, catalog=None) -> list[Path]:
    """``count`` article files ``folder/NNNNNN.txt`` (the same files for the same seed)."""
    from kg.catalog import default_catalog

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    rng, names = random.Random(seed), pools(catalog or default_catalog())
    files = []
    for i in range(count):
        path = folder / f"{i:06d}.txt"
        path.write_text(article(rng, names, i), encoding="utf-8")
        files.append(path)
    return files


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder")
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    files = write_corpus(args.folder, args.articles, args.seed)
    print(f"wrote {len(files)} articles to {args.folder}")


if __name__ == "__main__":
    main()
