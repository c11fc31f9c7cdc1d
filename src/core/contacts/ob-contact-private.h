/* ob-contact-private.h
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <sqlite3.h>

#include "ob-contact.h"
#include "ob-store.h"

G_BEGIN_DECLS

/* The SELECT list that _ob_contact_new_from_stmt() reads, in
 * ObContactColumn order. */
#define OB_CONTACT_SELECT \
  "contacts.id, contacts.email, contacts.name, contacts.first_name, contacts.last_name," \
  " contacts.company, contacts.title, contacts.phone, contacts.website, contacts.country," \
  " contacts.timezone, contacts.source, contacts.notes, contacts.verdict, contacts.status," \
  " contacts.reasons, contacts.flags," \
  " (SELECT group_concat (t.name, ',') FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id" \
  "  WHERE ct.contact_id = contacts.id) AS tags," \
  " contacts.custom_json, contacts.created_at"

ObContact *_ob_contact_new_from_stmt (sqlite3_stmt *stmt);

/* A JSON array of up to @n contact ids (gint64) of @ids from @first, for
 * "id IN (SELECT value FROM json_each (?))". */
char      *_ob_contact_ids_json      (GArray       *ids,
                                      guint         first,
                                      guint         n);

/* Bulk writes to contacts (a big import, a big delete) drop the table's
 * indexes or triggers of a @type ("index", "trigger") matching the SQL
 * condition @where, inside their transaction, and make them again from
 * the statements kept in @sqls before it commits. */
gboolean   _ob_contacts_drop_schema_objects     (ObStore     *conn,
                                                 const char  *type,
                                                 const char  *where,
                                                 GPtrArray  **sqls,
                                                 GError     **error);
gboolean   _ob_contacts_recreate_schema_objects (ObStore     *conn,
                                                 GPtrArray   *sqls,
                                                 GError     **error);

/* The normalised country name ob_country_from_text() looks up, by its
 * ASCII fast path when @fast allows, else by the general one. */
char      *_ob_country_name_key      (const char   *text,
                                      gboolean      fast);

G_END_DECLS
