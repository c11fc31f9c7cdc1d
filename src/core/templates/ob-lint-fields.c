/* ob-lint-fields.c — the merge-field rules.
 *
 * Malformed {{fields}}, fields that no contact or account has (the fix
 * is the closest known name), and fields without a fallback that a
 * contact may lack (with an audience: that some contact does lack).
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
#include "ob-merge.h"

static guint
edit_distance (const char *a,
               const char *b)
{
  gsize la = strlen (a), lb = strlen (b);
  g_autofree guint *row = g_new (guint, lb + 1);

  for (gsize j = 0; j <= lb; j++)
    row[j] = j;
  for (gsize i = 1; i <= la; i++)
    {
      guint prev = row[0];
      row[0] = i;
      for (gsize j = 1; j <= lb; j++)
        {
          guint tmp = row[j];
          guint cost = a[i - 1] == b[j - 1] ? 0 : 1;
          row[j] = MIN (MIN (row[j] + 1, row[j - 1] + 1), prev + cost);
          prev = tmp;
        }
    }
  return row[lb];
}

static gboolean
is_known_field (ObTemplateLinter *self,
                const char       *name)
{
  return ob_merge_is_standard_field (name) || g_hash_table_contains (self->known_fields, name);
}

static char *
closest_field (ObTemplateLinter *self,
               const char       *name)
{
  const char * const *std = ob_merge_standard_fields ();
  const char *best = NULL;
  guint best_d = 3;
  GHashTableIter iter;
  gpointer key;

  for (guint i = 0; std[i] != NULL; i++)
    {
      guint d = edit_distance (name, std[i]);
      if (d < best_d)
        {
          best_d = d;
          best = std[i];
        }
    }
  g_hash_table_iter_init (&iter, self->known_fields);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      guint d = edit_distance (name, key);
      if (d < best_d)
        {
          best_d = d;
          best = key;
        }
    }
  return best ? g_strdup (best) : NULL;
}

/* Fallbacks go into the mail, so they are in the mail's language (the
 * template's Language:, English when unset or unknown), never in the
 * language of the interface: a Chinese desktop must not put 朋友 into a
 * mail to a buyer in Germany. */
static const struct {
  const char *language;
  const char *person;
  const char *company;
  const char *country;
  const char *team;
} fallbacks[] = {
  { "en", "there", "your company", "your country", "your team" },
  { "zh", "朋友", "贵公司", "贵国", "贵团队" },
};

/* Whether the text of @source before byte @at ends in the word "Dear". */
static gboolean
after_dear (ObLintSource *source,
            gsize         at)
{
  gsize end = MIN (at, source->len);

  while (end > 0 && g_ascii_isspace (source->src[end - 1]))
    end--;
  return end >= 4 && g_ascii_strncasecmp (source->src + end - 4, "dear", 4) == 0 &&
         (end == 4 || !g_ascii_isalnum (source->src[end - 5]));
}

static const char *
fallback_example (ObLint             *lint,
                  ObLintSource       *source,
                  const ObMergeField *field,
                  const char         *name)
{
  const char *language = ob_template_get_language (lint->template);
  guint k = 0;

  for (guint i = 0; language != NULL && i < G_N_ELEMENTS (fallbacks); i++)
    {
      gsize n = strlen (fallbacks[i].language);

      if (g_ascii_strncasecmp (language, fallbacks[i].language, n) == 0 &&
          (language[n] == '\0' || language[n] == '-' || language[n] == '_'))
        k = i;
    }
  if (g_str_equal (name, "first_name") || g_str_equal (name, "name"))
    /* "Dear there," is not English. */
    return k == 0 && after_dear (source, field->byte_start) ? "Sir or Madam" : fallbacks[k].person;
  if (g_str_equal (name, "company"))
    return fallbacks[k].company;
  if (g_str_equal (name, "country"))
    return fallbacks[k].country;
  if (g_str_equal (name, "title"))
    return fallbacks[k].team;
  return "…";
}

static gboolean
value_missing (GHashTable *contact,
               const char *name)
{
  const char *v = g_hash_table_lookup (contact, name);

  if (v == NULL)
    return TRUE;
  for (; *v; v++)
    if (!g_ascii_isspace (*v))
      return FALSE;
  return TRUE;
}

void
_ob_lint_check_merge_fields (ObLint       *lint,
                             ObLintSource *source)
{
  GPtrArray *fields = _ob_lint_source_fields (source);
  GPtrArray *problems = source->problems;

  for (guint i = 0; i < problems->len; i++)
    {
      ObMergeProblem *p = g_ptr_array_index (problems, i);
      _ob_lint_add (lint, "merge-field-syntax", OB_LINT_SEVERITY_ERROR, source->part, p->start, p->end,
                    g_strdup (p->message), g_strdup (p->fix));
      if (g_str_has_prefix (p->fix, "{{"))
        _ob_lint_set_replacement (lint, p->fix);
    }

  for (guint i = 0; i < fields->len; i++)
    {
      ObMergeField *f = g_ptr_array_index (fields, i);

      if (!is_known_field (lint->self, f->name))
        {
          g_autofree char *closest = closest_field (lint->self, f->name);

          _ob_lint_add (lint, "merge-field-unknown", OB_LINT_SEVERITY_ERROR, source->part, f->start, f->end,
                        g_strdup_printf (_("“%s” is not a contact or account field, so it cannot be filled in"), f->name),
                        closest ? g_strdup_printf ("{{%s|%s}}", closest,
                                                   f->fallback ? f->fallback
                                                   : ob_merge_is_account_field (closest) || g_str_equal (closest, "email") ? ""
                                                   : fallback_example (lint, source, f, closest))
                                : g_strdup (_("Use a field of the contact list, such as {{first_name}} or {{company}}")));
          if (closest)
            _ob_lint_set_replacement (lint, ((ObLintFinding *) g_ptr_array_index (lint->findings, lint->findings->len - 1))->fix);
          continue;
        }

      if (f->fallback != NULL || ob_merge_is_account_field (f->name) || g_str_equal (f->name, "email"))
        continue;

      if (lint->self->audience == NULL)
        {
          _ob_lint_add (lint, "merge-field-no-fallback", OB_LINT_SEVERITY_WARNING, source->part, f->start, f->end,
                        g_strdup_printf (_("“%s” has no fallback: a contact without it gets a blank"), f->name),
                        g_strdup_printf ("{{%s|%s}}", f->name, fallback_example (lint, source, f, f->name)));
          _ob_lint_set_replacement (lint, ((ObLintFinding *) g_ptr_array_index (lint->findings, lint->findings->len - 1))->fix);
        }
      else
        {
          guint lacking = 0;

          for (guint c = 0; c < lint->self->audience->len; c++)
            if (value_missing (g_ptr_array_index (lint->self->audience, c), f->name))
              lacking++;
          if (lacking > 0)
            _ob_lint_add (lint, "merge-field-no-fallback", OB_LINT_SEVERITY_WARNING, source->part, f->start, f->end,
                          g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                        "“%s” has no fallback and %u contact of %u has no value for it",
                                                        "“%s” has no fallback and %u contacts of %u have no value for it",
                                                        lacking),
                                           f->name, lacking, lint->self->audience->len),
                          g_strdup_printf ("{{%s|%s}}", f->name, fallback_example (lint, source, f, f->name)));
          if (lacking > 0)
            _ob_lint_set_replacement (lint, ((ObLintFinding *) g_ptr_array_index (lint->findings, lint->findings->len - 1))->fix);
        }
    }
}
