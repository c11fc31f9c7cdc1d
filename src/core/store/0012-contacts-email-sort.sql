-- 0012-contacts-email-sort.sql: sorting the list by address.
--
-- The contacts page sorts its Email column by email COLLATE NOCASE. Every
-- other sortable column has an index; without one here, a page of a
-- million contacts sorted by address made SQLite sort them all: 0.2 s for
-- the first page and 3 s for one in the middle, on the UI thread. The
-- unique index on email_key does not serve: it keeps the local part as
-- typed and the domain in ASCII.

CREATE INDEX contacts_email ON contacts (email COLLATE NOCASE);
