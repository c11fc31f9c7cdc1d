/* ob-lint-phrases.c — the phrase lists the lint rules look for.
 *
 * Spam-trigger phrases come from the resources (spam-phrases/, one file
 * a language); the ways to opt out, the opt-out line a fix adds and the
 * words that show who is writing are tables here. Each list is indexed
 * once, on first use, and then shared by every thread.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-template-linter"

#include "config.h"

#include <gio/gio.h>
#include <string.h>

#include "ob-lint-private.h"
#include "ob-templates-resources.h"

#define SPAM_PHRASES_PATH "/io/github/outboundapp/Outbound/templates/spam-phrases"

static void
load_phrase_file (ObLintPhraseIndex *index,
                  const char        *resource_path)
{
  g_autoptr(GBytes) bytes = NULL;
  g_auto(GStrv) lines = NULL;
  g_autofree char *text = NULL;

  bytes = g_resource_lookup_data (ob_templates_get_resource (), resource_path,
                                  G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  if (bytes == NULL)
    {
      g_critical ("Missing phrase list %s", resource_path);
      return;
    }
  text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = g_strstrip (lines[i]);
      char *tab;

      if (*line == '\0' || *line == '#')
        continue;
      if (*line == '!')
        {
          _ob_lint_phrase_index_add (index, line + 1, NULL, TRUE);
          continue;
        }
      tab = strchr (line, '\t');
      if (tab == NULL)
        continue;
      *tab = '\0';
      _ob_lint_phrase_index_add (index, g_strstrip (line), g_strstrip (tab + 1), FALSE);
    }
}

const ObLintPhraseIndex *
_ob_lint_spam_phrases (void)
{
  static ObLintPhraseIndex *index;
  static gsize initialized;

  if (g_once_init_enter (&initialized))
    {
      g_auto(GStrv) names = NULL;

      index = _ob_lint_phrase_index_new ();
      names = g_resource_enumerate_children (ob_templates_get_resource (), SPAM_PHRASES_PATH,
                                             G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
      for (guint i = 0; names != NULL && names[i] != NULL; i++)
        {
          g_autofree char *path = g_strdup_printf (SPAM_PHRASES_PATH "/%s", names[i]);
          load_phrase_file (index, path);
        }
      g_once_init_leave (&initialized, 1);
    }
  return index;
}

/* The opt-out line a one-click fix adds, per template language (the
 * language subtag of Language:, English when unset or unknown). Each one
 * contains a phrase of the opt-out list below, so the fix clears the
 * finding. */
static const struct
{
  const char *language;
  const char *line;
} unsubscribe_lines[] = {
  { "en", "If you would rather not hear from us again, just reply \"unsubscribe\"." },
  { "es", "Si prefiere no recibir más mensajes nuestros, responda \"baja\"." },
  { "pt", "Se preferir não receber mais mensagens nossas, responda \"descadastrar\"." },
  { "fr", "Si vous préférez ne plus recevoir nos messages, répondez \"désabonner\"." },
  { "de", "Wenn Sie keine weiteren Nachrichten von uns wünschen, antworten Sie einfach \"abmelden\"." },
  { "ru", "Если вы не хотите больше получать наши письма, ответьте \"отписаться\"." },
  { "ar", "إذا كنت لا ترغب في تلقي رسائلنا مرة أخرى، يرجى الرد بعبارة \"إلغاء الاشتراك\"." },
  { "zh", "如不希望再收到我们的邮件，请直接回复“退订”。" },
};

const char *
_ob_lint_unsubscribe_line (const char *language)
{
  if (language != NULL)
    for (guint i = 0; i < G_N_ELEMENTS (unsubscribe_lines); i++)
      {
        gsize n = strlen (unsubscribe_lines[i].language);

        if (g_ascii_strncasecmp (language, unsubscribe_lines[i].language, n) == 0 &&
            (language[n] == '\0' || language[n] == '-' || language[n] == '_'))
          return unsubscribe_lines[i].line;
      }
  return unsubscribe_lines[0].line;
}

/* Ways to opt out, in the languages of the markets. */
static const char * const unsubscribe_phrases[] = {
  "unsubscribe", "opt out", "opt-out", "optout", "reply \"stop\"", "reply stop",
  "remove me", "remove you from", "no longer wish to", "not wish to receive",
  "don't want to receive", "do not want to receive", "not to receive",
  "baja", "darse de baja", "darte de baja", "cancelar suscripción", "cancelar la suscripción",
  "no desea recibir", "no quiere recibir",
  "désabonner", "désabonnement", "se désinscrire", "désinscription", "ne plus recevoir",
  "abmelden", "austragen", "abbestellen", "keine weiteren", "nicht mehr erhalten",
  "descadastrar", "descadastre", "cancelar inscrição", "cancelar a inscrição",
  "não deseja receber", "não quiser receber", "deixar de receber",
  "отписаться", "отписка", "отказаться от рассылки", "не хотите получать",
  "إلغاء الاشتراك", "الغاء الاشتراك", "لا ترغب في تلقي", "لإيقاف",
  "退订", "取消订阅", "退訂", "不再接收", "不想再收到", "不希望再收到",
  NULL
};

const ObLintPhraseIndex *
_ob_lint_unsubscribe_index (void)
{
  static ObLintPhraseIndex *index;
  static gsize initialized;

  if (g_once_init_enter (&initialized))
    {
      index = _ob_lint_phrase_index_new ();
      for (guint i = 0; unsubscribe_phrases[i] != NULL; i++)
        _ob_lint_phrase_index_add (index, unsubscribe_phrases[i], NULL, FALSE);
      g_once_init_leave (&initialized, 1);
    }
  return index;
}

/* Legal forms and signature words that show who is writing. */
static const char * const company_words[] = {
  "ltd", "ltd.", "limited", "co.", "co.,ltd", "gmbh", "ag", "kg", "s.a.", "s.l.", "s.r.l.", "srl",
  "ltda", "ltda.", "llc", "inc", "inc.", "corp", "corp.", "corporation", "company", "sarl", "sas",
  "s.p.a.", "spa", "b.v.", "bv", "pty", "plc", "oy", "ab", "a/s", "ооо", "оао", "зао", "ао",
  "有限公司", "公司", "集团", "工厂", "厂", "شركة", "مؤسسة", "group", "factory", "manufacturing",
  "industries", "industrial", "trading", "export", "exports", "import", "sociedad", "empresa",
  "société", "unternehmen", "компания", "завод",
  NULL
};

static const char * const address_words[] = {
  "road", "rd", "rd.", "street", "st.", "avenue", "ave", "ave.", "str.", "straße", "strasse",
  "calle", "avenida", "av.", "rua", "rue", "boulevard", "blvd", "улица", "ул.", "проспект",
  "شارع", "路", "号", "街", "区", "市", "省", "district", "zone", "building", "floor", "suite",
  "park", "no.", "china", "tel", "tel.", "phone", "mobile", "whatsapp", "wechat", "teléfono",
  "telefone", "téléphone", "telefon", "тел", "тел.", "телефон", "هاتف", "电话", "手机", "微信",
  "地址", "address", "dirección", "endereço", "adresse", "адрес", "العنوان",
  NULL
};

const ObLintPhraseIndex *
_ob_lint_identity_index (void)
{
  static ObLintPhraseIndex *index;
  static gsize initialized;

  if (g_once_init_enter (&initialized))
    {
      index = _ob_lint_phrase_index_new ();
      for (guint i = 0; company_words[i] != NULL; i++)
        _ob_lint_phrase_index_add (index, company_words[i], "company", FALSE);
      for (guint i = 0; address_words[i] != NULL; i++)
        _ob_lint_phrase_index_add (index, address_words[i], "contact", FALSE);
      g_once_init_leave (&initialized, 1);
    }
  return index;
}
