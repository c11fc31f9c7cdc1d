/* ob-ui-test.h — helpers for the in-process UI tests.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "ob-application.h"
#include "ob-test-util.h"

G_BEGIN_DECLS

/* Runs the main loop for @ms milliseconds (layout, frames, idle work). */
void        ob_ui_test_wait_ms     (guint       ms);
/* The first widget under @root (itself included) with that widget name. */
GtkWidget  *ob_ui_test_find_named  (GtkWidget  *root,
                                    const char *name);
/* Like ob_ui_test_find_named(), but a widget that is not there ends the
 * test with its name. */
GtkWidget  *ob_ui_test_need_named  (GtkWidget  *root,
                                    const char *name);
/* The first visible toplevel window of @type, or NULL. */
GtkWindow  *ob_ui_test_find_toplevel (GType     type);
/* The first widget under @root (itself included) of that type. */
GtkWidget  *ob_ui_test_find_type   (GtkWidget  *root,
                                    GType       type);
/* Renders @window and saves it as $OUTBOUND_SCREENSHOT_DIR/@name.png;
 * returns the rendered texture (for checks on what was drawn). */
GdkTexture *ob_ui_test_screenshot  (GtkWidget  *window,
                                    const char *name);

/* Runs the main loop until @pred (@data) holds, at most @timeout_ms;
 * returns whether it held. */
typedef gboolean (*ObUiTestPredicate) (gpointer data);
gboolean    ob_ui_test_wait_until  (ObUiTestPredicate pred,
                                    gpointer          data,
                                    guint             timeout_ms);
/* The first mapped label or inscription under @root whose text holds
 * @text, or NULL. */
GtkWidget  *ob_ui_test_find_text   (GtkWidget  *root,
                                    const char *text);
/* What a user reads under @root, to the test log: every mapped label and
 * inscription, the ones cut short by an ellipsis marked [CUT]. Ends the
 * test if two controls of @root's window share an Alt key. Returns how
 * many labels are cut. */
guint       ob_ui_test_read_screen (GtkWidget  *root,
                                    const char *what);

/* The start of a walk, run in the user's language: gtk_test_init (which
 * speaks English), then the locale of the environment (zh_CN.UTF-8 made
 * in @locale_dir when the system lacks it), the app's translations and
 * libadwaita. *@chinese: whether $LANGUAGE asks for Chinese. FALSE when
 * that language cannot be had: the test should skip. */
gboolean       ob_ui_test_init_in_users_language (int        *argc,
                                                  char     ***argv,
                                                  ObTestDir  *locale_dir,
                                                  gboolean   *chinese);
/* The app as a user starts it, registered (not unique: tests may run side
 * by side). */
ObApplication *ob_ui_test_new_application        (void);

G_END_DECLS
