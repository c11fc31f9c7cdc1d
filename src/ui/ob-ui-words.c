/* ob-ui-words.c
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-ui"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ob-address-check.h"
#include "ob-ui-words.h"

/* An event's kind (events.kind, or one a contact's history adds: see
 * ob-contacts-edit.h) in words; the kind itself when it is one this table
 * does not know. */
const char *
ob_ui_words_for_event (const char *kind)
{
  static const struct { const char *id; const char *words; } names[] = {
    { "started", N_("Started") }, { "paused", N_("Paused") }, { "resumed", N_("Resumed") },
    { "stopped", N_("Stopped") }, { "done", N_("Finished") }, { "sent", N_("Sent") },
    { "retry", N_("Will try again") }, { "soft_bounce", N_("Soft bounce") },
    { "hard_bounce", N_("Hard bounce") }, { "blocked", N_("Blocked by the server") },
    { "suppressed", N_("Suppressed") }, { "skipped", N_("Skipped") }, { "replied", N_("Replied") },
    { "uncertain", N_("May have gone") }, { "unsubscribed", N_("Unsubscribed") },
    { "complaint", N_("Marked as spam") }, { "failed", N_("Could not be sent") },
    { "warning", N_("Warning") }, { "domain_paused", N_("Paused for one domain") },
    { "domain_resumed", N_("Resumed for one domain") },
    { "added", N_("Added to contacts") }, { "edited", N_("Edited") },
    { "suppression_added", N_("Added to the suppression list") },
    { "suppression_lifted", N_("Taken off the suppression list") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_strcmp0 (kind, names[i].id) == 0)
      return _(names[i].words);
  return kind;
}

/* "typo-domain,disposable" (contacts.reasons) as sentences, one after the other;
 * ids it does not know are kept as they are. */
char *
ob_ui_words_for_address_reasons (const char *reasons)
{
  g_auto(GStrv) ids = g_strsplit (reasons != NULL ? reasons : "", ",", -1);
  g_autoptr(GPtrArray) words = g_ptr_array_new ();

  for (guint i = 0; ids[i] != NULL; i++)
    {
      guint bits;

      g_strstrip (ids[i]);
      if (ids[i][0] == '\0')
        continue;
      bits = ob_address_reasons_from_string (ids[i]);
      if (bits != 0 && (bits & (bits - 1)) == 0)
        g_ptr_array_add (words, (gpointer) ob_address_reason_describe (bits));
      else
        g_ptr_array_add (words, ids[i]);
    }
  g_ptr_array_add (words, NULL);
  return g_strjoinv (" ", (char **) words->pdata);
}

/* A suppression's reason (suppressions.reason, "hard-bounce"…) in words;
 * the id itself when it is one this table does not know, NULL for none. */
const char *
ob_ui_words_for_suppression_reason (const char *reason)
{
  static const struct { const char *id; const char *words; } names[] = {
    { "hard-bounce", N_("Hard bounce") }, { "soft-bounce", N_("Repeated soft bounces") },
    { "unsubscribed", N_("Unsubscribed") }, { "complaint", N_("Complaint") },
    { "manual", N_("Added by hand") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_strcmp0 (reason, names[i].id) == 0)
      return _(names[i].words);
  return reason;
}
