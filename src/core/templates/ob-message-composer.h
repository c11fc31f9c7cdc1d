/* ob-message-composer.h
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gmime/gmime.h>

#include "ob-template.h"

G_BEGIN_DECLS

#define OB_TYPE_MESSAGE_COMPOSER (ob_message_composer_get_type ())

G_DECLARE_FINAL_TYPE (ObMessageComposer, ob_message_composer, OB, MESSAGE_COMPOSER, GObject)

ObMessageComposer *ob_message_composer_new                 (const char         *sender_email,
                                                            const char         *sender_name);
const char        *ob_message_composer_get_sender_email    (ObMessageComposer  *self);
void               ob_message_composer_set_reply_to        (ObMessageComposer  *self,
                                                            const char         *reply_to);
void               ob_message_composer_set_signature       (ObMessageComposer  *self,
                                                            const char         *signature);
void               ob_message_composer_set_date            (ObMessageComposer  *self,
                                                            GDateTime          *date);
gboolean           ob_message_composer_set_unsubscribe_url (ObMessageComposer  *self,
                                                            const char         *url,
                                                            GError            **error);
GMimeMessage      *ob_message_composer_compose             (ObMessageComposer  *self,
                                                            ObTemplate         *template,
                                                            GHashTable         *contact,
                                                            GError            **error);
GBytes            *ob_message_composer_to_bytes            (GMimeMessage       *message);
gboolean           ob_message_composer_address_is_valid    (const char         *address);

G_END_DECLS
