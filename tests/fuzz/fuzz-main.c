/* fuzz-main.c — runs a libFuzzer target as a GTest program: every file of
 * its corpus (tests/fuzz/corpus/<target>/), then thousands of
 * deterministic mutations of them. The same target builds with
 * -fsanitize=fuzzer for real fuzzing.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "ob-core.h"
#include "ob-test-util.h"

#ifndef FUZZ_TARGET
#error "FUZZ_TARGET must name the target"
#endif

#define MUTATIONS 4000
#define FUZZ_MAX_INPUT (64 * 1024)

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

static const char * const tokens[] = {
  "{{", "}}", "|", "{", "}", "<", ">", "</", "/>", "&", "&#", "&#x", ";", "\"", "'", "=",
  "\r\n", "\n", "\n\n", ":", " ", "\t", "\xC3\xA9", "\xE4\xB8\xAD", "\xF0\x9F\x98\x80", "\xFF",
  "\xC0", "Subject:", "Content-Type: text/html", "Attachment: x", "<a href=\"", "<img src=x>",
  "<script>", "style=\"display:none\"", "http://", "https://bit.ly/", "www.", "!!!", "$$$",
  "FREE", "unsubscribe", "<!--", "-->", "<!DOCTYPE html>", "{{first_name|", "{{company}}",
};

/* A GByteArray is a GArray of bytes; GLib 2.74 has no insert for it. */
static void
insert_bytes (GByteArray   *buf,
              guint         pos,
              const guint8 *data,
              guint         len)
{
  g_array_insert_vals ((GArray *) buf, pos, data, len);
}

/* With OUTBOUND_FUZZ_LAST=FILE, each input is written there before it
 * runs, so the one that crashed can be kept as a regression case. */
static void
run_one (const guint8 *data,
         gsize         len)
{
  const char *last = g_getenv ("OUTBOUND_FUZZ_LAST");

  if (last != NULL)
    g_file_set_contents (last, (const char *) data, len, NULL);
  LLVMFuzzerTestOneInput (data, len);
}

static GPtrArray *
load_corpus (void)
{
  GPtrArray *corpus = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autofree char *dir_path = g_test_build_filename (G_TEST_DIST, "fuzz", "corpus", FUZZ_TARGET, NULL);
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir_path, name, NULL);
      char *contents;
      gsize len;

      if (g_file_get_contents (path, &contents, &len, NULL))
        g_ptr_array_add (corpus, g_bytes_new_take (contents, len));
    }
  g_assert_cmpuint (corpus->len, >, 0);
  return corpus;
}

static void
mutate (GRand      *rand,
        GByteArray *buf,
        GPtrArray  *corpus)
{
  guint n = g_rand_int_range (rand, 1, 6);

  for (guint k = 0; k < n; k++)
    {
      guint pos = buf->len ? g_rand_int_range (rand, 0, buf->len + 1) : 0;

      switch (g_rand_int_range (rand, 0, 7))
        {
        case 0: /* flip a bit */
          if (buf->len)
            {
              guint bit = g_rand_int_range (rand, 0, 8);
              buf->data[MIN (pos, buf->len - 1)] ^= 1 << bit;
            }
          break;
        case 1: /* random byte */
          {
            guint8 b = g_rand_int_range (rand, 0, 256);
            insert_bytes (buf, pos, &b, 1);
          }
          break;
        case 2: /* delete a run */
          if (buf->len)
            {
              guint at = MIN (pos, buf->len - 1);
              guint want = g_rand_int_range (rand, 1, 32);
              guint len = MIN (want, buf->len - at);
              g_byte_array_remove_range (buf, at, len);
            }
          break;
        case 3: /* a token of the formats */
        case 4:
          {
            const char *t = tokens[g_rand_int_range (rand, 0, G_N_ELEMENTS (tokens))];
            insert_bytes (buf, pos, (const guint8 *) t, strlen (t));
          }
          break;
        case 5: /* splice another corpus file */
          {
            GBytes *other = g_ptr_array_index (corpus, g_rand_int_range (rand, 0, corpus->len));
            gsize olen;
            const guint8 *odata = g_bytes_get_data (other, &olen);
            if (olen)
              {
                guint from = g_rand_int_range (rand, 0, olen);
                guint want = g_rand_int_range (rand, 1, 256);
                guint len = MIN (want, olen - from);
                insert_bytes (buf, pos, odata + from, len);
              }
          }
          break;
        default: /* duplicate a run */
          if (buf->len)
            {
              guint at = MIN (pos, buf->len - 1);
              guint want = g_rand_int_range (rand, 1, 64);
              guint len = MIN (want, buf->len - at);
              g_autofree guint8 *copy = g_memdup2 (buf->data + at, len);
              insert_bytes (buf, at, copy, len);
            }
          break;
        }
    }
  if (buf->len > FUZZ_MAX_INPUT)
    g_byte_array_set_size (buf, FUZZ_MAX_INPUT);
}

static void
test_corpus (void)
{
  g_autoptr(GPtrArray) corpus = load_corpus ();

  for (guint i = 0; i < corpus->len; i++)
    {
      gsize len;
      const guint8 *data = g_bytes_get_data (g_ptr_array_index (corpus, i), &len);
      run_one (data, len);
    }
  run_one ((const guint8 *) "", 0);
  g_test_message ("%u corpus inputs", corpus->len);
}

static void
test_mutations (void)
{
  g_autoptr(GPtrArray) corpus = load_corpus ();
  const char *seed_env = g_getenv ("OUTBOUND_FUZZ_SEED");
  const char *count_env = g_getenv ("OUTBOUND_FUZZ_MUTATIONS");
  guint32 seed = seed_env ? (guint32) g_ascii_strtoull (seed_env, NULL, 0) : 0x0B0B0B;
  guint mutations = count_env ? (guint) g_ascii_strtoull (count_env, NULL, 10) : MUTATIONS;
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);

  /* OUTBOUND_FUZZ_SEED and OUTBOUND_FUZZ_MUTATIONS explore further by hand. */
  for (guint i = 0; i < mutations; i++)
    {
      GBytes *start = g_ptr_array_index (corpus, i % corpus->len);
      gsize len;
      const guint8 *data = g_bytes_get_data (start, &len);
      g_autoptr(GByteArray) buf = g_byte_array_sized_new (len + 64);

      g_byte_array_append (buf, data, len);
      mutate (rand, buf, corpus);
      run_one (buf->data, buf->len);
    }
  g_test_message ("%u mutations, seed %u", mutations, seed);
}

int
main (int   argc,
      char *argv[])
{
  ob_core_init ();
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/fuzz/" FUZZ_TARGET "/corpus", test_corpus);
  g_test_add_func ("/fuzz/" FUZZ_TARGET "/mutations", test_mutations);

  return g_test_run ();
}
