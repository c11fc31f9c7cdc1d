/* ob-schedule.c
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-sending"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ob-schedule.h"
#include "ob-sending.h"
#include "ob-sending-resources.h"

#define HOLIDAYS_PATH "/io/github/outboundapp/Outbound/sending/holidays.txt"
#define ZONE1970_TAB "/usr/share/zoneinfo/zone1970.tab"
#define SEARCH_DAYS 400

/* The business time zone of each main market; countries spanning several
 * zones get the one where most of their companies sit. Other countries
 * take the first zone zone1970.tab lists for them. */
static const struct
{
  const char *country;
  const char *zone;
} country_zones[] = {
  { "AE", "Asia/Dubai" },        { "AR", "America/Argentina/Buenos_Aires" },
  { "AT", "Europe/Vienna" },     { "AU", "Australia/Sydney" },
  { "BD", "Asia/Dhaka" },        { "BE", "Europe/Brussels" },
  { "BR", "America/Sao_Paulo" }, { "CA", "America/Toronto" },
  { "CH", "Europe/Zurich" },     { "CL", "America/Santiago" },
  { "CN", "Asia/Shanghai" },     { "CO", "America/Bogota" },
  { "CZ", "Europe/Prague" },     { "DE", "Europe/Berlin" },
  { "DK", "Europe/Copenhagen" }, { "EG", "Africa/Cairo" },
  { "ES", "Europe/Madrid" },     { "FI", "Europe/Helsinki" },
  { "FR", "Europe/Paris" },      { "GB", "Europe/London" },
  { "GR", "Europe/Athens" },     { "HK", "Asia/Hong_Kong" },
  { "ID", "Asia/Jakarta" },      { "IE", "Europe/Dublin" },
  { "IL", "Asia/Jerusalem" },    { "IN", "Asia/Kolkata" },
  { "IT", "Europe/Rome" },       { "JP", "Asia/Tokyo" },
  { "KE", "Africa/Nairobi" },    { "KR", "Asia/Seoul" },
  { "KZ", "Asia/Almaty" },       { "MA", "Africa/Casablanca" },
  { "MX", "America/Mexico_City" }, { "MY", "Asia/Kuala_Lumpur" },
  { "NG", "Africa/Lagos" },      { "NL", "Europe/Amsterdam" },
  { "NO", "Europe/Oslo" },       { "NZ", "Pacific/Auckland" },
  { "PE", "America/Lima" },      { "PH", "Asia/Manila" },
  { "PK", "Asia/Karachi" },      { "PL", "Europe/Warsaw" },
  { "PT", "Europe/Lisbon" },     { "QA", "Asia/Qatar" },
  { "RO", "Europe/Bucharest" },   { "RU", "Europe/Moscow" },
  { "SA", "Asia/Riyadh" },       { "SE", "Europe/Stockholm" },
  { "SG", "Asia/Singapore" },    { "TH", "Asia/Bangkok" },
  { "TR", "Europe/Istanbul" },   { "TW", "Asia/Taipei" },
  { "US", "America/New_York" },  { "VN", "Asia/Ho_Chi_Minh" },
  { "ZA", "Africa/Johannesburg" },
};

static const char * const day_names[] = { "mon", "tue", "wed", "thu", "fri", "sat", "sun" };

typedef enum
{
  RULE_FIXED,   /* MM-DD */
  RULE_ONCE,    /* YYYY-MM-DD */
  RULE_EASTER,  /* easter±N */
  RULE_NTH,     /* WDn/MM, n = -1 for last */
  RULE_BEFORE,  /* WD<MM-DD */
} RuleKind;

typedef enum
{
  OBS_NONE,
  OBS_FRI_MON,
  OBS_MON,
  OBS_SUN_MON,
} Observance;

typedef struct
{
  char        country[3];
  RuleKind    kind;
  int         year;
  int         month;
  int         day;
  int         offset;
  int         weekday; /* 1 = Monday … 7 = Sunday */
  int         nth;
  Observance  obs;
  const char *name; /* interned */
} Rule;

static GMutex holidays_lock;
static GArray *holiday_rules;    /* Rule */
static GHashTable *holiday_years; /* country and year (year_key()) → GHashTable (julian day → name) */
static GHashTable *zone_tab;     /* country → zone, from zone1970.tab */

void
ob_send_window_init_default (ObSendWindow *window)
{
  g_return_if_fail (window != NULL);

  window->days = OB_SEND_WINDOW_DEFAULT_DAYS;
  window->start_min = OB_SEND_WINDOW_DEFAULT_START;
  window->end_min = OB_SEND_WINDOW_DEFAULT_END;
  window->skip_holidays = TRUE;
}

gboolean
ob_send_window_is_valid (const ObSendWindow *window)
{
  return window != NULL &&
         (window->days & 0x7f) != 0 && (window->days & ~0x7fu) == 0 &&
         window->start_min >= 0 && window->end_min <= 24 * 60 &&
         window->start_min < window->end_min;
}

static int
parse_weekday (const char *text)
{
  g_autofree char *lower = g_ascii_strdown (text, -1);

  if (strlen (lower) < 3)
    return 0;
  for (guint i = 0; i < G_N_ELEMENTS (day_names); i++)
    if (g_str_has_prefix (lower, day_names[i]))
      {
        static const char * const full[] = { "monday", "tuesday", "wednesday", "thursday",
                                             "friday", "saturday", "sunday" };
        if (strlen (lower) == 3 || g_str_has_prefix (full[i], lower))
          return (int) i + 1;
      }
  return 0;
}

static gboolean
parse_clock (const char *text,
             int        *minutes)
{
  guint64 h, m;
  char *end = NULL;

  if (!g_ascii_isdigit (text[0]))
    return FALSE;
  h = g_ascii_strtoull (text, &end, 10);
  if (end == text || *end != ':' || !g_ascii_isdigit (end[1]))
    return FALSE;
  text = end + 1;
  m = g_ascii_strtoull (text, &end, 10);
  if (end - text != 2 || *end != '\0' || m > 59 || h > 24 || (h == 24 && m != 0))
    return FALSE;
  *minutes = (int) (h * 60 + m);
  return TRUE;
}

/* Parses "Tue-Thu 09:00-11:30" or "Mon,Wed,Fri 08:00-17:00" (English day
 * names, three letters or in full; ranges may wrap, as in "Sun-Thu"). */
gboolean
ob_send_window_parse (const char    *text,
                      ObSendWindow  *window,
                      GError       **error)
{
  g_autofree char *copy = NULL;
  g_auto(GStrv) parts = NULL;
  g_auto(GStrv) items = NULL;
  g_auto(GStrv) times = NULL;
  ObSendWindow result;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (window != NULL, FALSE);

  ob_send_window_init_default (&result);
  result.days = 0;
  result.skip_holidays = window->skip_holidays;

  copy = g_strstrip (g_strdup (text));
  parts = g_strsplit_set (copy, " \t", -1);
  {
    /* Drop empty pieces left by repeated spaces. */
    GPtrArray *kept = g_ptr_array_new ();
    for (guint i = 0; parts[i] != NULL; i++)
      if (parts[i][0] != '\0')
        g_ptr_array_add (kept, parts[i]);
    if (kept->len != 2)
      {
        g_ptr_array_unref (kept);
        goto bad;
      }
    items = g_strsplit (kept->pdata[0], ",", -1);
    times = g_strsplit (kept->pdata[1], "-", -1);
    g_ptr_array_unref (kept);
  }

  for (guint i = 0; items[i] != NULL; i++)
    {
      g_auto(GStrv) range = g_strsplit (items[i], "-", -1);
      int from, to;

      if (g_strv_length (range) == 1)
        {
          from = to = parse_weekday (range[0]);
        }
      else if (g_strv_length (range) == 2)
        {
          from = parse_weekday (range[0]);
          to = parse_weekday (range[1]);
        }
      else
        goto bad;
      if (from == 0 || to == 0)
        goto bad;
      for (int d = from;; d = d % 7 + 1)
        {
          result.days |= 1u << (d - 1);
          if (d == to)
            break;
        }
    }

  if (g_strv_length (times) != 2 ||
      !parse_clock (times[0], &result.start_min) ||
      !parse_clock (times[1], &result.end_min) ||
      result.start_min >= result.end_min)
    goto bad;

  *window = result;
  return TRUE;

bad:
  g_set_error (error, OB_SENDING_ERROR, OB_SENDING_ERROR_INVALID,
               _("The sending window “%s” is not valid: write the days and the hours, "
                 "for example “Tue-Thu 09:00-11:30”"), text);
  return FALSE;
}

char *
ob_send_window_to_string (const ObSendWindow *window)
{
  static const char * const abbrev[] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };
  GString *s = g_string_new (NULL);
  int d = 0;

  g_return_val_if_fail (window != NULL, NULL);

  /* Runs of consecutive days as ranges. */
  while (d < 7)
    {
      int e;

      if (!(window->days & (1u << d)))
        {
          d++;
          continue;
        }
      for (e = d; e + 1 < 7 && (window->days & (1u << (e + 1))); e++)
        ;
      if (s->len > 0)
        g_string_append_c (s, ',');
      if (e == d)
        g_string_append (s, abbrev[d]);
      else
        g_string_append_printf (s, "%s-%s", abbrev[d], abbrev[e]);
      d = e + 1;
    }
  g_string_append_printf (s, " %02d:%02d-%02d:%02d",
                          window->start_min / 60, window->start_min % 60,
                          window->end_min / 60, window->end_min % 60);
  return g_string_free (s, FALSE);
}

static void
load_zone_tab (void)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;

  zone_tab = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  if (!g_file_get_contents (ZONE1970_TAB, &contents, NULL, NULL))
    return;

  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) fields = NULL;
      g_auto(GStrv) codes = NULL;

      if (lines[i][0] == '#' || lines[i][0] == '\0')
        continue;
      fields = g_strsplit (lines[i], "\t", 4);
      if (g_strv_length (fields) < 3)
        continue;
      codes = g_strsplit (fields[0], ",", -1);
      for (guint c = 0; codes[c] != NULL; c++)
        if (!g_hash_table_contains (zone_tab, codes[c]))
          g_hash_table_insert (zone_tab, g_strdup (codes[c]), g_strdup (fields[2]));
    }
}

/* The IANA zone for an ISO 3166-1 alpha-2 country, or NULL. */
const char *
ob_schedule_default_zone_for_country (const char *country)
{
  char cc[3];
  const char *zone;

  if (country == NULL || strlen (country) != 2)
    return NULL;
  cc[0] = g_ascii_toupper (country[0]);
  cc[1] = g_ascii_toupper (country[1]);
  cc[2] = '\0';

  for (guint i = 0; i < G_N_ELEMENTS (country_zones); i++)
    if (strcmp (country_zones[i].country, cc) == 0)
      return country_zones[i].zone;

  g_mutex_lock (&holidays_lock);
  if (zone_tab == NULL)
    load_zone_tab ();
  zone = g_hash_table_lookup (zone_tab, cc);
  g_mutex_unlock (&holidays_lock);

  return zone;
}

/* The recipient's zone: their own IANA zone when it is a real one, else
 * their country's, else UTC. Never NULL. */
GTimeZone *
ob_schedule_zone_for (const char *zone_id,
                      const char *country)
{
  GTimeZone *zone = NULL;
  const char *fallback;

  if (zone_id != NULL && *zone_id != '\0')
    zone = g_time_zone_new_identifier (zone_id);
  if (zone == NULL && (fallback = ob_schedule_default_zone_for_country (country)) != NULL)
    zone = g_time_zone_new_identifier (fallback);
  if (zone == NULL)
    zone = g_time_zone_new_utc ();

  return zone;
}

static gboolean
parse_month_day (const char *text,
                 int        *month,
                 int        *day)
{
  guint64 m, d;
  char *end = NULL;

  m = g_ascii_strtoull (text, &end, 10);
  if (end != text + 2 || *end != '-')
    return FALSE;
  d = g_ascii_strtoull (end + 1, &end, 10);
  if (end != text + 5 || *end != '\0')
    return FALSE;
  if (m < 1 || m > 12 || d < 1 || d > 31)
    return FALSE;
  *month = (int) m;
  *day = (int) d;
  return TRUE;
}

static gboolean
parse_rule (const char *text,
            Rule       *rule)
{
  if (g_str_has_prefix (text, "easter"))
    {
      char *end = NULL;
      gint64 n;

      if (text[6] != '+' && text[6] != '-')
        return FALSE;
      n = g_ascii_strtoll (text + 6, &end, 10);
      if (end == text + 7 || *end != '\0' || n < -100 || n > 100)
        return FALSE;
      rule->kind = RULE_EASTER;
      rule->offset = (int) n;
      return TRUE;
    }

  if (g_ascii_isalpha (text[0]))
    {
      char wd[4] = { 0 };
      const char *p = text + 3;

      memcpy (wd, text, 3);
      if (strlen (text) < 4 || (rule->weekday = parse_weekday (wd)) == 0)
        return FALSE;
      if (*p == '<')
        {
          rule->kind = RULE_BEFORE;
          return parse_month_day (p + 1, &rule->month, &rule->day);
        }
      rule->kind = RULE_NTH;
      if (g_str_has_prefix (p, "last"))
        {
          rule->nth = -1;
          p += 4;
        }
      else if (*p >= '1' && *p <= '5')
        {
          rule->nth = *p - '0';
          p++;
        }
      else
        return FALSE;
      if (*p != '/' || strlen (p) != 3 || !g_ascii_isdigit (p[1]) || !g_ascii_isdigit (p[2]))
        return FALSE;
      rule->month = (p[1] - '0') * 10 + (p[2] - '0');
      return rule->month >= 1 && rule->month <= 12;
    }

  if (strlen (text) == 10 && text[4] == '-')
    {
      rule->kind = RULE_ONCE;
      rule->year = (int) g_ascii_strtoll (text, NULL, 10);
      return rule->year > 1900 && parse_month_day (text + 5, &rule->month, &rule->day);
    }

  rule->kind = RULE_FIXED;
  return parse_month_day (text, &rule->month, &rule->day);
}

static void
load_rules (void)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;

  holiday_rules = g_array_new (FALSE, TRUE, sizeof (Rule));
  holiday_years = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_hash_table_unref);

  bytes = g_resource_lookup_data (ob_sending_get_resource (), HOLIDAYS_PATH,
                                  G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  g_assert (bytes != NULL);
  text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  lines = g_strsplit (text, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) fields = NULL;
      Rule rule = { { 0 } };
      const char *name;
      guint f = 2;

      g_strstrip (lines[i]);
      if (lines[i][0] == '#' || lines[i][0] == '\0')
        continue;
      fields = g_strsplit (lines[i], " ", 4);
      if (g_strv_length (fields) < 3 || strlen (fields[0]) != 2 || !parse_rule (fields[1], &rule))
        {
          g_critical ("holidays.txt line %u is not valid: %s", i + 1, lines[i]);
          continue;
        }
      memcpy (rule.country, fields[0], 2);
      if (g_str_has_prefix (fields[2], "obs="))
        {
          const char *kind = fields[2] + 4;

          rule.obs = g_str_equal (kind, "fri-mon") ? OBS_FRI_MON :
                     g_str_equal (kind, "mon") ? OBS_MON :
                     g_str_equal (kind, "sun-mon") ? OBS_SUN_MON : OBS_NONE;
          f = 3;
        }
      if (fields[f] == NULL)
        continue;
      name = fields[f];
      if (f == 2 && fields[3] != NULL)
        {
          g_autofree char *joined = g_strjoin (" ", fields[2], fields[3], NULL);
          rule.name = g_intern_string (joined);
        }
      else
        rule.name = g_intern_string (name);
      g_array_append_val (holiday_rules, rule);
    }
}

static void
easter_sunday (int  year,
               int *month,
               int *day)
{
  /* The anonymous Gregorian computus (Meeus/Jones/Butcher). */
  int a = year % 19, b = year / 100, c = year % 100;
  int d = b / 4, e = b % 4, f = (b + 8) / 25, g = (b - f + 1) / 3;
  int h = (19 * a + b - d - g + 15) % 30;
  int i = c / 4, k = c % 4;
  int l = (32 + 2 * e + 2 * i - h - k) % 7;
  int m = (a + 11 * h + 22 * l) / 451;

  *month = (h + l - 7 * m + 114) / 31;
  *day = ((h + l - 7 * m + 114) % 31) + 1;
}

static guint32
julian_of (int year,
           int month,
           int day)
{
  if (!g_date_valid_dmy ((GDateDay) day, (GDateMonth) month, (GDateYear) year))
    return 0;
  {
    GDate date;
    g_date_clear (&date, 1);
    g_date_set_dmy (&date, (GDateDay) day, (GDateMonth) month, (GDateYear) year);
    return g_date_get_julian (&date);
  }
}

/* 1 = Monday … 7 = Sunday; julian day 1 (1 Jan of year 1) was a Monday. */
static int
weekday_of (guint32 julian)
{
  return (int) ((julian - 1) % 7) + 1;
}

static guint32
rule_date (const Rule *rule,
           int         year)
{
  switch (rule->kind)
    {
    case RULE_FIXED:
      return julian_of (year, rule->month, rule->day);
    case RULE_ONCE:
      return rule->year == year ? julian_of (year, rule->month, rule->day) : 0;
    case RULE_EASTER:
      {
        int m, d;
        easter_sunday (year, &m, &d);
        return julian_of (year, m, d) + rule->offset;
      }
    case RULE_NTH:
      {
        guint32 first = julian_of (year, rule->month, 1);
        guint32 j;

        if (rule->nth > 0)
          {
            j = first + (guint32) ((rule->weekday - weekday_of (first) + 7) % 7);
            j += (guint32) (7 * (rule->nth - 1));
            return g_date_get_days_in_month ((GDateMonth) rule->month, (GDateYear) year) >
                   j - first ? j : 0;
          }
        else
          {
            guint8 days = g_date_get_days_in_month ((GDateMonth) rule->month, (GDateYear) year);
            guint32 last = first + days - 1;
            return last - (guint32) ((weekday_of (last) - rule->weekday + 7) % 7);
          }
      }
    case RULE_BEFORE:
      {
        guint32 limit = julian_of (year, rule->month, rule->day);
        guint32 j = limit - 1;
        return j - (guint32) ((weekday_of (j) - rule->weekday + 7) % 7);
      }
    default:
      g_assert_not_reached ();
    }
}

static gpointer
year_key (const char *country,
          int         year)
{
  return GUINT_TO_POINTER (((guint) (guchar) country[0] << 24) |
                           ((guint) (guchar) country[1] << 16) |
                           ((guint) year & 0xffff));
}

static GHashTable *
year_table (const char *country,
            int         year)
{
  GHashTable *table = g_hash_table_lookup (holiday_years, year_key (country, year));

  if (table != NULL)
    return table;

  table = g_hash_table_new (NULL, NULL);
  /* Dates first, then the observed days, so a moved holiday never lands
   * on another one. */
  for (guint pass = 0; pass < 2; pass++)
    for (guint i = 0; i < holiday_rules->len; i++)
      {
        const Rule *rule = &g_array_index (holiday_rules, Rule, i);
        guint32 j;
        int wd;

        if (strcmp (rule->country, country) != 0 || (j = rule_date (rule, year)) == 0)
          continue;
        if (pass == 0)
          {
            g_hash_table_insert (table, GUINT_TO_POINTER (j), (gpointer) rule->name);
            continue;
          }
        wd = weekday_of (j);
        if (rule->obs == OBS_NONE || wd < 6 || (rule->obs == OBS_SUN_MON && wd == 6))
          continue;
        if (rule->obs == OBS_FRI_MON)
          j = wd == 6 ? j - 1 : j + 1;
        else
          {
            do
              j++;
            while (weekday_of (j) >= 6 || g_hash_table_contains (table, GUINT_TO_POINTER (j)));
          }
        if (!g_hash_table_contains (table, GUINT_TO_POINTER (j)))
          {
            g_autofree char *name = g_strdup_printf (_("%s (observed)"), rule->name);
            g_hash_table_insert (table, GUINT_TO_POINTER (j), (gpointer) g_intern_string (name));
          }
      }

  g_hash_table_insert (holiday_years, year_key (country, year), table);
  return table;
}

/* The name of the public holiday on that date in @country (ISO 3166-1
 * alpha-2), or NULL when it is a working day there or we do not know. */
const char *
ob_schedule_holiday (const char *country,
                     int         year,
                     int         month,
                     int         day)
{
  guint32 j = julian_of (year, month, day);
  const char *name = NULL;
  char cc[3];

  if (j == 0 || country == NULL || strlen (country) != 2)
    return NULL;
  cc[0] = g_ascii_toupper (country[0]);
  cc[1] = g_ascii_toupper (country[1]);
  cc[2] = '\0';

  g_mutex_lock (&holidays_lock);
  if (holiday_rules == NULL)
    load_rules ();
  /* Observed days can cross into the next or previous year. */
  for (int y = year - 1; y <= year + 1 && name == NULL; y++)
    name = g_hash_table_lookup (year_table (cc, y), GUINT_TO_POINTER (j));
  g_mutex_unlock (&holidays_lock);

  return name;
}

static gint64
local_moment (GTimeZone *zone,
              int        y,
              int        m,
              int        d,
              int        minutes)
{
  g_autoptr(GDateTime) dt = NULL;

  if (minutes >= 24 * 60)
    {
      dt = g_date_time_new (zone, y, m, d, 23, 59, 59);
      return dt ? g_date_time_to_unix (dt) + 1 : -1;
    }
  dt = g_date_time_new (zone, y, m, d, minutes / 60, minutes % 60, 0);
  return dt ? g_date_time_to_unix (dt) : -1;
}

/* The first moment ≥ @at (Unix seconds) inside @window in the recipient's
 * local time (@zone), skipping @country's public holidays when the window
 * says so; -1 when there is none within a year. */
gint64
ob_schedule_next_allowed (const ObSendWindow *window,
                          GTimeZone          *zone,
                          const char         *country,
                          gint64              at)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;
  int y, m, d;
  GDate date;

  g_return_val_if_fail (ob_send_window_is_valid (window), -1);
  g_return_val_if_fail (zone != NULL, -1);

  utc = g_date_time_new_from_unix_utc (at);
  if (utc == NULL)
    return -1;
  local = g_date_time_to_timezone (utc, zone);
  g_date_time_get_ymd (local, &y, &m, &d);
  g_date_clear (&date, 1);
  g_date_set_dmy (&date, (GDateDay) d, (GDateMonth) m, (GDateYear) y);

  for (int i = 0; i < SEARCH_DAYS; i++, g_date_add_days (&date, 1))
    {
      int wd = g_date_get_weekday (&date); /* 1 = Monday */
      gint64 start, end;

      y = g_date_get_year (&date);
      m = g_date_get_month (&date);
      d = g_date_get_day (&date);

      if (!(window->days & (1u << (wd - 1))))
        continue;
      if (window->skip_holidays && ob_schedule_holiday (country, y, m, d) != NULL)
        continue;
      start = local_moment (zone, y, m, d, window->start_min);
      end = local_moment (zone, y, m, d, window->end_min);
      if (start < 0 || end < 0 || at >= end)
        continue;
      return MAX (at, start);
    }

  return -1;
}

gboolean
ob_schedule_is_allowed (const ObSendWindow *window,
                        GTimeZone          *zone,
                        const char         *country,
                        gint64              at)
{
  return ob_schedule_next_allowed (window, zone, country, at) == at;
}
