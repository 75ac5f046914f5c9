"""What the archive writer is configured with (INGEST_* settings, read by crawler.context), and what
a worker must prepare articles with for this archive to use its work."""

from __future__ import annotations

from dataclasses import dataclass, field

from crawler.dedup.blocks import BoilerplateRule
from crawler.dedup.fingerprint import MinHasher
from crawler.dedup.linking import DEFAULT_THRESHOLD
from crawler.dedup.lsh import banding_for
from crawler.dedup.prepared import Preparation
from crawler.urls import DEFAULT_TRACKING_PARAMS

DUPLICATE_POLICIES = ("link", "drop")


@dataclass(frozen=True)
class DuplicatesConfig:
    policy: str = "link"
    threshold: float = DEFAULT_THRESHOLD
    max_days_apart: float = 7.0

    def __post_init__(self) -> None:
        if self.policy not in DUPLICATE_POLICIES:
            raise ValueError(f"INGEST_DUPLICATES_POLICY: {self.policy!r} is not one of {', '.join(DUPLICATE_POLICIES)}")
        if not 0.0 < self.threshold < 1.0:
            raise ValueError(f"INGEST_NEAR_DUPLICATE_THRESHOLD: {self.threshold} is not between 0 and 1")
        if self.max_days_apart < 0:
            raise ValueError(f"INGEST_DUPLICATES_MAX_DAYS_APART: {self.max_days_apart} is negative")


@dataclass(frozen=True)
class ArchiveConfig:
    tracking_params: tuple[str, ...] = DEFAULT_TRACKING_PARAMS
    boilerplate: BoilerplateRule | None = field(default_factory=BoilerplateRule)  # None: not learned
    duplicates: DuplicatesConfig | None = field(default_factory=DuplicatesConfig)  # None: not linked
    min_body_chars: int = 0  # an article cut below this by boilerplate removal is not stored

    def __post_init__(self) -> None:
        rule = self.boilerplate
        if rule is not None and rule.min_articles < 1:
            raise ValueError(f"INGEST_BOILERPLATE_MIN_ARTICLES: {rule.min_articles} is less than 1")
        if rule is not None and not 0.0 <= rule.min_share <= 1.0:
            raise ValueError(f"INGEST_BOILERPLATE_MIN_SHARE: {rule.min_share} is not between 0 and 1")


def preparation_of(config: ArchiveConfig) -> Preparation:
    """What a worker must compute an article's prepared parts with for this archive to use them."""
    hasher = MinHasher()
    duplicates = config.duplicates
    return Preparation(
        hasher=hasher,
        banding=banding_for(duplicates.threshold, hasher.num_perm) if duplicates is not None else None,
        rule=config.boilerplate,
        tracking_params=config.tracking_params,
    )
