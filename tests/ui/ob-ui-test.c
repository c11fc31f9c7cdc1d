/* ob-ui-test.c
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>

#include "ob-ui-test.h"

static gboolean
timeout_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

void
ob_ui_test_wait_ms (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, timeout_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

GtkWidget *
ob_ui_test_find_named (GtkWidget  *root,
                       const char *name)
{
  if (g_strcmp0 (gtk_widget_get_name (root), name) == 0)
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = ob_ui_test_find_named (c, name);
      if (found)
        return found;
    }
  return NULL;
}

GtkWidget *
ob_ui_test_need_named (GtkWidget  *root,
                       const char *name)
{
  GtkWidget *widget = ob_ui_test_find_named (root, name);

  if (widget == NULL)
    g_error ("No widget named “%s”", name);
  return widget;
}

GtkWindow *
ob_ui_test_find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return window;
    }
  return NULL;
}

GtkWidget *
ob_ui_test_find_type (GtkWidget *root,
                      GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = ob_ui_test_find_type (c, type);
      if (found)
        return found;
    }
  return NULL;
}

GdkTexture *
ob_ui_test_screenshot (GtkWidget  *window,
                       const char *name)
{
  const char *dir = g_getenv ("OUTBOUND_SCREENSHOT_DIR");
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (window);
  g_autoptr(GskRenderNode) node = NULL;
  g_autofree char *path = NULL;
  GdkTexture *texture;
  int w = gtk_widget_get_width (window), h = gtk_widget_get_height (window);

  g_assert_nonnull (dir);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);

  /* Not drawn yet right after a change: give it frames. */
  for (int tries = 0; node == NULL && tries < 50; tries++)
    {
      g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();

      if (tries > 0)
        ob_ui_test_wait_ms (100);
      gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), w, h);
      node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
    }
  g_assert_nonnull (node);

  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, w, h));
  path = g_strdup_printf ("%s/%s.png", dir, name);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  return texture;
}

gboolean
ob_ui_test_wait_until (ObUiTestPredicate pred,
                       gpointer          data,
                       guint             timeout_ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (!pred (data))
    {
      if (g_get_monotonic_time () > end)
        return FALSE;
      ob_ui_test_wait_ms (50);
    }
  return TRUE;
}

static void
collect_text (GtkWidget *root,
              GString   *out,
              guint     *n_cut)
{
  if (!gtk_widget_get_mapped (root))
    return;
  if (GTK_IS_LABEL (root) && *gtk_label_get_text (GTK_LABEL (root)) != '\0')
    {
      gboolean cut = pango_layout_is_ellipsized (gtk_label_get_layout (GTK_LABEL (root)));

      g_string_append_printf (out, "  %s%s\n", cut ? "[CUT] " : "", gtk_label_get_text (GTK_LABEL (root)));
      if (cut)
        (*n_cut)++;
    }
  if (GTK_IS_INSCRIPTION (root) && gtk_inscription_get_text (GTK_INSCRIPTION (root)) != NULL)
    g_string_append_printf (out, "  | %s\n", gtk_inscription_get_text (GTK_INSCRIPTION (root)));
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    collect_text (c, out, n_cut);
}

/* The mnemonic keys of the mapped labels under @root, each once; a key
 * already met for another control goes to the test log and counts. An
 * entry row's title and its floating title are one control. */
static guint
count_mnemonic_clashes (GtkWidget  *root,
                        GHashTable *seen)
{
  guint n = 0;

  if (!gtk_widget_get_mapped (root))
    return 0;
  if (GTK_IS_LABEL (root) && gtk_label_get_use_underline (GTK_LABEL (root)) &&
      gtk_label_get_mnemonic_keyval (GTK_LABEL (root)) != GDK_KEY_VoidSymbol &&
      gtk_label_get_mnemonic_keyval (GTK_LABEL (root)) != 0)
    {
      guint key = gdk_keyval_to_lower (gtk_label_get_mnemonic_keyval (GTK_LABEL (root)));
      GtkWidget *target = gtk_label_get_mnemonic_widget (GTK_LABEL (root));
      GtkWidget *other;

      if (target == NULL)
        target = root;
      other = g_hash_table_lookup (seen, GUINT_TO_POINTER (key));
      if (other != NULL && other != target)
        {
          g_test_message ("Alt+%s is both %s and “%s”", gdk_keyval_name (key), G_OBJECT_TYPE_NAME (other),
                          gtk_label_get_label (GTK_LABEL (root)));
          n++;
        }
      else
        g_hash_table_insert (seen, GUINT_TO_POINTER (key), target);
    }
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    n += count_mnemonic_clashes (c, seen);
  return n;
}

GtkWidget *
ob_ui_test_find_text (GtkWidget  *root,
                      const char *text)
{
  const char *shown = NULL;

  if (!gtk_widget_get_mapped (root))
    return NULL;
  if (GTK_IS_LABEL (root))
    shown = gtk_label_get_text (GTK_LABEL (root));
  else if (GTK_IS_INSCRIPTION (root))
    shown = gtk_inscription_get_text (GTK_INSCRIPTION (root));
  if (shown != NULL && strstr (shown, text) != NULL)
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = ob_ui_test_find_text (c, text);

      if (found != NULL)
        return found;
    }
  return NULL;
}

guint
ob_ui_test_read_screen (GtkWidget  *root,
                        const char *what)
{
  g_autoptr(GString) s = g_string_new (NULL);
  g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);
  guint n_cut = 0;
  guint clashes = count_mnemonic_clashes (GTK_WIDGET (gtk_widget_get_root (root)), seen);

  collect_text (root, s, &n_cut);
  g_test_message ("---- %s (%u cut, %u Alt key clashes in the window) ----\n%s", what, n_cut, clashes, s->str);
  g_assert_cmpuint (clashes, ==, 0);
  return n_cut;
}

gboolean
ob_ui_test_init_in_users_language (int        *argc,
                                   char     ***argv,
                                   ObTestDir  *locale_dir,
                                   gboolean   *chinese)
{
  const char *language;

  gtk_test_init (argc, argv, NULL);
  language = g_getenv ("LANGUAGE");
  *chinese = g_str_has_prefix (language ? language : "", "zh");
  if (setlocale (LC_ALL, "") == NULL && *chinese &&
      !ob_test_use_locale (locale_dir, LC_ALL, "zh_CN.UTF-8"))
    return FALSE;
  textdomain (GETTEXT_PACKAGE);
  adw_init ();
  return TRUE;
}

ObApplication *
ob_ui_test_new_application (void)
{
  g_autoptr(GError) error = NULL;
  ObApplication *app = ob_application_new ();

  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  return app;
}
