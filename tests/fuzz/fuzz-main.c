/* fuzz-main.c — runs a libFuzzer-style target (LLVMFuzzerTestOneInput)
 * as a GTest program: over the seed files given on the command line, then
 * over a few thousand deterministic mutations of them. The same target
 * builds with -fsanitize=fuzzer for long runs.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gio.h>
#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

#define FUZZ_MAX_INPUT (64 * 1024)

static GPtrArray *seeds;
static guint iterations = 3000;

static void
add_seed_path (const char *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          add_seed_path (child);
        }
    }
  else
    {
      char *data = NULL;
      gsize len = 0;

      if (g_file_get_contents (path, &data, &len, NULL))
        g_ptr_array_add (seeds, g_bytes_new_take (data, MIN (len, FUZZ_MAX_INPUT)));
    }
}

static void
test_seeds (void)
{
  g_assert_cmpuint (seeds->len, >, 0);
  for (guint i = 0; i < seeds->len; i++)
    {
      gsize len;
      const guint8 *data = g_bytes_get_data (g_ptr_array_index (seeds, i), &len);
      /* A private copy, so reading past the end is caught by ASan. */
      g_autofree guint8 *copy = g_memdup2 (data, len);

      LLVMFuzzerTestOneInput (copy, len);
    }
}

static const char * const interesting[] = {
  "\0", "\xff", "\"", "@", ",", ";", "\t", "\n", "\r", "\r\n", "\xef\xbc\xa0", "\xe3\x80\x82",
  "\xef\xbb\xbf", "\xff\xfe", "\xfe\xff", "\xc3", "\xe2\x80\x8b", "BEGIN:VCARD\r\n", "END:VCARD\r\n",
  "xn--", "\\", "<", ">", "=", ":", "\xd6\xd0", "mailto:", "\"\"", " ",
};

static void
test_mutations (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20260314);

  for (guint it = 0; it < iterations; it++)
    {
      gsize len;
      const guint8 *seed = g_bytes_get_data (g_ptr_array_index (seeds, g_rand_int_range (rand, 0, seeds->len)), &len);
      g_autoptr(GByteArray) buf = g_byte_array_new ();
      guint n_mut = g_rand_int_range (rand, 1, 9);

      g_byte_array_append (buf, seed, len);
      for (guint m = 0; m < n_mut; m++)
        {
          guint pos = buf->len ? g_rand_int_range (rand, 0, buf->len + 1) : 0;
          guint run = g_rand_int_range (rand, 1, 256);

          switch (g_rand_int_range (rand, 0, 6))
            {
            case 0: /* flip a bit */
              if (buf->len)
                buf->data[MIN (pos, buf->len - 1)] ^= 1 << g_rand_int_range (rand, 0, 8);
              break;
            case 1: /* insert an interesting token */
              {
                const char *tok = interesting[g_rand_int_range (rand, 0, G_N_ELEMENTS (interesting))];
                gsize tl = tok[0] == '\0' ? 1 : strlen (tok);
                g_array_insert_vals ((GArray *) buf, pos, tok, tl);
              }
              break;
            case 2: /* delete a run */
              if (buf->len && pos < buf->len)
                g_byte_array_remove_range (buf, pos, MIN (buf->len - pos, run % 64 + 1));
              break;
            case 3: /* duplicate a run */
              if (buf->len && pos < buf->len && buf->len < FUZZ_MAX_INPUT)
                {
                  guint n = MIN (buf->len - pos, run);
                  g_autofree guint8 *chunk = g_memdup2 (buf->data + pos, n);
                  g_byte_array_append (buf, chunk, n);
                }
              break;
            case 4: /* truncate */
              g_byte_array_set_size (buf, pos);
              break;
            default: /* random byte */
              if (buf->len)
                buf->data[MIN (pos, buf->len - 1)] = g_rand_int_range (rand, 0, 256);
              break;
            }
        }
      if (buf->len > FUZZ_MAX_INPUT)
        g_byte_array_set_size (buf, FUZZ_MAX_INPUT);
      {
        g_autofree guint8 *copy = g_memdup2 (buf->data, buf->len);
        LLVMFuzzerTestOneInput (copy, buf->len);
      }
    }
}

int
main (int   argc,
      char *argv[])
{
  const char *env = g_getenv ("OUTBOUND_FUZZ_ITERATIONS");

  g_test_init (&argc, &argv, NULL);
  if (env != NULL)
    iterations = (guint) g_ascii_strtoull (env, NULL, 10);

  seeds = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  for (int i = 1; i < argc; i++)
    add_seed_path (argv[i]);
  /* Always something to mutate. */
  g_ptr_array_add (seeds, g_bytes_new_static ("a@b.c", 5));

  g_test_add_func ("/fuzz/seeds", test_seeds);
  g_test_add_func ("/fuzz/mutations", test_mutations);

  return g_test_run ();
}
