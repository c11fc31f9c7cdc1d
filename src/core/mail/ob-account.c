/* ob-account.c
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-mail"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ob-account.h"
#include "ob-keyring.h"
#include "ob-provider.h"

struct _ObAccount
{
  GObject         parent_instance;

  gint64          id;
  char           *email;
  char           *display_name;
  char           *username;
  char           *provider;
  char           *smtp_host;
  guint16         smtp_port;
  ObMailSecurity  smtp_security;
  char           *imap_host;
  guint16         imap_port;
  ObMailSecurity  imap_security;
  char           *ca_file;
  char           *dry_run_dir;
  guint           daily_limit;
  char           *reply_to;
  char           *signature;
  gint64          created_at;
};

G_DEFINE_FINAL_TYPE (ObAccount, ob_account, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_EMAIL,
  PROP_DISPLAY_NAME,
  PROP_USERNAME,
  PROP_PROVIDER,
  PROP_SMTP_HOST,
  PROP_SMTP_PORT,
  PROP_IMAP_HOST,
  PROP_IMAP_PORT,
  PROP_CA_FILE,
  PROP_DRY_RUN_DIR,
  PROP_DAILY_LIMIT,
  PROP_REPLY_TO,
  PROP_SIGNATURE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

#define ACCOUNT_COLUMNS \
  "id, email, display_name, username, provider, smtp_host, smtp_port, smtp_security, " \
  "imap_host, imap_port, imap_security, ca_file, dry_run_dir, daily_limit, reply_to, " \
  "signature, created_at"

static void
set_string (ObAccount   *self,
            char       **field,
            const char  *value,
            int          prop)
{
  char *copy;

  if (value != NULL && *value == '\0')
    value = NULL;
  if (g_strcmp0 (*field, value) == 0)
    return;
  /* Copied before the old value goes: @value may point into it. */
  copy = g_strdup (value);
  g_free (*field);
  *field = copy;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
ob_account_finalize (GObject *object)
{
  ObAccount *self = OB_ACCOUNT (object);

  g_free (self->email);
  g_free (self->display_name);
  g_free (self->username);
  g_free (self->provider);
  g_free (self->smtp_host);
  g_free (self->imap_host);
  g_free (self->ca_file);
  g_free (self->dry_run_dir);
  g_free (self->reply_to);
  g_free (self->signature);

  G_OBJECT_CLASS (ob_account_parent_class)->finalize (object);
}

static void
ob_account_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  ObAccount *self = OB_ACCOUNT (object);

  switch (prop_id)
    {
    case PROP_ID: g_value_set_int64 (value, self->id); break;
    case PROP_EMAIL: g_value_set_string (value, self->email); break;
    case PROP_DISPLAY_NAME: g_value_set_string (value, self->display_name); break;
    case PROP_USERNAME: g_value_set_string (value, ob_account_get_username (self)); break;
    case PROP_PROVIDER: g_value_set_string (value, self->provider); break;
    case PROP_SMTP_HOST: g_value_set_string (value, self->smtp_host); break;
    case PROP_SMTP_PORT: g_value_set_uint (value, self->smtp_port); break;
    case PROP_IMAP_HOST: g_value_set_string (value, self->imap_host); break;
    case PROP_IMAP_PORT: g_value_set_uint (value, self->imap_port); break;
    case PROP_CA_FILE: g_value_set_string (value, self->ca_file); break;
    case PROP_DRY_RUN_DIR: g_value_set_string (value, self->dry_run_dir); break;
    case PROP_DAILY_LIMIT: g_value_set_uint (value, self->daily_limit); break;
    case PROP_REPLY_TO: g_value_set_string (value, self->reply_to); break;
    case PROP_SIGNATURE: g_value_set_string (value, self->signature); break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ob_account_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  ObAccount *self = OB_ACCOUNT (object);

  switch (prop_id)
    {
    case PROP_EMAIL: g_free (self->email); self->email = g_value_dup_string (value); break;
    case PROP_DISPLAY_NAME: ob_account_set_display_name (self, g_value_get_string (value)); break;
    case PROP_USERNAME: ob_account_set_username (self, g_value_get_string (value)); break;
    case PROP_PROVIDER: ob_account_set_provider (self, g_value_get_string (value)); break;
    case PROP_SMTP_HOST: ob_account_set_smtp (self, g_value_get_string (value), self->smtp_port, self->smtp_security); break;
    case PROP_SMTP_PORT: ob_account_set_smtp (self, self->smtp_host, g_value_get_uint (value), self->smtp_security); break;
    case PROP_IMAP_HOST: ob_account_set_imap (self, g_value_get_string (value), self->imap_port, self->imap_security); break;
    case PROP_IMAP_PORT: ob_account_set_imap (self, self->imap_host, g_value_get_uint (value), self->imap_security); break;
    case PROP_CA_FILE: ob_account_set_ca_file (self, g_value_get_string (value)); break;
    case PROP_DRY_RUN_DIR: ob_account_set_dry_run_dir (self, g_value_get_string (value)); break;
    case PROP_DAILY_LIMIT: ob_account_set_daily_limit (self, g_value_get_uint (value)); break;
    case PROP_REPLY_TO: ob_account_set_reply_to (self, g_value_get_string (value)); break;
    case PROP_SIGNATURE: ob_account_set_signature (self, g_value_get_string (value)); break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ob_account_class_init (ObAccountClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = ob_account_finalize;
  object_class->get_property = ob_account_get_property;
  object_class->set_property = ob_account_set_property;

  properties[PROP_ID] = g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0,
                                            G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_EMAIL] = g_param_spec_string ("email", NULL, NULL, NULL,
                                                G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DISPLAY_NAME] = g_param_spec_string ("display-name", NULL, NULL, NULL, rw);
  properties[PROP_USERNAME] = g_param_spec_string ("username", NULL, NULL, NULL, rw);
  properties[PROP_PROVIDER] = g_param_spec_string ("provider", NULL, NULL, NULL, rw);
  properties[PROP_SMTP_HOST] = g_param_spec_string ("smtp-host", NULL, NULL, NULL, rw);
  properties[PROP_SMTP_PORT] = g_param_spec_uint ("smtp-port", NULL, NULL, 0, 65535, 465, rw);
  properties[PROP_IMAP_HOST] = g_param_spec_string ("imap-host", NULL, NULL, NULL, rw);
  properties[PROP_IMAP_PORT] = g_param_spec_uint ("imap-port", NULL, NULL, 0, 65535, 993, rw);
  properties[PROP_CA_FILE] = g_param_spec_string ("ca-file", NULL, NULL, NULL, rw);
  properties[PROP_DRY_RUN_DIR] = g_param_spec_string ("dry-run-dir", NULL, NULL, NULL, rw);
  properties[PROP_DAILY_LIMIT] = g_param_spec_uint ("daily-limit", NULL, NULL, 1, 1000000, 200, rw);
  properties[PROP_REPLY_TO] = g_param_spec_string ("reply-to", NULL, NULL, NULL, rw);
  properties[PROP_SIGNATURE] = g_param_spec_string ("signature", NULL, NULL, NULL, rw);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ob_account_init (ObAccount *self)
{
  self->smtp_port = 465;
  self->smtp_security = OB_MAIL_SECURITY_TLS;
  self->imap_port = 993;
  self->imap_security = OB_MAIL_SECURITY_TLS;
  self->daily_limit = 200;
}

ObAccount *
ob_account_new (const char *email)
{
  g_return_val_if_fail (email != NULL, NULL);
  return g_object_new (OB_TYPE_ACCOUNT, "email", email, NULL);
}

ObAccount *
ob_account_new_from_preset (const char *email,
                            const char *provider_id)
{
  const ObProvider *p = provider_id ? ob_provider_find (provider_id) : ob_provider_detect_by_email (email);
  g_autoptr(ObAccount) self = NULL;
  g_autofree char *smtp = NULL;
  g_autofree char *imap = NULL;

  g_return_val_if_fail (email != NULL, NULL);
  if (p == NULL)
    return NULL;

  self = ob_account_new (email);
  smtp = ob_provider_expand_host (&p->smtp, email);
  imap = ob_provider_expand_host (&p->imap, email);
  ob_account_set_provider (self, p->id);
  ob_account_set_smtp (self, smtp, p->smtp.port, p->smtp.security);
  ob_account_set_imap (self, imap, p->imap.port, p->imap.security);
  ob_account_set_daily_limit (self, p->daily_limit);
  return g_steal_pointer (&self);
}

gint64 ob_account_get_id (ObAccount *self) { g_return_val_if_fail (OB_IS_ACCOUNT (self), 0); return self->id; }
const char *ob_account_get_email (ObAccount *self) { g_return_val_if_fail (OB_IS_ACCOUNT (self), NULL); return self->email; }
const char *ob_account_get_display_name (ObAccount *self) { g_return_val_if_fail (OB_IS_ACCOUNT (self), NULL); return self->display_name; }
const char *ob_account_get_provider (ObAccount *self) { g_return_val_if_fail (OB_IS_ACCOUNT (self), NULL); return self->provider; }
const char *ob_account_get_smtp_host (ObAccount *self) { g_return_val_if_fail (OB_IS_ACCOUNT (self), NULL); return self->smtp_host; }
guint16 ob_account_get_smtp_port (ObAccount *self) { g_return_val_if_fail (OB_IS_ACCOUNT (self), 0); return self->smtp_port; }
ObMailSecurity ob_account_get_smtp_security (ObAccount *self) { g_return_val_if_fail (OB_IS_ACCOUNT (self), 0); return self->smtp_security; }
const char *ob_account_get_imap_host (ObAccount *self) { g_return_val_if_fail (OB_IS_ACCOUNT (self), NULL); return self->imap_host; }
guint16 ob_account_get_imap_port (ObAccount *self) { g_return_val_if_fail (OB_IS_ACCOUNT (self), 0); return self->imap_port; }
ObMailSecurity ob_account_get_imap_security (ObAccount *self) { g_return_val_if_fail (OB_IS_ACCOUNT (self), 0); return self->imap_security; }
const char *ob_account_get_ca_file (ObAccount *self) { g_return_val_if_fail (OB_IS_ACCOUNT (self), NULL); return self->ca_file; }
const char *ob_account_get_dry_run_dir (ObAccount *self) { g_return_val_if_fail (OB_IS_ACCOUNT (self), NULL); return self->dry_run_dir; }
gboolean ob_account_is_dry_run (ObAccount *self) { g_return_val_if_fail (OB_IS_ACCOUNT (self), FALSE); return self->smtp_security == OB_MAIL_SECURITY_DRY_RUN; }
guint ob_account_get_daily_limit (ObAccount *self) { g_return_val_if_fail (OB_IS_ACCOUNT (self), 0); return self->daily_limit; }
const char *ob_account_get_reply_to (ObAccount *self) { g_return_val_if_fail (OB_IS_ACCOUNT (self), NULL); return self->reply_to; }
const char *ob_account_get_signature (ObAccount *self) { g_return_val_if_fail (OB_IS_ACCOUNT (self), NULL); return self->signature; }
gint64 ob_account_get_created_at (ObAccount *self) { g_return_val_if_fail (OB_IS_ACCOUNT (self), 0); return self->created_at; }

const char *
ob_account_get_username (ObAccount *self)
{
  g_return_val_if_fail (OB_IS_ACCOUNT (self), NULL);
  return self->username ? self->username : self->email;
}

void ob_account_set_display_name (ObAccount *self, const char *name) { g_return_if_fail (OB_IS_ACCOUNT (self)); set_string (self, &self->display_name, name, PROP_DISPLAY_NAME); }
void ob_account_set_username (ObAccount *self, const char *username) { g_return_if_fail (OB_IS_ACCOUNT (self)); set_string (self, &self->username, username, PROP_USERNAME); }
void ob_account_set_provider (ObAccount *self, const char *id) { g_return_if_fail (OB_IS_ACCOUNT (self)); set_string (self, &self->provider, id, PROP_PROVIDER); }
void ob_account_set_ca_file (ObAccount *self, const char *ca_file) { g_return_if_fail (OB_IS_ACCOUNT (self)); set_string (self, &self->ca_file, ca_file, PROP_CA_FILE); }
void ob_account_set_reply_to (ObAccount *self, const char *reply_to) { g_return_if_fail (OB_IS_ACCOUNT (self)); set_string (self, &self->reply_to, reply_to, PROP_REPLY_TO); }
void ob_account_set_signature (ObAccount *self, const char *signature) { g_return_if_fail (OB_IS_ACCOUNT (self)); set_string (self, &self->signature, signature, PROP_SIGNATURE); }

void
ob_account_set_smtp (ObAccount      *self,
                     const char     *host,
                     guint16         port,
                     ObMailSecurity  security)
{
  g_return_if_fail (OB_IS_ACCOUNT (self));

  set_string (self, &self->smtp_host, host, PROP_SMTP_HOST);
  if (self->smtp_port != port)
    {
      self->smtp_port = port;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SMTP_PORT]);
    }
  self->smtp_security = security;
}

void
ob_account_set_imap (ObAccount      *self,
                     const char     *host,
                     guint16         port,
                     ObMailSecurity  security)
{
  g_return_if_fail (OB_IS_ACCOUNT (self));
  g_return_if_fail (security != OB_MAIL_SECURITY_DRY_RUN);

  set_string (self, &self->imap_host, host, PROP_IMAP_HOST);
  if (self->imap_port != port)
    {
      self->imap_port = port;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IMAP_PORT]);
    }
  self->imap_security = security;
}

void
ob_account_set_dry_run_dir (ObAccount  *self,
                            const char *dir)
{
  g_return_if_fail (OB_IS_ACCOUNT (self));

  set_string (self, &self->dry_run_dir, dir, PROP_DRY_RUN_DIR);
  if (dir != NULL && *dir != '\0')
    {
      ob_account_set_smtp (self, "dry-run", 0, OB_MAIL_SECURITY_DRY_RUN);
      ob_account_set_imap (self, NULL, 0, OB_MAIL_SECURITY_TLS);
    }
}

void
ob_account_set_daily_limit (ObAccount *self,
                            guint      limit)
{
  g_return_if_fail (OB_IS_ACCOUNT (self));

  if (self->daily_limit == limit || limit == 0)
    return;
  self->daily_limit = limit;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DAILY_LIMIT]);
}

/* Storage */

static gboolean
validate (ObAccount  *self,
          GError    **error)
{
  const char *at = self->email ? strrchr (self->email, '@') : NULL;

  if (at == NULL || at == self->email || at[1] == '\0' || strpbrk (self->email, " \t\r\n<>") != NULL)
    {
      g_set_error (error, OB_MAIL_ERROR, OB_MAIL_ERROR_INVALID,
                   _("“%s” is not an email address."), self->email ? self->email : "");
      return FALSE;
    }
  if (self->smtp_security == OB_MAIL_SECURITY_DRY_RUN)
    {
      if (self->dry_run_dir == NULL)
        {
          g_set_error (error, OB_MAIL_ERROR, OB_MAIL_ERROR_INVALID,
                       _("A dry-run account needs a folder for its messages."));
          return FALSE;
        }
      return TRUE;
    }
  if (self->smtp_host == NULL || self->smtp_port == 0)
    {
      g_set_error (error, OB_MAIL_ERROR, OB_MAIL_ERROR_INVALID,
                   _("The account for %s has no SMTP server. Enter its name and port."), self->email);
      return FALSE;
    }
  if (self->imap_host != NULL && self->imap_port == 0)
    {
      g_set_error (error, OB_MAIL_ERROR, OB_MAIL_ERROR_INVALID,
                   _("The IMAP server of %s has no port."), self->email);
      return FALSE;
    }
  return TRUE;
}

static void
bind_text (sqlite3_stmt *stmt,
           int           index,
           const char   *text)
{
  if (text != NULL)
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, index);
}

static void
bind_fields (ObAccount    *self,
             sqlite3_stmt *stmt)
{
  bind_text (stmt, 1, self->email);
  bind_text (stmt, 2, self->display_name);
  bind_text (stmt, 3, self->username);
  bind_text (stmt, 4, self->provider);
  bind_text (stmt, 5, self->smtp_host);
  sqlite3_bind_int (stmt, 6, self->smtp_port);
  bind_text (stmt, 7, ob_mail_security_to_string (self->smtp_security));
  bind_text (stmt, 8, self->imap_host);
  if (self->imap_host != NULL)
    {
      sqlite3_bind_int (stmt, 9, self->imap_port);
      bind_text (stmt, 10, ob_mail_security_to_string (self->imap_security));
    }
  else
    {
      sqlite3_bind_null (stmt, 9);
      sqlite3_bind_null (stmt, 10);
    }
  bind_text (stmt, 11, self->ca_file);
  bind_text (stmt, 12, self->dry_run_dir);
  sqlite3_bind_int (stmt, 13, self->daily_limit);
  bind_text (stmt, 14, self->reply_to);
  bind_text (stmt, 15, self->signature);
}

static gboolean
constraint_error (ObAccount  *self,
                  GError    **error)
{
  g_set_error (error, OB_MAIL_ERROR, OB_MAIL_ERROR_INVALID,
               _("There is already an account for %s."), self->email);
  return FALSE;
}

gint64
ob_account_store_add (ObStore    *store,
                      ObAccount  *account,
                      GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GError) local_error = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  g_return_val_if_fail (OB_IS_STORE (store), 0);
  g_return_val_if_fail (OB_IS_ACCOUNT (account), 0);

  if (!validate (account, error))
    return 0;

  stmt = ob_store_prepare (store,
                           "INSERT INTO accounts (email, display_name, username, provider, smtp_host, "
                           "smtp_port, smtp_security, imap_host, imap_port, imap_security, ca_file, "
                           "dry_run_dir, daily_limit, reply_to, signature, created_at, updated_at) "
                           "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?16)",
                           error);
  if (stmt == NULL)
    return 0;
  bind_fields (account, stmt);
  sqlite3_bind_int64 (stmt, 16, now);
  if (!ob_store_step_done (store, stmt, &local_error))
    {
      if (g_error_matches (local_error, OB_STORE_ERROR, OB_STORE_ERROR_CONSTRAINT))
        return constraint_error (account, error);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return 0;
    }

  account->id = ob_store_last_insert_id (store);
  account->created_at = now;
  g_object_notify_by_pspec (G_OBJECT (account), properties[PROP_ID]);
  return account->id;
}

gboolean
ob_account_store_update (ObStore    *store,
                         ObAccount  *account,
                         GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (OB_IS_STORE (store), FALSE);
  g_return_val_if_fail (OB_IS_ACCOUNT (account), FALSE);
  g_return_val_if_fail (account->id > 0, FALSE);

  if (!validate (account, error))
    return FALSE;

  stmt = ob_store_prepare (store,
                           "UPDATE accounts SET email = ?1, display_name = ?2, username = ?3, provider = ?4, "
                           "smtp_host = ?5, smtp_port = ?6, smtp_security = ?7, imap_host = ?8, "
                           "imap_port = ?9, imap_security = ?10, ca_file = ?11, dry_run_dir = ?12, "
                           "daily_limit = ?13, reply_to = ?14, signature = ?15, updated_at = ?16 "
                           "WHERE id = ?17", error);
  if (stmt == NULL)
    return FALSE;
  bind_fields (account, stmt);
  sqlite3_bind_int64 (stmt, 16, g_get_real_time () / G_USEC_PER_SEC);
  sqlite3_bind_int64 (stmt, 17, account->id);
  if (!ob_store_step_done (store, stmt, &local_error))
    {
      if (g_error_matches (local_error, OB_STORE_ERROR, OB_STORE_ERROR_CONSTRAINT))
        return constraint_error (account, error);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (sqlite3_changes (ob_store_get_db (store)) == 0)
    {
      g_set_error (error, OB_MAIL_ERROR, OB_MAIL_ERROR_NOT_FOUND,
                   _("There is no account %lld."), (long long) account->id);
      return FALSE;
    }
  return TRUE;
}

static const char *
column_text (sqlite3_stmt *stmt,
             int           col)
{
  return (const char *) sqlite3_column_text (stmt, col);
}

static ObAccount *
account_from_row (sqlite3_stmt *stmt)
{
  ObAccount *self = ob_account_new (column_text (stmt, 1));
  ObMailSecurity sec = OB_MAIL_SECURITY_TLS;

  self->id = sqlite3_column_int64 (stmt, 0);
  self->display_name = g_strdup (column_text (stmt, 2));
  self->username = g_strdup (column_text (stmt, 3));
  self->provider = g_strdup (column_text (stmt, 4));
  self->smtp_host = g_strdup (column_text (stmt, 5));
  self->smtp_port = (guint16) sqlite3_column_int (stmt, 6);
  ob_mail_security_from_string (column_text (stmt, 7), &sec);
  self->smtp_security = sec;
  self->imap_host = g_strdup (column_text (stmt, 8));
  self->imap_port = (guint16) sqlite3_column_int (stmt, 9);
  sec = OB_MAIL_SECURITY_TLS;
  ob_mail_security_from_string (column_text (stmt, 10), &sec);
  self->imap_security = sec == OB_MAIL_SECURITY_DRY_RUN ? OB_MAIL_SECURITY_TLS : sec;
  self->ca_file = g_strdup (column_text (stmt, 11));
  self->dry_run_dir = g_strdup (column_text (stmt, 12));
  self->daily_limit = MAX (1, sqlite3_column_int (stmt, 13));
  self->reply_to = g_strdup (column_text (stmt, 14));
  self->signature = g_strdup (column_text (stmt, 15));
  self->created_at = sqlite3_column_int64 (stmt, 16);
  return self;
}

ObAccount *
ob_account_store_get (ObStore  *store,
                      gint64    id,
                      GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (OB_IS_STORE (store), NULL);

  stmt = ob_store_prepare (store, "SELECT " ACCOUNT_COLUMNS " FROM accounts WHERE id = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return account_from_row (stmt);
  if (rc != SQLITE_DONE)
    {
      ob_store_set_error (store, error);
      return NULL;
    }
  g_set_error (error, OB_MAIL_ERROR, OB_MAIL_ERROR_NOT_FOUND,
               _("There is no account %lld; see the list of accounts."), (long long) id);
  return NULL;
}

GPtrArray *
ob_account_store_list (ObStore  *store,
                       GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func (g_object_unref);
  int rc;

  g_return_val_if_fail (OB_IS_STORE (store), NULL);

  stmt = ob_store_prepare (store, "SELECT " ACCOUNT_COLUMNS " FROM accounts ORDER BY id", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (out, account_from_row (stmt));
  if (rc != SQLITE_DONE)
    {
      ob_store_set_error (store, error);
      return NULL;
    }
  return g_steal_pointer (&out);
}

gboolean
ob_account_store_delete (ObStore  *store,
                         gint64    id,
                         GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (OB_IS_STORE (store), FALSE);

  stmt = ob_store_prepare (store, "DELETE FROM accounts WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  if (!ob_store_step_done (store, stmt, &local_error))
    {
      if (g_error_matches (local_error, OB_STORE_ERROR, OB_STORE_ERROR_CONSTRAINT))
        {
          g_set_error (error, OB_MAIL_ERROR, OB_MAIL_ERROR_INVALID,
                       _("Account %lld is used by a campaign; remove it from the campaign first."), (long long) id);
          return FALSE;
        }
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (sqlite3_changes (ob_store_get_db (store)) == 0)
    {
      g_set_error (error, OB_MAIL_ERROR, OB_MAIL_ERROR_NOT_FOUND,
                   _("There is no account %lld; see the list of accounts."), (long long) id);
      return FALSE;
    }
  return TRUE;
}

typedef struct
{
  ObStore *store;
  gint64   id;
} RemoveData;

static void
remove_data_free (RemoveData *d)
{
  g_clear_object (&d->store);
  g_free (d);
}

static void
remove_cleared_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RemoveData *d = g_task_get_task_data (task);
  GError *error = NULL;

  if (!ob_keyring_clear_password_finish (result, &error) ||
      !ob_account_store_delete (d->store, d->id, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static gboolean
account_in_use (ObStore  *store,
                gint64    id,
                gboolean *in_use,
                GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt =
    ob_store_prepare (store,
                      "SELECT 1 FROM campaign_accounts WHERE account_id = ?1 "
                      "UNION ALL SELECT 1 FROM queue WHERE account_id = ?1 LIMIT 1", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      ob_store_set_error (store, error);
      return FALSE;
    }
  *in_use = rc == SQLITE_ROW;
  return TRUE;
}

/* Removes the secret, then the row. An account that cannot go (a campaign
 * uses it) is refused before anything changes; a keyring that cannot be
 * reached leaves the account as it was. */
void
ob_account_store_remove_async (ObStore             *store,
                               gint64               id,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  g_autoptr(ObAccount) account = NULL;
  RemoveData *d;
  GError *error = NULL;
  gboolean in_use = FALSE;

  g_task_set_source_tag (task, ob_account_store_remove_async);
  account = ob_account_store_get (store, id, &error);
  if (account == NULL || !account_in_use (store, id, &in_use, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (in_use)
    {
      g_task_return_new_error (task, OB_MAIL_ERROR, OB_MAIL_ERROR_INVALID,
                               _("Account %lld is used by a campaign; remove it from the campaign first."), (long long) id);
      return;
    }

  d = g_new0 (RemoveData, 1);
  d->store = g_object_ref (store);
  d->id = id;
  g_task_set_task_data (task, d, (GDestroyNotify) remove_data_free);

  /* A dry-run account never had a secret. */
  if (ob_account_is_dry_run (account))
    {
      if (!ob_account_store_delete (store, id, &error))
        g_task_return_error (task, error);
      else
        g_task_return_boolean (task, TRUE);
      return;
    }
  ob_keyring_clear_password_async (id, cancellable, remove_cleared_cb, g_steal_pointer (&task));
}

gboolean
ob_account_store_remove_finish (GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
