"""`make demo`: a static news site served on 127.0.0.1 (server) and a crawl of it (run)."""
