-- 0011-contacts-fts-prefix.sql: search as you type over a million contacts.
--
-- Every keystroke of a search is a prefix query ("ann"*). Without prefix
-- indexes FTS5 reads every term that starts with the prefix and merges their
-- lists, which over a million contacts took up to 65 ms a query. The table
-- is made again with indexes of 2- and 3-character prefixes and filled from
-- contacts. (A 1-character index too would make a one-letter search ~25 ms
-- faster but every insert and a bulk 'rebuild' 60 % slower.) Same name,
-- same columns, same tokenizer: the triggers of 0001 and the importer's
-- bulk 'rebuild' keep working.

DROP TABLE contacts_fts;
CREATE VIRTUAL TABLE contacts_fts USING fts5 (
  name, company, email, notes,
  content = 'contacts', content_rowid = 'id',
  tokenize = 'unicode61 remove_diacritics 2',
  prefix = '2 3'
);
INSERT INTO contacts_fts (contacts_fts) VALUES ('rebuild');
