-- 0014-contacts-fts-detail-column.sql: a search index without token positions.
--
-- The index of 0011 kept, for every token, each position it holds in the
-- row (detail=full) and each row's length in tokens (contacts_fts_docsize):
-- 258 MB for a million imported contacts, more than the contacts
-- themselves (195 MB), and filling it was the longest part of importing
-- them. Nothing reads either: the search asks for rows that hold every
-- typed word as a token prefix and never ranks, highlights or asks for a
-- phrase. detail=column keeps which rows, and which columns, hold a token;
-- columnsize=0 drops the lengths: 162 MB, filled in 9 s instead of 12.6,
-- and an import of a million rows took 21.9 s instead of 25.0 (medians).
-- The prefix indexes stay: without those of 4 and 5 characters a
-- keystroke took up to 50 ms. detail=none would be smaller still, but a
-- prefix matching thousands of words ("compan"*) took half as long again.
--
-- Without positions FTS5 refuses a phrase of several tokens, so the search
-- no longer asks for a typed "li.wei" as one: ob_segment_fts_query() makes
-- each of its tokens a term of its own. Same name, same columns, same
-- tokenizer: the triggers of 0001 and the importer's bulk fill keep
-- working.

DROP TABLE contacts_fts;
CREATE VIRTUAL TABLE contacts_fts USING fts5 (
  name, company, email, notes,
  content = 'contacts', content_rowid = 'id',
  tokenize = 'unicode61 remove_diacritics 2',
  prefix = '1 2 3 4 5',
  detail = column,
  columnsize = 0
);
-- As the importer's bulk fill: no merging while it writes, merged once a
-- level holds 64 segments; the defaults (4 and 16) back for what follows.
INSERT INTO contacts_fts (contacts_fts, rank) VALUES ('automerge', 0);
INSERT INTO contacts_fts (contacts_fts, rank) VALUES ('crisismerge', 64);
INSERT INTO contacts_fts (contacts_fts) VALUES ('rebuild');
INSERT INTO contacts_fts (contacts_fts, rank) VALUES ('automerge', 4);
INSERT INTO contacts_fts (contacts_fts, rank) VALUES ('crisismerge', 16);
