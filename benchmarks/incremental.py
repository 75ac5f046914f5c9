"""Second run over an unchanged site vs the first run: wall time and requests.

    .venv/bin/python -m benchmarks.incremental [ARTICLES]      (default 1000)

Generates a synthetic site of ARTICLES pages in a temp dir, serves it on 127.0.0.1, runs the real
`scrapy crawl news` twice into one database and prints both runs side by side, with the ratio.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from crawler.demo.launcher import SiteServer
from tests.conftest import run_crawl, write_seeds
from tests.sitegen import generate_site


def main(count: int) -> None:
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        template = generate_site(tmp / "site", count)
        db = tmp / "news.db"
        runs = []
        with SiteServer(root=tmp / "site") as server:
            seeds = write_seeds(tmp / "seeds.toml", server, template)
            for _ in range(2):
                before = len(server.requests())
                started = time.perf_counter()
                result = run_crawl(seeds, db, timeout=3600)
                elapsed = time.perf_counter() - started
                if result.returncode != 0:
                    raise SystemExit(result.log[-3000:])
                requests = server.requests()[before:]
                articles = sum(1 for _, path in requests if path.startswith("/news/"))
                runs.append((elapsed, len(requests), articles))
    print(f"site: {count} articles, {(count + 499) // 500} feed(s)")
    print(f"{'run':<8}{'wall s':>10}{'requests':>10}{'article pages':>15}")
    for name, (elapsed, requests, articles) in zip(("first", "second"), runs, strict=True):
        print(f"{name:<8}{elapsed:>10.2f}{requests:>10}{articles:>15}")
    print(f"second/first: wall {runs[1][0] / runs[0][0]:.2f}x, requests {runs[1][1] / runs[0][1]:.3f}x")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
