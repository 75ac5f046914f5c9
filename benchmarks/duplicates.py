"""Precision and recall of story linking on republished real articles and templated look-alikes.

    tar -xJf ../shared/eval/dragnet.tar.xz -C "$(mktemp -d)"   # then:
    .venv/bin/python benchmarks/duplicates.py /tmp/tmp.XXXX/dragnet_data [--threshold 0.6] [--seed 7]

The labelled set, built in memory from the Dragnet gold texts (never written into the repository):
- each article as its original site published it (title = first line, body = the rest, source =
  the host of the page's canonical URL, so pages of one site share a source);
- 1-3 republished copies on other sites, each with a random mix of what real copies do: another
  headline, the last paragraph trimmed (when it is at most a quarter of the text), a paragraph
  added, a promo line inserted, seed-style junk lines ("source site-28", "Leave a Reply", "3 min
  read", …), paragraphs merged by another template, typography changed, published hours to days
  later or undated;
- five pairs the corpus itself holds twice (the same AP, CP or Reuters story on two sites or twice
  on one), read and labelled by hand; every other pair of gold texts counts as different news, also
  where a site's furniture makes two of its pages alike;
- templated stories (football results, market reports, weather, lottery draws) that share most of
  their words but are different news, several on the same day and between the same teams — plus
  republished copies of some of them, which are the same news.

Everything is linked through the production code (crawler.dedup.linking.StoryLinker over a temporary
SQLite index, in shuffled order) and scored pairwise: a pair of documents is predicted linked when
they end up with the same story_id, truly linked when they are the same news. Also printed: how
often duplicate_of names the truly earliest member, and the same run without the facts guard.
"""

from __future__ import annotations

import argparse
import itertools
import random
import re
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from crawler.archive import open_db  # noqa: E402
from crawler.archive.stories import SqliteStoryIndex, story_links  # noqa: E402
from crawler.dedup.facts import StoryFacts, StoryGuard  # noqa: E402
from crawler.dedup.linking import DEFAULT_THRESHOLD, StoryLinker  # noqa: E402

SEED_ARTICLE = ROOT.parent / "shared" / "seed-article.txt"
# Gold texts the corpus holds twice: the same wire story on two sites (read and checked by hand).
NATURAL_COPIES = [("44", "9"), ("R419", "R420"), ("R491", "R492"), ("T146", "T77"), ("T162", "T177")]
MIN_WORDS = 60


@dataclass
class Doc:
    doc_id: str
    truth: str  # the true story
    source: str
    title: str
    blocks: list[str]
    published_at: datetime | None
    kind: str  # "original", "copy", "templated", "templated-copy", "natural"
    variations: tuple[str, ...] = ()

    @property
    def published_text(self) -> str | None:
        return self.published_at.isoformat() if self.published_at else None


@dataclass
class Scores:
    true_pairs: int = 0
    predicted_pairs: int = 0
    correct_pairs: int = 0
    missed: Counter[str] = field(default_factory=Counter)
    by_kind: defaultdict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    false_links: Counter[str] = field(default_factory=Counter)

    @property
    def precision(self) -> float:
        return self.correct_pairs / self.predicted_pairs if self.predicted_pairs else 1.0

    @property
    def recall(self) -> float:
        return self.correct_pairs / self.true_pairs if self.true_pairs else 1.0


# --- the labelled set ----------------------------------------------------------------------------

JUNK_LINES = [
    "source site-{n}",
    "Leave a Reply",
    "Share this article",
    "{k} min read",
    "Advertisement",
    "Ausgegeben am:",
    "3 Minuten",
    "Related articles",
    "Click to share on Twitter (Opens in new window)",
    "{k} Comments",
    "© {year} {site}. All rights reserved.",
    "Posted in World News | Tagged news, world",
]
PROMOS = [
    "Get the latest headlines from {site} delivered to your inbox every morning: sign up for our free newsletter.",
    "Download the {site} app for breaking news alerts on your phone.",
    "Support independent journalism: subscribe to {site} today and read without limits.",
    "Follow {site} on Facebook and Twitter for more stories like this one.",
]
SITE_NAMES = [
    "The Morning Ledger",
    "Metro Courier",
    "Daily Dispatch",
    "News Hub",
    "The Herald Online",
    "World Wire Now",
    "City Times",
    "The Bulletin",
    "Global Post Today",
    "Headline Daily",
    "The Observer Net",
    "Newsline",
]
ADDED_PARAGRAPHS = [
    "This article was originally published elsewhere and is republished here with permission.",
    "Editor's note: this story has been updated with additional reporting from our correspondents.",
    "{site} contributed to this report. Additional reporting by staff writers.",
    "Read more about this topic in our special section, updated every day with the latest developments.",
]


SITE_URL = re.compile(r"""(?:og:url["']?\s+content|rel=["']?canonical["']?\s+href)=["']?https?://([^/"']+)""", re.I)


def site_of(dataset: Path, doc_id: str) -> str:
    """The host the page came from (its canonical or og:url), so pages of one site share a source."""
    path = dataset / "input" / f"{doc_id}.html"
    if path.exists():
        found = SITE_URL.search(path.read_text(encoding="utf-8", errors="replace"))
        if found:
            return found.group(1).lower().removeprefix("www.")
    return f"gold-{doc_id}"


def read_gold(dataset: Path) -> dict[str, tuple[str, list[str]]]:
    """id -> (title, body paragraphs) of each gold text long enough to be an article."""
    articles: dict[str, tuple[str, list[str]]] = {}
    for path in sorted((dataset / "GoldStandard").glob("*.txt")):
        lines = [
            re.sub(r"\s+", " ", line).strip()
            for line in path.read_text(encoding="utf-8", errors="replace").splitlines()
        ]
        lines = [line for line in lines if line]
        if len(lines) < 3 or sum(len(line.split()) for line in lines[1:]) < MIN_WORDS:
            continue
        articles[path.stem] = (lines[0][:200], lines[1:])
    return articles


def republish(doc: Doc, copy_number: int, rng: random.Random, others: list[str]) -> Doc:
    """A copy of ``doc`` on another site, with a random mix of what real copies do."""
    number = rng.randint(1, 99)
    site = f"site-{number}"
    # Real sites have names, not numbers: a number in a promo line is a fact the guard would weigh.
    fill = {"site": SITE_NAMES[number % len(SITE_NAMES)], "n": number, "k": rng.randint(2, 9), "year": 2012}
    blocks = list(doc.blocks)
    title = doc.title
    done: list[str] = []
    if rng.random() < 0.6:
        title = rng.choice(
            [
                f"BREAKING: {title}",
                f"{title} | {fill['site']}",
                " ".join(title.split()[: max(3, len(title.split()) // 2)]) + " …",
                f"Report: {title.lower()}",
                f"What we know: {rng.choice(others)[:80]}",
            ]
        )
        done.append("headline")
    # Trimming the last paragraph of a text whose "last paragraph" is most of it (a gold file with
    # the whole article on one line) would be a different page, not a trimmed copy.
    if rng.random() < 0.5 and len(blocks) > 3 and len(blocks[-1]) <= 0.25 * sum(len(b) for b in blocks):
        blocks = blocks[:-1]
        done.append("trimmed")
    if rng.random() < 0.3:
        blocks.append(rng.choice(ADDED_PARAGRAPHS).format(**fill))
        done.append("added-paragraph")
    if rng.random() < 0.5:
        blocks.insert(rng.randint(1, max(1, len(blocks) - 1)), rng.choice(PROMOS).format(**fill))
        done.append("promo")
    if rng.random() < 0.7:
        for _ in range(rng.randint(1, 3)):
            line = rng.choice(JUNK_LINES).format(**fill)
            blocks.insert(0 if rng.random() < 0.4 else len(blocks), line)
        done.append("junk")
    if rng.random() < 0.3:
        blocks = [" ".join(blocks[i : i + 2]) for i in range(0, len(blocks), 2)]
        done.append("merged-paragraphs")
    if rng.random() < 0.3:
        blocks = [b.replace('"', "“").replace("'", "’") for b in blocks]
        done.append("typography")
    published: datetime | None = None
    if doc.published_at is not None and rng.random() < 0.9:
        published = doc.published_at + timedelta(hours=rng.uniform(0.2, 72))
    else:
        done.append("undated")
    return Doc(
        f"{doc.doc_id}~{copy_number}",
        doc.truth,
        site,
        title,
        blocks,
        published,
        "templated-copy" if doc.kind == "templated" else "copy",
        tuple(done),
    )


TEAMS = ["Riverside United", "Northgate City", "Eastbrook Rovers", "Westfield Athletic", "Harbour Town"]
CITIES = ["Hamburg", "Lyon", "Leeds"]
INDICES = ["DAX", "CAC 40"]
COMPANIES = ["Siemens", "Airbus", "BASF", "Renault", "Bayer", "Danone"]


# What every page of a series repeats: it makes instances share most of their words (Jaccard 0.6-0.9),
# so only their facts tell them apart.
SERIES_TEXT = {
    "football": [
        "Match reports are compiled from the official league data feed and checked by our sports desk before "
        "publication. Kick-off times, venues and broadcast details can be found on the fixtures page, which is "
        "updated every morning during the season.",
        "Supporters travelling to away matches are advised to check ticket availability with the home club in "
        "advance, as allocations for visiting fans are limited and tickets are not sold on the day at most grounds.",
    ],
    "markets": [
        "Market data is provided by the exchange with a delay of at least fifteen minutes and is for information "
        "only. Nothing in this report constitutes investment advice, and readers should consult a licensed adviser "
        "before making any investment decision.",
        "The index tracks the largest listed companies by market capitalisation and free float, and its "
        "composition is reviewed every quarter by the index committee according to published rules.",
    ],
    "weather": [
        "Forecasts are produced from the national weather service's models and updated four times a day. Severe "
        "weather warnings are issued separately and take precedence over the general outlook given here.",
        "Residents with respiratory conditions should follow the advice of their doctor on days with high pollen "
        "counts or poor air quality, and check the air quality index published every morning.",
    ],
    "lottery": [
        "All results are subject to official confirmation by the lottery operator. In the event of any discrepancy "
        "between these results and the official winning numbers, the official numbers shall prevail.",
        "Players must be eighteen or over. Please play responsibly: set a budget, never chase losses, and contact "
        "the national gambling helpline if gambling stops being fun.",
    ],
}


def templated(rng: random.Random, kind: str, day: datetime) -> tuple[str, list[str]]:
    """One instance of a templated story: same words every time, other facts."""
    r = rng.randint
    weekday = day.strftime("%A")
    date = f"{day.day} {day.strftime('%B')}"
    if kind == "football":
        home, away = rng.sample(TEAMS[:3], 2)
        hs, as_ = r(1, 5), r(0, 3)
        return f"{home} beat {away} {hs}-{as_} on {weekday}", [
            f"{home} beat {away} {hs}-{as_} at home on {weekday} to move up to {r(1, 18)}th place in the league table.",
            f"The hosts opened the scoring in the {r(2, 40)}th minute with a low shot from the edge of the area, "
            f"and doubled the lead {r(1, 20)} minutes after the break when a header found the far corner.",
            f"{away} pulled one back in the {r(60, 88)}th minute but could not find an equaliser despite late "
            "pressure, with their goalkeeper joining the attack for a corner in stoppage time.",
            f"A crowd of {r(8, 40)},{r(100, 999)} saw the home side keep their unbeaten home record this season, "
            f"with {r(3, 9)} wins from {r(9, 12)} games, while the visitors have now lost {r(2, 5)} of their last "
            f"{r(6, 8)} matches.",
            f"The two sides meet again in the cup on {date}, when the manager expects to have his captain back "
            "from injury.",
            *SERIES_TEXT["football"],
        ]
    if kind == "markets":
        index = rng.choice(INDICES)
        up = rng.random() < 0.5
        value = f"{r(14, 16)},{r(100, 999)}.{r(10, 99)}"
        return f"{index} closes {'higher' if up else 'lower'} at {value} points", [
            f"The {index} closed {'up' if up else 'down'} {r(1, 3)}.{r(0, 9)} percent at {value} points on "
            f"{weekday}, as investors weighed central bank comments and the latest company results.",
            f"Trading volume was {r(60, 140)} million shares, close to the 30-day average of {r(80, 110)} million.",
            f"Shares of {rng.choice(COMPANIES)} led the gainers, rising {r(1, 6)}.{r(0, 9)} percent to "
            f"{r(20, 200)}.{r(10, 99)} euros, while {rng.choice(COMPANIES)} fell {r(1, 5)}.{r(0, 9)} percent to "
            f"{r(20, 200)}.{r(10, 99)} euros after a cautious outlook.",
            f"The euro traded at 1.{r(10, 30)}{r(0, 9)} dollars. Brent crude was at {r(70, 95)}.{r(10, 99)} dollars "
            f"a barrel and the yield on ten-year government bonds stood at {r(1, 4)}.{r(10, 99)} percent.",
            f"Analysts said the index could test the {r(14, 17)},000 mark in the coming weeks if company earnings "
            "continue to beat expectations.",
            *SERIES_TEXT["markets"],
        ]
    if kind == "weather":
        city = rng.choice(CITIES)
        return f"{city} weather for {weekday}, {date}", [
            f"{city} weather for {weekday}, {date}: cloudy skies in the morning, with sunny spells expected later "
            "in the day and a few showers possible in the evening.",
            f"Temperatures will reach a high of {r(12, 30)} degrees and fall to {r(2, 15)} degrees overnight, "
            f"with winds from the west at {r(5, 40)} kilometres per hour and gusts of up to {r(40, 80)}.",
            f"The chance of rain is {r(10, 90)} percent. Sunrise is at 6:{r(10, 59)} and sunset at 20:{r(10, 59)}; "
            f"the UV index will be {r(1, 8)}.",
            f"Looking ahead, the weekend will bring more of the same with highs around {r(12, 30)} degrees and "
            "light winds, before a cooler spell at the start of next week.",
            *SERIES_TEXT["weather"],
        ]
    numbers = sorted(rng.sample(range(1, 50), 6))
    return f"Lottery results for {weekday}, {date}", [
        f"The winning numbers in {weekday}'s Lotto draw on {date} were {numbers[0]}, {numbers[1]}, "
        f"{numbers[2]}, {numbers[3]}, {numbers[4]} and {numbers[5]}, with bonus ball {r(1, 49)}.",
        f"No ticket matched all six numbers, so the jackpot rolls over to an estimated {r(3, 20)} million "
        "for the next draw.",
        f"{r(2, 30)} tickets matched five numbers plus the bonus ball and win {r(20, 90)},000 each, while "
        f"{r(100, 900)} tickets matched five numbers.",
        "Players are reminded to check their tickets carefully and to claim any prizes within 180 days of the "
        "draw, either online or at any authorised retailer.",
        *SERIES_TEXT["lottery"],
    ]


def build(dataset: Path, rng: random.Random) -> list[Doc]:
    gold = read_gold(dataset)
    titles = [title for title, _ in gold.values()]
    natural = {b: a for a, b in NATURAL_COPIES}
    base = datetime(2012, 7, 1, tzinfo=UTC)
    days = {doc_id: rng.uniform(0, 180) for doc_id in gold}
    docs: list[Doc] = []
    for doc_id, (title, blocks) in gold.items():
        truth = natural.get(doc_id, doc_id)
        # The two sites of a natural copy published the wire story within hours of each other.
        day = days[truth] + (rng.uniform(0, 0.5) if truth != doc_id else 0.0)
        published = base + timedelta(days=day) if rng.random() < 0.95 else None
        kind = "natural" if doc_id in natural or doc_id in dict(NATURAL_COPIES) else "original"
        original = Doc(doc_id, truth, site_of(dataset, doc_id), title, blocks, published, kind)
        docs.append(original)
        if doc_id in natural:
            continue
        for number in range(rng.randint(1, 3)):
            docs.append(republish(original, number, rng, titles))
    if SEED_ARTICLE.exists():
        lines = [line.strip() for line in SEED_ARTICLE.read_text(encoding="utf-8").splitlines() if line.strip()]
        seed = Doc("seed", "seed", "france24", lines[0], lines[1:], datetime(2023, 9, 15, 8, tzinfo=UTC), "original")
        docs.append(seed)
        docs.extend(republish(seed, number, rng, titles) for number in range(3))
    day0 = datetime(2012, 9, 1, 15, tzinfo=UTC)
    for kind in ("football", "markets", "weather", "lottery"):
        for number in range(40):
            # Ten days, four per day: same-day and same-week instances share the date guard's window.
            when = day0 + timedelta(days=number // 4, minutes=number % 4)
            title, blocks = templated(rng, kind, when)
            doc = Doc(f"{kind}-{number}", f"{kind}-{number}", "templated-news", title, blocks, when, "templated")
            docs.append(doc)
            if rng.random() < 0.35:
                docs.append(republish(doc, 0, rng, titles))
    return docs


# --- linking and scoring -------------------------------------------------------------------------


def link_all(
    docs: list[Doc], threshold: float, guard: StoryGuard, directory: Path
) -> dict[str, tuple[str, str | None]]:
    db = open_db(directory / "stories.db")
    linker = StoryLinker(SqliteStoryIndex(db), threshold=threshold, guard=guard)
    for doc in docs:
        entry = linker.entry(
            doc.doc_id, title=doc.title, blocks=doc.blocks, published_at=doc.published_text, source=doc.source
        )
        linker.link(entry)
    links = {doc.doc_id: story_links(db, doc.doc_id) for doc in docs}
    db.close()
    return {key: value for key, value in links.items() if value is not None}


def pairs(groups: dict[str, list[str]]) -> Iterator[tuple[str, str]]:
    for members in groups.values():
        yield from itertools.combinations(sorted(members), 2)


def score(docs: list[Doc], links: dict[str, tuple[str, str | None]]) -> Scores:
    by_id = {doc.doc_id: doc for doc in docs}
    truth: dict[str, list[str]] = defaultdict(list)
    predicted: dict[str, list[str]] = defaultdict(list)
    for doc in docs:
        truth[doc.truth].append(doc.doc_id)
        predicted[links[doc.doc_id][0]].append(doc.doc_id)
    true_pairs = set(pairs(truth))
    predicted_pairs = set(pairs(predicted))
    scores = Scores(len(true_pairs), len(predicted_pairs), len(true_pairs & predicted_pairs))
    for a, b in true_pairs:
        kind = (
            "templated"
            if by_id[a].kind.startswith("templated")
            else "natural"
            if by_id[a].kind == "natural"
            else "news"
        )
        scores.by_kind[kind][0] += 1
        scores.by_kind[kind][1] += (a, b) in predicted_pairs
    for a, b in true_pairs - predicted_pairs:
        copy = by_id[b] if by_id[b].kind.endswith("copy") else by_id[a]
        for variation in copy.variations or (copy.kind,):
            scores.missed[variation] += 1
    for a, b in predicted_pairs - true_pairs:
        scores.false_links[f"{by_id[a].kind}+{by_id[b].kind}"] += 1
    return scores


def earliest_accuracy(docs: list[Doc], links: dict[str, tuple[str, str | None]]) -> tuple[int, int]:
    """Among documents whose whole true story was linked together: how many name the truly earliest
    member as duplicate_of (None for that member itself)."""
    stories: dict[str, list[Doc]] = defaultdict(list)
    for doc in docs:
        stories[doc.truth].append(doc)
    right = total = 0
    for members in stories.values():
        if len({links[d.doc_id][0] for d in members}) != 1 or len(members) < 2:
            continue
        dated = [d for d in members if d.published_at is not None]
        if not dated:
            continue
        earliest = min(dated, key=lambda d: d.published_at or datetime.max.replace(tzinfo=UTC)).doc_id
        for doc in members:
            total += 1
            right += links[doc.doc_id][1] == (None if doc.doc_id == earliest else earliest)
    return right, total


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("dataset", type=Path, help="the unpacked dragnet_data directory (or its parent)")
    parser.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD, help="INGEST_NEAR_DUPLICATE_THRESHOLD")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    dataset = args.dataset if (args.dataset / "GoldStandard").is_dir() else args.dataset / "dragnet_data"
    if not (dataset / "GoldStandard").is_dir():
        parser.error(f"{args.dataset}: no GoldStandard/ directory (unpack dragnet.tar.xz first)")
    rng = random.Random(args.seed)
    docs = build(dataset, rng)
    rng.shuffle(docs)  # copies often arrive before their original
    kinds = Counter(doc.kind for doc in docs)
    print(f"documents: {len(docs)} ({', '.join(f'{k} {v}' for k, v in sorted(kinds.items()))})")
    print(f"stories: {len({doc.truth for doc in docs})}; threshold {args.threshold}; scoring: pairwise")
    for label, guard in (("with facts guard", StoryGuard()), ("without facts guard", NoGuard())):
        started = time.perf_counter()
        with tempfile.TemporaryDirectory() as directory:
            links = link_all(docs, args.threshold, guard, Path(directory))
        elapsed = time.perf_counter() - started
        scores = score(docs, links)
        right, total = earliest_accuracy(docs, links)
        print(
            f"{label:>20}: precision {scores.precision:.4f}  recall {scores.recall:.4f}  "
            f"(true pairs {scores.true_pairs}, predicted {scores.predicted_pairs}, correct {scores.correct_pairs}); "
            f"duplicate_of right {right}/{total}; {elapsed / len(docs) * 1000:.2f} ms/article"
        )
        recall_by_kind = ", ".join(f"{k} {found}/{total}" for k, (total, found) in sorted(scores.by_kind.items()))
        print(f"{'':>22}true pairs linked, by story kind: {recall_by_kind}")
        if scores.missed:
            print(f"{'':>22}missed pairs by variation: {dict(scores.missed.most_common())}")
        if scores.false_links:
            print(f"{'':>22}false links by kind: {dict(scores.false_links.most_common())}")
    return 0


class NoGuard(StoryGuard):
    """Lets every similar pair through: shows what the facts guard is worth."""

    def same_story(self, a: StoryFacts, b: StoryFacts) -> bool:
        return True


if __name__ == "__main__":
    sys.exit(main())
