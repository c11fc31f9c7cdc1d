-- 0013-mail-domains.sql: what the last DNS check found for each contact domain.
--
-- Checking that a list's domains receive mail asks DNS about each distinct
-- domain (a million contacts held 180,000 of them). Asked again an hour
-- later, the answers are the same until their time to live runs out, so
-- the check keeps its verdict per domain here, for as long as the answers
-- it came from may be kept (at most a day), and asks DNS only about the
-- rest. A failed lookup is never kept.
--
-- This replaces dns_cache, which 0001 made for raw answers and nothing ever
-- used: Domain health must see a domain's records as they are now (the
-- user has often just changed them), and the contact check needs only the
-- verdict.

DROP TABLE dns_cache;

CREATE TABLE mail_domains (
  domain     TEXT    PRIMARY KEY,             -- lower-case A-labels
  status     TEXT    NOT NULL,                -- ok, no-mx, null-mx, no-domain
  checked_at INTEGER NOT NULL,                -- Unix seconds
  expires_at INTEGER NOT NULL
) WITHOUT ROWID;
