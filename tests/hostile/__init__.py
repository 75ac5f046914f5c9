"""A hostile news site for end-to-end tests: bombs, entity attacks, traps and broken pages.

Everything is generated into a temporary directory at test time (tests.hostile.site.build_site);
nothing large or binary is committed.
"""
