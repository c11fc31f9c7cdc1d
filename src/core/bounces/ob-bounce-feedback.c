/* ob-bounce-feedback.c — ARF feedback reports (RFC 5965): a receiver's
 * feedback loop telling the sender that a recipient pressed "This is
 * spam". report_from_object() hands the message/feedback-report part
 * here; its fields are read with the RFC 3464 field blocks of
 * ob-bounce-dsn.c, and each complaining recipient is added as feedback.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-bounces"

#include "config.h"

#include "ob-bounce-report-private.h"

void
_ob_bounce_parse_feedback (ObBounceReport *report,
                           const char     *feedback)
{
  /* An ARF complaint: the person who complained is the original
   * recipient, and they are not to be mailed again. */
  g_autoptr(GPtrArray) blocks = _ob_bounce_parse_field_blocks (feedback);
  g_autoptr(GPtrArray) rcpts = g_ptr_array_new_with_free_func (g_free);
  const char *mta = NULL, *type = NULL;

  for (guint b = 0; b < blocks->len; b++)
    {
      GPtrArray *block = g_ptr_array_index (blocks, b);

      for (guint f = 0; f < block->len; f++)
        {
          ObBounceField *field = g_ptr_array_index (block, f);

          if (g_str_equal (field->name, "original-rcpt-to") && rcpts->len < OB_BOUNCE_MAX_RECIPIENTS)
            g_ptr_array_add (rcpts, _ob_bounce_typed_value (field->value));
          else if (g_str_equal (field->name, "reporting-mta") && mta == NULL)
            mta = field->value;
          else if (g_str_equal (field->name, "feedback-type") && type == NULL)
            type = field->value;
          else if (g_str_equal (field->name, "message-id") && report->original_message_id == NULL)
            report->original_message_id = _ob_bounce_strip_angles (field->value);
        }
    }
  if (rcpts->len == 0)
    g_ptr_array_add (rcpts, _ob_bounce_first_address (report->original_to));
  for (guint k = 0; k < rcpts->len; k++)
    _ob_bounce_add_feedback_recipient (report, g_strdup (g_ptr_array_index (rcpts, k)),
                                       mta ? _ob_bounce_typed_value (mta) : NULL,
                                       g_strdup (type), "arf:feedback-report");
}
