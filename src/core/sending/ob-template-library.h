/* ob-template-library.h — templates kept in the store, with their versions
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "ob-store.h"
#include "ob-template.h"

G_BEGIN_DECLS

gboolean    ob_template_library_save          (ObStore     *store,
                                               ObTemplate  *template,
                                               GError     **error);
ObTemplate *ob_template_library_load          (ObStore     *store,
                                               gint64       id,
                                               GError     **error);
GPtrArray  *ob_template_library_list          (ObStore     *store,
                                               GError     **error);
GPtrArray  *ob_template_library_list_versions (ObStore     *store,
                                               gint64       id,
                                               GError     **error);
gboolean    ob_template_library_can_delete    (ObStore     *store,
                                               gint64       id,
                                               GError     **error);
gboolean    ob_template_library_delete        (ObStore     *store,
                                               gint64       id,
                                               GError     **error);

G_END_DECLS
