-- 0001-initial.sql: the first schema of Outbound.
--
-- Times are Unix seconds (UTC) in INTEGER columns named *_at.
-- JSON lives in TEXT columns named *_json or 'data'.

CREATE TABLE contacts (
  id                INTEGER PRIMARY KEY,
  email             TEXT    NOT NULL,              -- normalised, domain in Unicode
  email_key         TEXT    NOT NULL UNIQUE,       -- dedup key: local part as typed, domain lower-cased ASCII
  domain            TEXT    NOT NULL,              -- lower-cased, Unicode
  name              TEXT,
  first_name        TEXT,
  last_name         TEXT,
  company           TEXT,
  title             TEXT,
  phone             TEXT,
  website           TEXT,
  country           TEXT,                          -- ISO 3166-1 alpha-2
  country_inferred  INTEGER NOT NULL DEFAULT 0,    -- 1 when taken from the ccTLD
  timezone          TEXT,                          -- IANA zone; derived from country unless overridden
  timezone_override INTEGER NOT NULL DEFAULT 0,
  source            TEXT,
  notes             TEXT,
  custom_json       TEXT,                          -- custom fields from imports: {"field": "value"}
  verdict           TEXT    NOT NULL DEFAULT 'unknown'
                    CHECK (verdict IN ('valid', 'risky', 'invalid', 'unknown')),
  reasons           TEXT,                          -- comma-separated reason ids
  flags             TEXT,                          -- comma-separated flag ids
  suggestion        TEXT,
  status            TEXT    NOT NULL DEFAULT 'active'
                    CHECK (status IN ('active', 'suppressed', 'unsubscribed', 'invalid')),
  bounce_count      INTEGER NOT NULL DEFAULT 0,
  soft_bounce_count INTEGER NOT NULL DEFAULT 0,
  last_contacted_at INTEGER,
  replied_at        INTEGER,
  checked_at        INTEGER,
  created_at        INTEGER NOT NULL,
  updated_at        INTEGER NOT NULL
);
CREATE INDEX contacts_domain ON contacts (domain);
CREATE INDEX contacts_country ON contacts (country);
CREATE INDEX contacts_source ON contacts (source);
CREATE INDEX contacts_status ON contacts (status);
CREATE INDEX contacts_verdict ON contacts (verdict);
CREATE INDEX contacts_created ON contacts (created_at);
CREATE INDEX contacts_last_contacted ON contacts (last_contacted_at);
CREATE INDEX contacts_name ON contacts (name COLLATE NOCASE);
CREATE INDEX contacts_company ON contacts (company COLLATE NOCASE);

-- Search as you type over name, company, email and notes.
CREATE VIRTUAL TABLE contacts_fts USING fts5 (
  name, company, email, notes,
  content = 'contacts', content_rowid = 'id',
  tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER contacts_fts_insert AFTER INSERT ON contacts BEGIN
  INSERT INTO contacts_fts (rowid, name, company, email, notes)
  VALUES (new.id, new.name, new.company, new.email, new.notes);
END;
CREATE TRIGGER contacts_fts_delete AFTER DELETE ON contacts BEGIN
  INSERT INTO contacts_fts (contacts_fts, rowid, name, company, email, notes)
  VALUES ('delete', old.id, old.name, old.company, old.email, old.notes);
END;
CREATE TRIGGER contacts_fts_update AFTER UPDATE OF name, company, email, notes ON contacts BEGIN
  INSERT INTO contacts_fts (contacts_fts, rowid, name, company, email, notes)
  VALUES ('delete', old.id, old.name, old.company, old.email, old.notes);
  INSERT INTO contacts_fts (rowid, name, company, email, notes)
  VALUES (new.id, new.name, new.company, new.email, new.notes);
END;

CREATE TABLE tags (
  id         INTEGER PRIMARY KEY,
  name       TEXT NOT NULL UNIQUE COLLATE NOCASE,
  created_at INTEGER NOT NULL
);

CREATE TABLE contact_tags (
  contact_id INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
  tag_id     INTEGER NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
  PRIMARY KEY (contact_id, tag_id)
) WITHOUT ROWID;
CREATE INDEX contact_tags_tag ON contact_tags (tag_id, contact_id);

-- Saved segments: a structured filter (JSON), never SQL typed by a user.
CREATE TABLE segments (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL UNIQUE,
  filter_json TEXT NOT NULL,
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL
);

-- An address ('kind' = 'address', value = dedup key) or a whole domain
-- ('kind' = 'domain', value = lower-cased domain without '@').
CREATE TABLE suppressions (
  id         INTEGER PRIMARY KEY,
  kind       TEXT NOT NULL CHECK (kind IN ('address', 'domain')),
  value      TEXT NOT NULL,
  reason     TEXT NOT NULL
             CHECK (reason IN ('hard-bounce', 'soft-bounce', 'unsubscribed', 'complaint', 'manual')),
  source     TEXT,                                 -- e.g. 'import', 'bounce', 'reply', 'user', a campaign
  detail     TEXT,
  created_at INTEGER NOT NULL,
  UNIQUE (kind, value)
);
CREATE INDEX suppressions_reason ON suppressions (reason);

-- Every suppression added or lifted, with the user's reason for lifting.
CREATE TABLE suppression_log (
  id     INTEGER PRIMARY KEY,
  at     INTEGER NOT NULL,
  action TEXT    NOT NULL CHECK (action IN ('add', 'remove')),
  kind   TEXT    NOT NULL,
  value  TEXT    NOT NULL,
  reason TEXT,
  note   TEXT
);
CREATE INDEX suppression_log_value ON suppression_log (kind, value, at);

-- Sending accounts. Passwords are in the keyring, keyed by id; never here.
CREATE TABLE accounts (
  id              INTEGER PRIMARY KEY,
  email           TEXT    NOT NULL,
  display_name    TEXT,
  username        TEXT,
  provider        TEXT,                            -- preset id, or NULL for manual
  smtp_host       TEXT    NOT NULL,
  smtp_port       INTEGER NOT NULL,
  smtp_security   TEXT    NOT NULL CHECK (smtp_security IN ('tls', 'starttls', 'dry-run')),
  imap_host       TEXT,
  imap_port       INTEGER,
  imap_security   TEXT CHECK (imap_security IS NULL OR imap_security IN ('tls', 'starttls')),
  ca_file         TEXT,
  dry_run_dir     TEXT,                            -- 'dry-run' accounts write .eml files here
  daily_limit     INTEGER NOT NULL DEFAULT 200,
  reply_to        TEXT,
  signature       TEXT,
  warmup_start_at INTEGER,
  imap_uidvalidity INTEGER,
  imap_last_uid   INTEGER NOT NULL DEFAULT 0,
  settings_json   TEXT,
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL
);
CREATE UNIQUE INDEX accounts_email ON accounts (email COLLATE NOCASE);

CREATE TABLE templates (
  id               INTEGER PRIMARY KEY,
  name             TEXT    NOT NULL,
  subject          TEXT    NOT NULL DEFAULT '',
  body_text        TEXT,
  body_html        TEXT,
  language         TEXT,
  attachments_json TEXT,                           -- [{"path": …, "size": …, "type": …}]
  version          INTEGER NOT NULL DEFAULT 1,
  created_at       INTEGER NOT NULL,
  updated_at       INTEGER NOT NULL
);

-- Earlier versions of a template, kept when it is saved.
CREATE TABLE template_versions (
  id               INTEGER PRIMARY KEY,
  template_id      INTEGER NOT NULL REFERENCES templates (id) ON DELETE CASCADE,
  version          INTEGER NOT NULL,
  subject          TEXT    NOT NULL,
  body_text        TEXT,
  body_html        TEXT,
  attachments_json TEXT,
  created_at       INTEGER NOT NULL,
  UNIQUE (template_id, version)
);

CREATE TABLE campaigns (
  id                   INTEGER PRIMARY KEY,
  name                 TEXT    NOT NULL,
  state                TEXT    NOT NULL DEFAULT 'draft'
                       CHECK (state IN ('draft', 'scheduled', 'running', 'paused', 'done', 'stopped')),
  paused_reason        TEXT,
  segment_json         TEXT,                       -- the audience: a structured filter, or NULL for all
  start_at             INTEGER,
  window_days          INTEGER NOT NULL DEFAULT 14, -- bit mask, bit 0 = Monday; 14 = Tue–Thu
  window_start_min     INTEGER NOT NULL DEFAULT 540, -- minutes after local midnight
  window_end_min       INTEGER NOT NULL DEFAULT 690,
  skip_holidays        INTEGER NOT NULL DEFAULT 1,
  daily_cap            INTEGER,                    -- NULL: the account's daily limit
  interval_min_s       INTEGER NOT NULL DEFAULT 60,
  interval_max_s       INTEGER NOT NULL DEFAULT 180,
  domain_hourly_cap    INTEGER NOT NULL DEFAULT 5,
  company_daily_cap    INTEGER NOT NULL DEFAULT 3,
  warmup               INTEGER NOT NULL DEFAULT 0,
  warmup_start         INTEGER NOT NULL DEFAULT 20,
  warmup_growth_pct    INTEGER NOT NULL DEFAULT 20,
  created_at           INTEGER NOT NULL,
  updated_at           INTEGER NOT NULL
);

CREATE TABLE campaign_accounts (
  campaign_id INTEGER NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
  account_id  INTEGER NOT NULL REFERENCES accounts (id) ON DELETE RESTRICT,
  position    INTEGER NOT NULL,
  PRIMARY KEY (campaign_id, account_id)
) WITHOUT ROWID;

CREATE TABLE campaign_steps (
  id          INTEGER PRIMARY KEY,
  campaign_id INTEGER NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
  position    INTEGER NOT NULL,                    -- 1 = first mail, 2… = follow-ups
  delay_days  INTEGER NOT NULL DEFAULT 0,          -- after the previous step
  template_id INTEGER NOT NULL REFERENCES templates (id) ON DELETE RESTRICT,
  UNIQUE (campaign_id, position)
);

-- One row per contact × step. At most one delivery per contact per step:
-- the UNIQUE constraint is the last line of defence.
CREATE TABLE queue (
  id          INTEGER PRIMARY KEY,
  campaign_id INTEGER NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
  step_id     INTEGER NOT NULL REFERENCES campaign_steps (id) ON DELETE CASCADE,
  contact_id  INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
  account_id  INTEGER REFERENCES accounts (id),
  state       TEXT    NOT NULL DEFAULT 'pending'
              CHECK (state IN ('pending', 'sending', 'sent', 'retry', 'failed', 'skipped', 'uncertain')),
  due_at      INTEGER,
  attempts    INTEGER NOT NULL DEFAULT 0,
  last_code   INTEGER,
  last_reply  TEXT,
  message_id  TEXT,
  sent_at     INTEGER,
  updated_at  INTEGER NOT NULL,
  UNIQUE (step_id, contact_id)
);
CREATE INDEX queue_due ON queue (state, due_at);
CREATE INDEX queue_campaign ON queue (campaign_id, state);
CREATE INDEX queue_contact ON queue (contact_id);
CREATE INDEX queue_message_id ON queue (message_id);

-- Everything that happened: sent, bounced, replied, unsubscribed, paused…
CREATE TABLE events (
  id          INTEGER PRIMARY KEY,
  at          INTEGER NOT NULL,
  kind        TEXT    NOT NULL,
  contact_id  INTEGER REFERENCES contacts (id) ON DELETE SET NULL,
  campaign_id INTEGER REFERENCES campaigns (id) ON DELETE SET NULL,
  step        INTEGER,
  queue_id    INTEGER REFERENCES queue (id) ON DELETE SET NULL,
  account_id  INTEGER REFERENCES accounts (id) ON DELETE SET NULL,
  reply       TEXT,                                -- the SMTP reply or bounce status line
  detail      TEXT,                                -- plain-words explanation, rule that fired
  data        TEXT                                 -- JSON: classifier output, evidence reference
);
CREATE INDEX events_contact ON events (contact_id, at);
CREATE INDEX events_campaign ON events (campaign_id, at);
CREATE INDEX events_account ON events (account_id, at);
CREATE INDEX events_kind ON events (kind, at);

-- Raw evidence (a bounce mail, a reply) kept for the contact's history.
CREATE TABLE evidence (
  id         INTEGER PRIMARY KEY,
  event_id   INTEGER REFERENCES events (id) ON DELETE CASCADE,
  message_id TEXT,
  raw        BLOB NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX evidence_event ON evidence (event_id);

CREATE TABLE dns_cache (
  name       TEXT    NOT NULL,                     -- lower-cased, no trailing dot
  type       INTEGER NOT NULL,                     -- RR type number
  rcode      INTEGER NOT NULL,
  answer     BLOB,                                 -- the codec's serialised records
  expires_at INTEGER NOT NULL,
  PRIMARY KEY (name, type)
) WITHOUT ROWID;
CREATE INDEX dns_cache_expires ON dns_cache (expires_at);

-- The last Domain health result per domain, for the page and the campaign review.
CREATE TABLE domain_checks (
  domain      TEXT PRIMARY KEY,
  smtp_host   TEXT,
  checked_at  INTEGER NOT NULL,
  report_json TEXT    NOT NULL
) WITHOUT ROWID;
