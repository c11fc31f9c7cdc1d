/* fuzz-template.c — the template file parser.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "ob-template.h"
#include "ob-templates.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ObTemplate) t = ob_template_new_from_data ((const char *) data, size, NULL, &error);

  if (t == NULL)
    {
      /* A clear error, never a crash. */
      g_assert_nonnull (error);
      g_assert_true (error->domain == OB_TEMPLATE_ERROR);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      return 0;
    }
  g_assert_no_error (error);
  g_assert_nonnull (ob_template_get_subject (t));
  g_assert_true (g_utf8_validate (ob_template_get_subject (t), -1, NULL));

  /* What we write, we read back to the same subject. */
  if (strchr (ob_template_get_subject (t), '\n') == NULL)
    {
      g_autofree char *again_data = ob_template_to_data (t);
      g_autoptr(ObTemplate) again = ob_template_new_from_data (again_data, -1, NULL, NULL);

      if (again != NULL)
        g_assert_cmpstr (ob_template_get_subject (again), ==, ob_template_get_subject (t));
    }
  return 0;
}
