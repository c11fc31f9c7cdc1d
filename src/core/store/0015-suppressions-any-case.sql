-- 0015-suppressions-any-case.sql: an address on the suppression list
-- covers every spelling of its local part in upper and lower case
-- (ob-suppressions.c says why). Lookups compare with COLLATE NOCASE;
-- this index serves them, as the UNIQUE (kind, value) index cannot.
CREATE INDEX suppressions_value_any_case ON suppressions (value COLLATE NOCASE, kind);

-- Contacts already covered by an entry spelled in another case follow it.
UPDATE contacts SET status = CASE
    WHEN EXISTS (SELECT 1 FROM suppressions s WHERE s.kind = 'address' AND s.reason != 'unsubscribed'
                 AND s.value = contacts.email_key COLLATE NOCASE) THEN 'suppressed'
    ELSE 'unsubscribed' END
  WHERE status NOT IN ('suppressed', 'unsubscribed')
    AND EXISTS (SELECT 1 FROM suppressions s WHERE s.kind = 'address'
                AND s.value = contacts.email_key COLLATE NOCASE);
