/* ob-lint-attachments.c — the attachment rules.
 *
 * Missing, large and risky attachments (programs, macro documents,
 * unusual archives). Ranges point into the attachment paths, one a line.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-template-linter"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ob-lint-private.h"

#define ATTACHMENT_WARN_SIZE   (5 * 1024 * 1024)
#define ATTACHMENT_ERROR_SIZE  (25 * 1024 * 1024)

static const char * const risky_executables[] = {
  "exe", "scr", "bat", "cmd", "com", "pif", "js", "jse", "vbs", "vbe", "wsf", "wsh", "jar",
  "msi", "msp", "ps1", "psm1", "hta", "cpl", "lnk", "reg", "dll", "sys", "apk", "app", "dmg",
  "sh", "iso", "img", "vhd", "vhdx", "msc", "gadget", "inf", "scf", "url", "xll", "application",
  NULL
};

static const char * const risky_documents[] = {
  "docm", "dotm", "xlsm", "xltm", "xlsb", "xlam", "pptm", "potm", "ppam", "ppsm", "sldm",
  "rar", "7z", "ace", "cab", NULL
};

static const char *
file_extension (const char *path)
{
  const char *base = strrchr (path, '/');
  const char *dot;

  base = base ? base + 1 : path;
  dot = strrchr (base, '.');
  return dot && dot != base ? dot + 1 : NULL;
}

void
_ob_lint_check_attachments (ObLint *lint)
{
  GPtrArray *attachments = ob_template_get_attachments (lint->template);
  gsize offset = 0;

  for (guint i = 0; i < attachments->len; i++)
    {
      ObTemplateAttachment *a = g_ptr_array_index (attachments, i);
      gsize len = g_utf8_strlen (a->path, -1);
      const char *ext = file_extension (a->path);
      g_autofree char *lower = ext ? g_ascii_strdown (ext, -1) : NULL;
      g_autofree char *base = g_path_get_basename (a->path);

      if (a->size < 0)
        _ob_lint_add (lint, "attachment-missing", OB_LINT_SEVERITY_ERROR, OB_LINT_PART_ATTACHMENT, offset, offset + len,
                      g_strdup_printf (_("The attachment “%s” cannot be found or read"), base),
                      g_strdup (_("Check the path, or remove the attachment")));
      else if (a->size > ATTACHMENT_WARN_SIZE)
        {
          g_autofree char *size = g_format_size (a->size);
          _ob_lint_add (lint, "attachment-size",
                        a->size > ATTACHMENT_ERROR_SIZE ? OB_LINT_SEVERITY_ERROR : OB_LINT_SEVERITY_WARNING,
                        OB_LINT_PART_ATTACHMENT, offset, offset + len,
                        g_strdup_printf (_("“%s” is %s; large attachments in a first mail are often rejected or filtered"),
                                         base, size),
                        g_strdup (_("Put the file on your website and send a link instead")));
        }

      if (lower != NULL && g_strv_contains (risky_executables, lower))
        _ob_lint_add (lint, "attachment-risky", OB_LINT_SEVERITY_ERROR, OB_LINT_PART_ATTACHMENT, offset, offset + len,
                      g_strdup_printf (_("“%s” is a program or script; mail servers block such attachments as likely malware"),
                                       base),
                      g_strdup (_("Send a PDF, or a link to the file")));
      else if (lower != NULL && g_strv_contains (risky_documents, lower))
        _ob_lint_add (lint, "attachment-risky", OB_LINT_SEVERITY_WARNING, OB_LINT_PART_ATTACHMENT, offset, offset + len,
                      g_strdup_printf (_("“%s” is a macro document or an unusual archive; filters often quarantine these"),
                                       base),
                      g_strdup (_("Save it as PDF or as a document without macros")));

      offset += len + 1;
    }
}
