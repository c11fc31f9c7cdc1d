/* ob-segment.h
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* A structured filter over contacts: every set member must match (AND);
 * the values inside one member are alternatives (OR). Stored as JSON in
 * segments.filter_json and campaigns.segment_json, and compiled to SQL with
 * bound parameters only: nothing a user types becomes SQL text. */
typedef struct
{
  GStrv   countries;    /* ISO 3166 codes */
  GStrv   tags;
  GStrv   sources;
  GStrv   statuses;     /* active, suppressed, unsubscribed, invalid */
  GStrv   verdicts;     /* valid, risky, invalid, unknown */
  GStrv   domains;
  char   *search;       /* words, matched as prefixes over name, company, email, notes */
  gint64  added_after;  /* Unix seconds, 0 = unset */
  gint64  added_before;
  /* Relative to the moment the SQL is made, so a saved segment stays current. */
  gboolean never_contacted;
  guint   contacted_within_days;   /* last contacted at most this many days ago, 0 = unset */
  guint   not_contacted_for_days;  /* last contacted longer ago than this, 0 = unset */
  gboolean no_bounces;             /* neither hard nor soft bounces */
  guint   min_bounces;             /* at least this many bounces, hard and soft, 0 = unset */
} ObSegment;

#define OB_TYPE_SEGMENT (ob_segment_get_type ())

GType      ob_segment_get_type   (void) G_GNUC_CONST;
ObSegment *ob_segment_new        (void);
ObSegment *ob_segment_copy       (const ObSegment  *self);
void       ob_segment_free       (ObSegment        *self);
ObSegment *ob_segment_parse      (const char       *expression,
                                  GError          **error);
ObSegment *ob_segment_new_from_json (const char    *json,
                                  GError          **error);
char      *ob_segment_to_json    (const ObSegment  *self);
char      *ob_segment_to_sql     (const ObSegment  *self,
                                  GPtrArray        *params);
char      *ob_segment_fts_query  (const char       *text);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ObSegment, ob_segment_free)

G_END_DECLS
