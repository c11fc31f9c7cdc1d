/* ob-contact-importer.h
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ob-import-report.h"
#include "ob-store.h"

G_BEGIN_DECLS

#define OB_TYPE_CONTACT_IMPORTER (ob_contact_importer_get_type ())

/* What an import is doing, in order. */
typedef enum
{
  OB_IMPORT_STAGE_READING,   /* reading and checking the rows, writing the contacts */
  OB_IMPORT_STAGE_INDEXING,  /* after a big import: the list's indexes made again */
  OB_IMPORT_STAGE_SEARCH,    /* the new contacts put into the search index */
  OB_IMPORT_STAGE_SAVING,    /* committing: too late to cancel */
} ObImportStage;

G_DECLARE_FINAL_TYPE (ObContactImporter, ob_contact_importer, OB, CONTACT_IMPORTER, GObject)

ObContactImporter *ob_contact_importer_new                   (ObStore              *store,
                                                              GFile                *file);
void               ob_contact_importer_set_source            (ObContactImporter    *self,
                                                              const char           *source);
void               ob_contact_importer_set_tags              (ObContactImporter    *self,
                                                              const char * const   *tags);
void               ob_contact_importer_set_apply_suggestions (ObContactImporter    *self,
                                                              gboolean              apply);
ObImportStage      ob_contact_importer_get_stage             (ObContactImporter    *self);
double             ob_contact_importer_get_fraction          (ObContactImporter    *self);
guint              ob_contact_importer_get_rows              (ObContactImporter    *self);

void               ob_contact_importer_import_async          (ObContactImporter    *self,
                                                              GCancellable         *cancellable,
                                                              GAsyncReadyCallback   callback,
                                                              gpointer              user_data);
ObImportReport    *ob_contact_importer_import_finish         (ObContactImporter    *self,
                                                              GAsyncResult         *result,
                                                              GError              **error);
ObImportReport    *ob_contact_importer_import                (ObContactImporter    *self,
                                                              GCancellable         *cancellable,
                                                              GError              **error);

G_END_DECLS
