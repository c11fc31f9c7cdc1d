/* ob-country.c — ISO 3166 country codes from what lists say ("Germany",
 * "德国", "DE", ".de") and the time zone the send engine uses for them.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-contacts"

#include "config.h"

#include <string.h>

#include "ob-contact-private.h"
#include "ob-country.h"

/* tzdata's own tables; the system's copy is the one kept up to date.
 * zone.tab, not zone1970.tab: the latter gives a zone to the countries
 * that have shared its clocks since 1970 ("DE,DK,NO,SE,SJ Europe/Berlin"),
 * so a buyer in Stockholm would show Europe/Berlin. zone.tab names each
 * country's own zones. */
#define ISO3166_TAB "/usr/share/zoneinfo/iso3166.tab"
#define ZONE_TAB    "/usr/share/zoneinfo/zone.tab"

typedef struct
{
  const char *name;
  const char *code;
} Alias;

/* Names lists use that tzdata's English names do not cover, and the
 * Chinese names of the main export markets. */
static const Alias aliases[] = {
  { "usa", "US" }, { "us", "US" }, { "unitedstates", "US" }, { "unitedstatesofamerica", "US" },
  { "america", "US" }, { "美国", "US" },
  { "uk", "GB" }, { "greatbritain", "GB" }, { "britain", "GB" }, { "england", "GB" }, { "scotland", "GB" },
  { "wales", "GB" }, { "unitedkingdom", "GB" }, { "英国", "GB" },
  { "germany", "DE" }, { "deutschland", "DE" }, { "德国", "DE" },
  { "france", "FR" }, { "法国", "FR" }, { "spain", "ES" }, { "espana", "ES" }, { "españa", "ES" },
  { "西班牙", "ES" }, { "italy", "IT" }, { "italia", "IT" }, { "意大利", "IT" },
  { "brazil", "BR" }, { "brasil", "BR" }, { "巴西", "BR" }, { "mexico", "MX" }, { "méxico", "MX" },
  { "墨西哥", "MX" }, { "uae", "AE" }, { "unitedarabemirates", "AE" }, { "emirates", "AE" },
  { "dubai", "AE" }, { "阿联酋", "AE" }, { "阿拉伯联合酋长国", "AE" }, { "迪拜", "AE" },
  { "saudiarabia", "SA" }, { "ksa", "SA" }, { "saudi", "SA" }, { "沙特", "SA" }, { "沙特阿拉伯", "SA" },
  { "india", "IN" }, { "印度", "IN" }, { "russia", "RU" }, { "russianfederation", "RU" },
  { "俄罗斯", "RU" }, { "australia", "AU" }, { "澳大利亚", "AU" }, { "澳洲", "AU" },
  { "japan", "JP" }, { "日本", "JP" }, { "southkorea", "KR" }, { "korea", "KR" },
  { "republicofkorea", "KR" }, { "koreasouth", "KR" }, { "韩国", "KR" },
  { "china", "CN" }, { "prc", "CN" }, { "中国", "CN" }, { "中国大陆", "CN" },
  { "hongkong", "HK" }, { "香港", "HK" }, { "中国香港", "HK" }, { "taiwan", "TW" }, { "台湾", "TW" },
  { "中国台湾", "TW" }, { "canada", "CA" }, { "加拿大", "CA" }, { "netherlands", "NL" },
  { "holland", "NL" }, { "thenetherlands", "NL" }, { "荷兰", "NL" }, { "belgium", "BE" }, { "比利时", "BE" },
  { "switzerland", "CH" }, { "schweiz", "CH" }, { "瑞士", "CH" }, { "austria", "AT" },
  { "österreich", "AT" }, { "奥地利", "AT" },
  { "poland", "PL" }, { "波兰", "PL" }, { "turkey", "TR" }, { "turkiye", "TR" }, { "türkiye", "TR" },
  { "土耳其", "TR" }, { "vietnam", "VN" }, { "越南", "VN" }, { "thailand", "TH" }, { "泰国", "TH" },
  { "indonesia", "ID" }, { "印度尼西亚", "ID" }, { "印尼", "ID" }, { "malaysia", "MY" }, { "马来西亚", "MY" },
  { "singapore", "SG" }, { "新加坡", "SG" }, { "philippines", "PH" }, { "菲律宾", "PH" },
  { "pakistan", "PK" }, { "巴基斯坦", "PK" }, { "egypt", "EG" }, { "埃及", "EG" },
  { "southafrica", "ZA" }, { "南非", "ZA" }, { "nigeria", "NG" }, { "尼日利亚", "NG" },
  { "argentina", "AR" }, { "阿根廷", "AR" }, { "chile", "CL" }, { "智利", "CL" },
  { "colombia", "CO" }, { "哥伦比亚", "CO" }, { "peru", "PE" }, { "秘鲁", "PE" },
  { "portugal", "PT" }, { "葡萄牙", "PT" }, { "sweden", "SE" }, { "瑞典", "SE" },
  { "norway", "NO" }, { "挪威", "NO" }, { "denmark", "DK" }, { "丹麦", "DK" },
  { "finland", "FI" }, { "芬兰", "FI" }, { "ireland", "IE" }, { "爱尔兰", "IE" },
  { "greece", "GR" }, { "希腊", "GR" }, { "czechia", "CZ" }, { "czechrepublic", "CZ" }, { "捷克", "CZ" },
  { "ukraine", "UA" }, { "乌克兰", "UA" }, { "israel", "IL" }, { "以色列", "IL" },
  { "iran", "IR" }, { "伊朗", "IR" }, { "iraq", "IQ" }, { "伊拉克", "IQ" }, { "qatar", "QA" },
  { "卡塔尔", "QA" }, { "kuwait", "KW" }, { "科威特", "KW" }, { "oman", "OM" }, { "阿曼", "OM" },
  { "newzealand", "NZ" }, { "新西兰", "NZ" }, { "kazakhstan", "KZ" }, { "哈萨克斯坦", "KZ" },
  { "bangladesh", "BD" }, { "孟加拉", "BD" }, { "孟加拉国", "BD" }, { "morocco", "MA" }, { "摩洛哥", "MA" },
  { "kenya", "KE" }, { "肯尼亚", "KE" }, { "romania", "RO" }, { "罗马尼亚", "RO" },
  { "hungary", "HU" }, { "匈牙利", "HU" },
  { NULL, NULL }
};

/* Countries spanning several zones: the zone most of their business
 * population lives in, not tzdata's first entry (America/St_Johns for
 * Canada, Australia/Lord_Howe for Australia). Single-zone countries use
 * zone.tab as is. The per-contact override covers the rest (a buyer in
 * Los Angeles). */
static const Alias main_zones[] = {
  { "US", "America/New_York" }, { "CA", "America/Toronto" }, { "BR", "America/Sao_Paulo" },
  { "AU", "Australia/Sydney" }, { "RU", "Europe/Moscow" }, { "MX", "America/Mexico_City" },
  { "ID", "Asia/Jakarta" }, { "KZ", "Asia/Almaty" }, { "AR", "America/Argentina/Buenos_Aires" },
  { "CL", "America/Santiago" }, { "ES", "Europe/Madrid" }, { "PT", "Europe/Lisbon" },
  { "CN", "Asia/Shanghai" }, { "DE", "Europe/Berlin" }, { "NZ", "Pacific/Auckland" },
  { "UA", "Europe/Kyiv" }, { "EC", "America/Guayaquil" }, { "CD", "Africa/Kinshasa" },
  { "MN", "Asia/Ulaanbaatar" }, { "MY", "Asia/Kuala_Lumpur" },
  { NULL, NULL }
};

/* ccTLDs that are sold worldwide as vanity names and say nothing about
 * where the company is (.io, .co, .tv…). */
static const char * const vanity_tlds[] = {
  "io", "co", "tv", "me", "ai", "ly", "fm", "cc", "ws", "to", "gg", "so", "sh", "ac", "vc",
  "la", "nu", "am", "im", "is", "it.com", "su", "eu", "asia", NULL
};

typedef struct
{
  GHashTable *names;  /* normalised name → code (interned) */
  GHashTable *codes;  /* code → English name */
  GHashTable *zones;  /* code → zone */
} Tables;

static char *
normalise_name (const char *text)
{
  g_autofree char *nfkc = g_str_is_ascii (text) ? g_strdup (text) : g_utf8_normalize (text, -1, G_NORMALIZE_NFKC);
  g_autofree char *lower = NULL;
  GString *out = g_string_new (NULL);

  if (nfkc == NULL)
    return g_string_free (out, FALSE);
  lower = g_utf8_strdown (nfkc, -1);
  for (const char *p = lower; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == '(' || c == ',')
        break;  /* "Korea (South)", "Korea, Republic of" keep the first word: aliases cover them */
      if (g_unichar_isalnum (c) || g_unichar_type (c) == G_UNICODE_OTHER_LETTER)
        g_string_append_unichar (out, c);
    }
  return g_string_free (out, FALSE);
}

/* normalise_name() for plain ASCII without a capital I (the one ASCII
 * letter that lower-cases differently in a Turkish or Azeri locale), into
 * @buf: no Unicode tables and nothing allocated, for the country cell of
 * every imported row. FALSE when it does not apply or @buf is too short. */
static gboolean
normalise_name_ascii (const char *text,
                      char       *buf,
                      gsize       size)
{
  gboolean stopped = FALSE;
  gsize n = 0;

  for (const char *p = text; *p != '\0'; p++)
    {
      char c = *p;

      if ((guchar) c >= 0x80 || c == 'I')
        return FALSE;
      if (stopped)
        continue;
      if (c == '(' || c == ',')
        stopped = TRUE;
      else if (g_ascii_isalnum (c))
        {
          if (n + 1 >= size)
            return FALSE;
          buf[n++] = g_ascii_tolower (c);
        }
    }
  buf[n] = '\0';
  return TRUE;
}

/* The key ob_country_from_text() looks up; @fast lets it take the ASCII
 * path. For the test that both paths agree. */
char *
_ob_country_name_key (const char *text,
                      gboolean    fast)
{
  char buf[64];

  if (fast && normalise_name_ascii (text, buf, sizeof buf))
    return g_strdup (buf);
  return normalise_name (text);
}

static void
load_tab (const char *path,
          void      (*each) (Tables *t, char **fields, guint n),
          Tables     *t)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    {
      g_warning ("Cannot read %s; countries are recognised by code and by the built-in names only", path);
      return;
    }
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) f = NULL;

      if (lines[i][0] == '#' || lines[i][0] == '\0')
        continue;
      f = g_strsplit (lines[i], "\t", -1);
      each (t, f, g_strv_length (f));
    }
}

static void
each_iso (Tables  *t,
          char   **f,
          guint    n)
{
  if (n < 2 || strlen (f[0]) != 2)
    return;
  g_hash_table_insert (t->codes, g_strdup (f[0]), g_strdup (f[1]));
  g_hash_table_insert (t->names, normalise_name (f[1]), (gpointer) g_intern_string (f[0]));
}

static void
each_zone (Tables  *t,
           char   **f,
           guint    n)
{
  if (n < 3 || strlen (f[0]) != 2 || g_hash_table_contains (t->zones, f[0]))
    return;
  g_hash_table_insert (t->zones, g_strdup (f[0]), g_strdup (f[2]));
}

static Tables *
tables (void)
{
  static Tables *tables;

  if (g_once_init_enter (&tables))
    {
      Tables *t = g_new0 (Tables, 1);

      t->names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      t->codes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      t->zones = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      load_tab (ISO3166_TAB, each_iso, t);
      load_tab (ZONE_TAB, each_zone, t);
      for (guint i = 0; main_zones[i].name != NULL; i++)
        g_hash_table_insert (t->zones, g_strdup (main_zones[i].name), g_strdup (main_zones[i].code));
      for (guint i = 0; aliases[i].name != NULL; i++)
        g_hash_table_insert (t->names, normalise_name (aliases[i].name), (gpointer) g_intern_string (aliases[i].code));
      g_once_init_leave (&tables, t);
    }
  return tables;
}

/* "DE", "de", "Germany", "德国", "United States" → an ISO code, or NULL. */
const char *
ob_country_from_text (const char *text)
{
  Tables *t = tables ();
  char buf[64];
  g_autofree char *heap = NULL;
  const char *key;
  const char *code;

  if (text == NULL)
    return NULL;
  if (normalise_name_ascii (text, buf, sizeof buf))
    key = buf;
  else
    key = heap = normalise_name (text);
  if (*key == '\0')
    return NULL;

  if (strlen (key) == 2 && g_ascii_isalpha (key[0]) && g_ascii_isalpha (key[1]))
    {
      char up[3] = { g_ascii_toupper (key[0]), g_ascii_toupper (key[1]), '\0' };

      if (g_str_equal (up, "UK"))
        return "GB";
      if (g_hash_table_contains (t->codes, up) || g_hash_table_size (t->codes) == 0)
        return g_intern_string (up);
    }
  code = g_hash_table_lookup (t->names, key);
  return code;
}

/* The country of a ccTLD (".de" → DE, ".uk" → GB), or NULL for generic
 * and vanity TLDs. */
const char *
ob_country_from_domain (const char *ascii_domain)
{
  char up[3];
  const char *tld;

  if (ascii_domain == NULL)
    return NULL;
  tld = strrchr (ascii_domain, '.');
  tld = tld ? tld + 1 : ascii_domain;
  if (strlen (tld) != 2)
    return NULL;
  for (guint i = 0; vanity_tlds[i] != NULL; i++)
    if (g_ascii_strcasecmp (tld, vanity_tlds[i]) == 0)
      return NULL;
  up[0] = g_ascii_toupper (tld[0]);
  up[1] = g_ascii_toupper (tld[1]);
  up[2] = '\0';
  if (g_str_equal (up, "UK"))
    return "GB";
  if (!g_hash_table_contains (tables ()->codes, up))
    return NULL;
  return g_intern_string (up);
}

const char *
ob_country_get_timezone (const char *code)
{
  if (code == NULL)
    return NULL;
  return g_hash_table_lookup (tables ()->zones, code);
}

const char *
ob_country_get_name (const char *code)
{
  if (code == NULL)
    return NULL;
  return g_hash_table_lookup (tables ()->codes, code);
}
