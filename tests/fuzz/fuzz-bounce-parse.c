/* fuzz-bounce-parse.c — any bytes given as a mail (or an mbox) must be
 * parsed into reports or refused with an error, never crash; and every
 * verdict must be one of the documented values.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <stdint.h>

#include "ob-core.h"
#include "ob-bounce-match.h"
#include "ob-bounce-report.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static gboolean
lookup_nothing (const char *message_id,
                gpointer    user_data)
{
  g_assert_nonnull (message_id);
  return FALSE;
}

static void
check_report (ObBounceReport *report)
{
  for (guint i = 0; i < report->recipients->len; i++)
    {
      ObBounceRecipient *r = g_ptr_array_index (report->recipients, i);

      g_assert_cmpuint (r->verdict.reason, <, OB_BOUNCE_REASON_LAST);
      g_assert_nonnull (ob_bounce_kind_to_string (r->verdict.kind));
      g_assert_nonnull (ob_bounce_action_to_string (r->verdict.action));
      if (r->verdict.kind == OB_BOUNCE_KIND_HARD)
        g_assert_cmpint (r->verdict.action, ==, OB_BOUNCE_ACTION_SUPPRESS);
      if (ob_bounce_reason_is_sender_side (r->verdict.reason))
        g_assert_cmpint (r->verdict.action, !=, OB_BOUNCE_ACTION_SUPPRESS);
    }
  ob_bounce_report_find_sent_message (report, lookup_nothing, NULL);
  ob_bounce_report_find_reply_to (report, lookup_nothing, NULL);
  ob_bounce_report_is_unsubscribe (report);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static char *dir;
  g_autofree char *path = NULL;
  g_autofree char *line = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) reports = NULL;
  g_autoptr(ObBounceReport) report = NULL;
  ObBounceVerdict verdict;

  ob_core_init ();

  /* In memory, as one message. */
  report = ob_bounce_report_parse_data ((const char *) data, size, &error);
  g_assert_true ((report != NULL) != (error != NULL));
  if (report != NULL)
    check_report (report);
  g_clear_error (&error);

  /* From a file, where a leading "From " makes it an mbox. */
  if (dir == NULL)
    dir = g_dir_make_tmp ("outbound-fuzz-XXXXXX", NULL);
  path = g_build_filename (dir, "fuzz.eml", NULL);
  g_file_set_contents (path, (const char *) data, size, NULL);
  reports = ob_bounce_report_parse_file (path, &error);
  g_assert_true ((reports != NULL) != (error != NULL));
  for (guint i = 0; reports != NULL && i < reports->len; i++)
    check_report (g_ptr_array_index (reports, i));
  g_remove (path);

  /* The same bytes as an SMTP reply line. */
  line = g_strndup ((const char *) data, MIN (size, 4096));
  if (ob_bounce_classify_reply_line (line, &verdict))
    g_assert_cmpuint (verdict.reason, <, OB_BOUNCE_REASON_LAST);

  return 0;
}
