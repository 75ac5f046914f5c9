from __future__ import annotations

import json

import pytest
from sqlite_utils import Database

from crawler.archive import stories
from crawler.archive.connection import write_transaction
from crawler.archive.stories import SqliteStoryIndex
from crawler.dedup.fingerprint import MinHasher
from crawler.dedup.linking import Link, Match, StoryLinker
from tests.dedup.samples import WIRE, WIRE_TITLE, scraper_copy, series

EARLY = "2023-09-15T08:00:00+00:00"
LATER = "2023-09-15T12:00:00+00:00"
NEXT_DAY = "2023-09-16T09:00:00+00:00"


def link(
    linker: StoryLinker,
    article_id: str,
    title: str,
    blocks: list[str],
    published: str | None = EARLY,
    source: str = "wire",
) -> Link:
    return linker.link(linker.entry(article_id, title=title, blocks=blocks, published_at=published, source=source))


def store(db: Database, article_id: str, source: str = "wire", **columns: object) -> None:
    """A stored articles row, as storage would have written it."""
    db.table("articles").insert({"id": article_id, "source": source, "body": "x", **columns})


def test_first_article_starts_a_story(db: Database) -> None:
    result = link(StoryLinker(SqliteStoryIndex(db)), "a", WIRE_TITLE, WIRE)
    assert result == Link("a", None, Match.NEW_STORY)
    assert stories.story_links(db, "a") == ("a", None)


def test_exact_copy_on_another_site_joins_the_story(db: Database) -> None:
    linker = StoryLinker(SqliteStoryIndex(db))
    link(linker, "a", WIRE_TITLE, WIRE)
    typography = [block.replace("'", "’").upper() for block in WIRE]
    result = link(linker, "b", "Another headline", typography, LATER, source="scraper")
    assert (result.story_id, result.duplicate_of, result.match) == ("a", "a", Match.EXACT)


def test_scraper_copy_joins_the_story(db: Database) -> None:
    linker = StoryLinker(SqliteStoryIndex(db))
    link(linker, "original", WIRE_TITLE, WIRE)
    title, blocks = scraper_copy()
    result = link(linker, "copy", title, blocks, NEXT_DAY, source="scraper")
    assert result.match is Match.NEAR
    assert result.matched == "original"
    assert (result.story_id, result.duplicate_of) == ("original", "original")
    assert result.similarity is not None and result.similarity >= 0.6


def test_unrelated_articles_are_separate_stories(db: Database) -> None:
    linker = StoryLinker(SqliteStoryIndex(db))
    link(linker, "a", WIRE_TITLE, WIRE[:4])
    assert link(linker, "b", "Other news", WIRE[4:]).match is Match.NEW_STORY


@pytest.mark.parametrize(
    ("kind", "first", "second"),
    [
        ("football", {"a": 2, "b": 1}, {"a": 0, "b": 3}),
        ("markets", {"a": 15, "b": 432}, {"a": 15, "b": 518}),
        ("lottery", {"a": 4, "b": 12, "pos": 19, "m": 33}, {"a": 5, "b": 11, "pos": 20, "m": 38}),
        ("weather", {"a": 21, "b": 12, "day": "Saturday"}, {"a": 24, "b": 14, "day": "Sunday"}),
    ],
)
def test_templated_stories_stay_separate_but_their_copies_join(
    db: Database, kind: str, first: dict[str, object], second: dict[str, object]
) -> None:
    linker = StoryLinker(SqliteStoryIndex(db))
    title_a, blocks_a = series(kind, **first)
    title_b, blocks_b = series(kind, **second)
    assert link(linker, "a", title_a, blocks_a, EARLY, "paper").match is Match.NEW_STORY
    assert link(linker, "b", title_b, blocks_b, NEXT_DAY, "paper").match is Match.NEW_STORY
    copy = link(linker, "a-copy", f"{title_a} | Scores", [*blocks_a, "Leave a Reply"], LATER, "scraper")
    assert (copy.story_id, copy.duplicate_of) == ("a", "a")


def test_reindexing_the_same_article_changes_nothing(db: Database) -> None:
    linker = StoryLinker(SqliteStoryIndex(db))
    link(linker, "a", WIRE_TITLE, WIRE)
    link(linker, "b", WIRE_TITLE, WIRE[:-1], LATER, "scraper")
    tables = ("story_signatures", "story_buckets")
    before = {table: list(db[table].rows) for table in tables}
    again = link(linker, "b", WIRE_TITLE, WIRE[:-1], LATER, "scraper")
    assert again == Link("a", "a", Match.KNOWN)
    assert {table: list(db[table].rows) for table in tables} == before


def test_a_changed_body_replaces_the_articles_rows(db: Database) -> None:
    linker = StoryLinker(SqliteStoryIndex(db))
    link(linker, "a", WIRE_TITLE, WIRE)
    link(linker, "b", WIRE_TITLE, WIRE, LATER, "scraper")
    member = db.execute("SELECT id FROM story_signatures WHERE article_id = 'b'").fetchone()[0]
    result = link(linker, "b", WIRE_TITLE, [*WIRE, "An update paragraph added by the site later on."], LATER, "scraper")
    assert result.match is Match.KNOWN
    assert result.story_id == "a"
    assert db.execute("SELECT id FROM story_signatures WHERE article_id = 'b'").fetchone()[0] == member
    buckets = db.execute("SELECT count(*) FROM story_buckets WHERE member = ?", [member]).fetchone()[0]
    assert buckets == linker.banding.bands


def test_a_changed_article_alone_in_its_story_may_join_another(db: Database) -> None:
    linker = StoryLinker(SqliteStoryIndex(db))
    link(linker, "a", WIRE_TITLE, WIRE)
    assert link(linker, "b", "Broken page", ["Please enable JavaScript to view this page properly."]).story_id == "b"
    moved = link(linker, "b", WIRE_TITLE, WIRE[:-1], LATER, "scraper")
    assert (moved.story_id, moved.duplicate_of) == ("a", "a")


def test_duplicate_of_points_at_the_earliest_published(db: Database) -> None:
    linker = StoryLinker(SqliteStoryIndex(db))
    store(db, "late", published_at=LATER)
    assert link(linker, "late", WIRE_TITLE, WIRE, LATER).duplicate_of is None
    store(db, "later", source="scraper")
    assert link(linker, "later", WIRE_TITLE, WIRE[:-1], NEXT_DAY, "scraper").duplicate_of == "late"
    # An earlier copy turns up: everything stored points at it now, including the story's founder.
    early = link(linker, "early", WIRE_TITLE, WIRE[1:], EARLY, "paper")
    assert (early.story_id, early.duplicate_of) == ("late", None)
    rows = {row["id"]: (row["story_id"], row["duplicate_of"]) for row in db.table("articles").rows}
    assert rows == {"late": ("late", "early"), "later": ("late", "early")}
    assert stories.story_links(db, "late") == ("late", "early")
    assert stories.story_links(db, "early") == ("late", None)


def test_ties_go_to_the_first_indexed_and_undated_come_last(db: Database) -> None:
    linker = StoryLinker(SqliteStoryIndex(db))
    link(linker, "undated", WIRE_TITLE, WIRE, None)
    link(linker, "first", WIRE_TITLE, WIRE, EARLY, "scraper")
    link(linker, "second", WIRE_TITLE, WIRE, EARLY, "paper")
    assert [stories.story_links(db, key) for key in ("undated", "first", "second")] == [
        ("undated", "first"),
        ("undated", None),
        ("undated", "first"),
    ]


def test_an_article_matching_two_stories_merges_them(db: Database) -> None:
    """Two copies that arrived before their original, each too unlike the other to link."""
    linker = StoryLinker(SqliteStoryIndex(db))
    head = [*WIRE[:6], "A first site's own closing paragraph, about nothing in particular at all today."]
    tail = [*WIRE[2:], "A second site's own closing paragraph, long enough to matter for similarity."]
    store(db, "head", source="scraper")
    store(db, "tail", source="paper")
    assert link(linker, "head", WIRE_TITLE, head, LATER, "scraper").story_id == "head"
    assert link(linker, "tail", WIRE_TITLE, tail, NEXT_DAY, "paper").story_id == "tail"
    full = link(linker, "full", WIRE_TITLE, WIRE, EARLY)
    assert full.story_id == "head"
    assert full.merged == ("tail",)
    assert {row["id"]: (row["story_id"], row["duplicate_of"]) for row in db.table("articles").rows} == {
        "head": ("head", "full"),
        "tail": ("head", "full"),
    }


def test_templated_stories_are_not_merged_through_a_fact_free_copy(db: Database) -> None:
    linker = StoryLinker(SqliteStoryIndex(db))
    title_a, blocks_a = series("football", a=2, b=1)
    title_b, blocks_b = series("football", a=0, b=3)
    link(linker, "a", title_a, blocks_a, EARLY, "paper")
    link(linker, "b", title_b, blocks_b, EARLY, "other")
    # The series text without the result paragraph matches both, and conflicts with neither.
    bridge = link(linker, "bridge", "Match report", blocks_a[1:], LATER, "scraper")
    assert bridge.match is Match.NEAR
    assert bridge.merged == ()
    assert stories.story_links(db, "b") == ("b", None)


def test_the_index_survives_reopening(tmp_path: object) -> None:
    from crawler.archive import open_db

    path = f"{tmp_path}/news.db"
    first = open_db(path)
    link(StoryLinker(SqliteStoryIndex(first)), "a", WIRE_TITLE, WIRE)
    first.close()
    second = open_db(path)
    title, blocks = scraper_copy()
    assert link(StoryLinker(SqliteStoryIndex(second)), "b", title, blocks, LATER, "scraper").story_id == "a"
    second.close()


def test_a_new_threshold_rebands_the_stored_signatures(db: Database) -> None:
    link(StoryLinker(SqliteStoryIndex(db), threshold=0.8), "a", WIRE_TITLE, WIRE)
    linker = StoryLinker(SqliteStoryIndex(db), threshold=0.6)
    assert stories.layout(db)[stories.BANDING_LAYOUT_KEY] == linker.banding.layout
    count = db.execute("SELECT count(*) FROM story_buckets").fetchone()[0]
    assert count == linker.banding.bands
    title, blocks = scraper_copy()
    assert link(linker, "b", title, blocks, LATER, "scraper").story_id == "a"


def test_signatures_of_another_layout_are_refused(db: Database) -> None:
    StoryLinker(SqliteStoryIndex(db))
    with pytest.raises(ValueError, match="cannot be compared"):
        StoryLinker(SqliteStoryIndex(db), hasher=MinHasher(seed=99))


def test_an_empty_body_is_never_a_copy(db: Database) -> None:
    linker = StoryLinker(SqliteStoryIndex(db))
    assert link(linker, "a", "One", []).match is Match.NEW_STORY
    assert link(linker, "b", "Two", [], source="scraper").match is Match.NEW_STORY


def test_facts_are_stored_as_json(db: Database) -> None:
    link(StoryLinker(SqliteStoryIndex(db)), "a", WIRE_TITLE, WIRE)
    stored = json.loads(db.execute("SELECT facts FROM story_signatures").fetchone()[0])
    assert set(stored) == {"t", "b", "w"}


def test_a_failure_mid_link_leaves_the_index_as_it_was(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    """A run killed or failing inside a link must not leave half an article in the index."""
    linker = StoryLinker(SqliteStoryIndex(db))
    link(linker, "late", WIRE_TITLE, WIRE, LATER)
    before = {table: list(db.table(table).rows) for table in ("story_signatures", "story_buckets")}

    def crash(*args: object, **kwargs: object) -> int:
        raise RuntimeError("killed")

    monkeypatch.setattr(stories, "point_to_original", crash)
    with pytest.raises(RuntimeError, match="killed"):
        link(linker, "early", WIRE_TITLE, WIRE[1:], EARLY, "paper")  # earlier: re-points the story
    assert {table: list(db.table(table).rows) for table in ("story_signatures", "story_buckets")} == before
    assert not db.conn.in_transaction
    monkeypatch.undo()
    assert link(linker, "early", WIRE_TITLE, WIRE[1:], EARLY, "paper").story_id == "late"


def test_write_transaction_nests_as_a_savepoint(db: Database) -> None:
    with write_transaction(db):
        stories.set_layout(db, "outer", "1")
        with pytest.raises(RuntimeError), write_transaction(db):
            stories.set_layout(db, "inner", "2")
            raise RuntimeError
    assert {"outer", "inner"} & set(stories.layout(db)) == {"outer"}
