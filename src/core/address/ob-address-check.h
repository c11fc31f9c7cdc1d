/* ob-address-check.h
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum
{
  OB_ADDRESS_VERDICT_VALID,
  OB_ADDRESS_VERDICT_RISKY,
  OB_ADDRESS_VERDICT_INVALID,
} ObAddressVerdict;

/* Why an address is not valid. The ids (ob_address_reason_to_string) are
 * those of CLI.md and are never translated. */
typedef enum
{
  OB_ADDRESS_REASON_SYNTAX          = 1 << 0,
  OB_ADDRESS_REASON_TYPO_DOMAIN     = 1 << 1,
  OB_ADDRESS_REASON_NO_DOMAIN       = 1 << 2,
  OB_ADDRESS_REASON_NO_MX           = 1 << 3,
  OB_ADDRESS_REASON_NULL_MX         = 1 << 4,
  OB_ADDRESS_REASON_DISPOSABLE      = 1 << 5,
  OB_ADDRESS_REASON_SUPPRESSED      = 1 << 6,
  OB_ADDRESS_REASON_RESERVED_DOMAIN = 1 << 7,
} ObAddressReason;

#define OB_ADDRESS_N_REASONS 8

/* Information only; none of these makes an address less valid. */
typedef enum
{
  OB_ADDRESS_FLAG_ROLE          = 1 << 0,
  OB_ADDRESS_FLAG_FREE_PROVIDER = 1 << 1,
  OB_ADDRESS_FLAG_IDN           = 1 << 2,
  OB_ADDRESS_FLAG_SMTPUTF8      = 1 << 3,
  OB_ADDRESS_FLAG_QUOTED        = 1 << 4,
} ObAddressFlag;

#define OB_ADDRESS_N_FLAGS 5

typedef enum
{
  OB_ADDRESS_CHECK_DEFAULT    = 0,
  /* Parse the input exactly as given: no repair of full-width characters,
   * display names, quotes or stray punctuation. */
  OB_ADDRESS_CHECK_STRICT     = 1 << 0,
  /* Do not look for a typo suggestion. */
  OB_ADDRESS_CHECK_NO_SUGGEST = 1 << 1,
} ObAddressCheckFlags;

typedef struct _ObAddressCheck ObAddressCheck;

#define OB_TYPE_ADDRESS_CHECK (ob_address_check_get_type ())

GType             ob_address_check_get_type          (void) G_GNUC_CONST;

ObAddressCheck   *ob_address_check                   (const char          *input,
                                                      ObAddressCheckFlags  flags);
ObAddressCheck   *ob_address_check_ref               (ObAddressCheck      *self);
void              ob_address_check_unref             (ObAddressCheck      *self);

const char       *ob_address_check_get_input         (const ObAddressCheck *self);
const char       *ob_address_check_get_address       (const ObAddressCheck *self);
const char       *ob_address_check_get_ascii_address (const ObAddressCheck *self);
const char       *ob_address_check_get_local         (const ObAddressCheck *self);
const char       *ob_address_check_get_domain        (const ObAddressCheck *self);
const char       *ob_address_check_get_ascii_domain  (const ObAddressCheck *self);
const char       *ob_address_check_get_suggestion    (const ObAddressCheck *self);
ObAddressVerdict  ob_address_check_get_verdict       (const ObAddressCheck *self);
guint             ob_address_check_get_reasons       (const ObAddressCheck *self);
guint             ob_address_check_get_flags         (const ObAddressCheck *self);
gboolean          ob_address_check_has_reason        (const ObAddressCheck *self,
                                                      ObAddressReason       reason);
gboolean          ob_address_check_has_flag          (const ObAddressCheck *self,
                                                      ObAddressFlag         flag);
char             *ob_address_check_dup_key           (const ObAddressCheck *self);
GStrv             ob_address_check_dup_reason_ids    (const ObAddressCheck *self);
GStrv             ob_address_check_dup_flag_ids      (const ObAddressCheck *self);
char             *ob_address_check_dup_reasons_joined (const ObAddressCheck *self);
char             *ob_address_check_dup_flags_joined  (const ObAddressCheck *self);

/* For the layers that know more (DNS, suppressions): adds a reason and
 * recomputes the verdict. */
void              ob_address_check_add_reason        (ObAddressCheck      *self,
                                                      ObAddressReason      reason);

const char       *ob_address_verdict_to_string       (ObAddressVerdict     verdict);
ObAddressVerdict  ob_address_verdict_for_reasons     (guint                reasons);
guint             ob_address_reasons_from_string     (const char          *joined);
char             *ob_address_reasons_to_string       (guint                reasons);
const char       *ob_address_reason_to_string        (ObAddressReason      reason);
const char       *ob_address_flag_to_string          (ObAddressFlag        flag);
const char       *ob_address_reason_describe         (ObAddressReason      reason);

char             *ob_address_normalize               (const char          *input);
char             *ob_address_dedup_key               (const char          *input);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ObAddressCheck, ob_address_check_unref)

G_END_DECLS
