"""Same story, many sites: pure building blocks for linking copies of an article into one story.

`fingerprint` turns a body into a hash and a MinHash signature, `facts` says what distinguishes
templated stories that share most of their words, `lsh` chooses and computes the index buckets,
`blocks` decides what a source's boilerplate is, and `linking` puts them together over the SQLite
index in `crawler.archive.stories`.
"""
