/* ob-account-server-settings.c
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-account-server-settings"

#include "config.h"

#include <glib/gi18n.h>

#include "ob-account-server-settings.h"

struct _ObAccountServerSettings
{
  AdwBin          parent_instance;

  AdwEntryRow    *smtp_host_row;
  GtkSpinButton  *smtp_port;
  AdwComboRow    *smtp_security_row;
  AdwEntryRow    *imap_host_row;
  GtkSpinButton  *imap_port;
  AdwComboRow    *imap_security_row;
  AdwEntryRow    *username_row;

  char           *email;
};

G_DEFINE_FINAL_TYPE (ObAccountServerSettings, ob_account_server_settings, ADW_TYPE_BIN)

/* The combo rows list SSL/TLS first, then STARTTLS. */
enum { SECURITY_TLS, SECURITY_STARTTLS };

static guint
security_to_index (ObMailSecurity security)
{
  return security == OB_MAIL_SECURITY_STARTTLS ? SECURITY_STARTTLS : SECURITY_TLS;
}

static ObMailSecurity
index_to_security (guint index)
{
  return index == SECURITY_STARTTLS ? OB_MAIL_SECURITY_STARTTLS : OB_MAIL_SECURITY_TLS;
}

/* The host as typed, trimmed; NULL when empty. */
static char *
dup_host (AdwEntryRow *row)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));

  if (*text == '\0')
    return NULL;
  return g_steal_pointer (&text);
}

static gboolean
check_host (const char  *host,
            gboolean     smtp,
            GError     **error)
{
  if (g_hostname_is_ip_address (host))
    return TRUE;
  for (const char *p = host; *p; p++)
    {
      if (g_ascii_isspace (*p) || *p == '/' || *p == '@' || *p == ':')
        {
          if (smtp)
            g_set_error (error, OB_MAIL_ERROR, OB_MAIL_ERROR_INVALID,
                         _("The sending server “%s” is not a server name. Type only the name, such as smtp.example.com, and the port in its own field."),
                         host);
          else
            g_set_error (error, OB_MAIL_ERROR, OB_MAIL_ERROR_INVALID,
                         _("The reading server “%s” is not a server name. Type only the name, such as imap.example.com, and the port in its own field."),
                         host);
          return FALSE;
        }
    }
  return TRUE;
}

/* Switching the security moves the port along when it was the usual one. */
static void
on_security_changed_cb (ObAccountServerSettings *self,
                        GParamSpec              *pspec,
                        AdwComboRow             *row)
{
  gboolean smtp = row == self->smtp_security_row;
  GtkSpinButton *spin = smtp ? self->smtp_port : self->imap_port;
  guint tls_port = smtp ? 465 : 993;
  guint starttls_port = smtp ? 587 : 143;
  guint port = gtk_spin_button_get_value_as_int (spin);
  gboolean starttls = adw_combo_row_get_selected (row) == SECURITY_STARTTLS;

  if (starttls && port == tls_port)
    gtk_spin_button_set_value (spin, starttls_port);
  else if (!starttls && (port == starttls_port || (smtp && port == 25)))
    gtk_spin_button_set_value (spin, tls_port);
}

static void
ob_account_server_settings_finalize (GObject *object)
{
  ObAccountServerSettings *self = (ObAccountServerSettings *)object;

  g_clear_pointer (&self->email, g_free);

  G_OBJECT_CLASS (ob_account_server_settings_parent_class)->finalize (object);
}

static void
ob_account_server_settings_dispose (GObject *object)
{
  /* AdwBin unparents its child (the template's root) itself. */
  adw_bin_set_child (ADW_BIN (object), NULL);

  G_OBJECT_CLASS (ob_account_server_settings_parent_class)->dispose (object);
}

static void
ob_account_server_settings_class_init (ObAccountServerSettingsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ob_account_server_settings_dispose;
  object_class->finalize = ob_account_server_settings_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ob-account-server-settings.ui");
  gtk_widget_class_bind_template_child (widget_class, ObAccountServerSettings, smtp_host_row);
  gtk_widget_class_bind_template_child (widget_class, ObAccountServerSettings, smtp_port);
  gtk_widget_class_bind_template_child (widget_class, ObAccountServerSettings, smtp_security_row);
  gtk_widget_class_bind_template_child (widget_class, ObAccountServerSettings, imap_host_row);
  gtk_widget_class_bind_template_child (widget_class, ObAccountServerSettings, imap_port);
  gtk_widget_class_bind_template_child (widget_class, ObAccountServerSettings, imap_security_row);
  gtk_widget_class_bind_template_child (widget_class, ObAccountServerSettings, username_row);
}

static void
ob_account_server_settings_init (ObAccountServerSettings *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect_swapped (self->smtp_security_row, "notify::selected",
                            G_CALLBACK (on_security_changed_cb), self);
  g_signal_connect_swapped (self->imap_security_row, "notify::selected",
                            G_CALLBACK (on_security_changed_cb), self);
}

GtkWidget *
ob_account_server_settings_new (void)
{
  return g_object_new (OB_TYPE_ACCOUNT_SERVER_SETTINGS, NULL);
}

void
ob_account_server_settings_set_account (ObAccountServerSettings *self,
                                        ObAccount               *account)
{
  const char *username;

  g_return_if_fail (OB_IS_ACCOUNT_SERVER_SETTINGS (self));
  g_return_if_fail (OB_IS_ACCOUNT (account));

  g_free (self->email);
  self->email = g_strdup (ob_account_get_email (account));

  /* The security first: its handler would move the port. */
  adw_combo_row_set_selected (self->smtp_security_row,
                              security_to_index (ob_account_get_smtp_security (account)));
  gtk_editable_set_text (GTK_EDITABLE (self->smtp_host_row),
                         ob_account_get_smtp_host (account) ? ob_account_get_smtp_host (account) : "");
  if (ob_account_get_smtp_port (account) != 0)
    gtk_spin_button_set_value (self->smtp_port, ob_account_get_smtp_port (account));

  if (ob_account_get_imap_host (account) != NULL)
    adw_combo_row_set_selected (self->imap_security_row,
                                security_to_index (ob_account_get_imap_security (account)));
  gtk_editable_set_text (GTK_EDITABLE (self->imap_host_row),
                         ob_account_get_imap_host (account) ? ob_account_get_imap_host (account) : "");
  if (ob_account_get_imap_port (account) != 0)
    gtk_spin_button_set_value (self->imap_port, ob_account_get_imap_port (account));

  /* The login name shows only when it differs from the address. */
  username = ob_account_get_username (account);
  gtk_editable_set_text (GTK_EDITABLE (self->username_row),
                         g_strcmp0 (username, self->email) != 0 && username ? username : "");
}

gboolean
ob_account_server_settings_apply (ObAccountServerSettings  *self,
                                  ObAccount                *account,
                                  GError                  **error)
{
  g_autofree char *smtp_host = NULL;
  g_autofree char *imap_host = NULL;
  g_autofree char *username = NULL;

  g_return_val_if_fail (OB_IS_ACCOUNT_SERVER_SETTINGS (self), FALSE);
  g_return_val_if_fail (OB_IS_ACCOUNT (account), FALSE);

  smtp_host = dup_host (self->smtp_host_row);
  imap_host = dup_host (self->imap_host_row);
  username = dup_host (self->username_row);

  if (smtp_host == NULL)
    {
      g_set_error (error, OB_MAIL_ERROR, OB_MAIL_ERROR_INVALID,
                   _("Enter the sending (SMTP) server, such as smtp.example.com. Your mail provider’s help pages name it."));
      return FALSE;
    }
  if (!check_host (smtp_host, TRUE, error))
    return FALSE;
  if (imap_host != NULL && !check_host (imap_host, FALSE, error))
    return FALSE;

  ob_account_set_smtp (account, smtp_host, gtk_spin_button_get_value_as_int (self->smtp_port),
                       index_to_security (adw_combo_row_get_selected (self->smtp_security_row)));
  ob_account_set_imap (account, imap_host, imap_host ? gtk_spin_button_get_value_as_int (self->imap_port) : 0,
                       index_to_security (adw_combo_row_get_selected (self->imap_security_row)));
  ob_account_set_username (account, username);
  return TRUE;
}
