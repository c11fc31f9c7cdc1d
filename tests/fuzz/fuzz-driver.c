/* fuzz-driver.c — runs a libFuzzer-style target without libFuzzer: over
 * the seed files given as arguments (files or directories), then over
 * deterministic mutations of them (byte flips, insertions, deletions,
 * truncations, splices). A crash, a sanitizer report or a critical
 * warning fails the test. --iterations=N (or OUTBOUND_FUZZ_ITERATIONS)
 * sets the number of mutations; the default is 3000.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ob-core.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static int
sort_names (gconstpointer a,
            gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static void
add_seed (GPtrArray  *seeds,
          const char *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
      const char *name;

      /* In name order, so that the mutations pick the same seeds on
       * every file system. */
      while (dir && (name = g_dir_read_name (dir)) != NULL)
        g_ptr_array_add (names, g_strdup (name));
      g_ptr_array_sort (names, sort_names);
      for (guint i = 0; i < names->len; i++)
        {
          g_autofree char *child = g_build_filename (path, g_ptr_array_index (names, i), NULL);
          add_seed (seeds, child);
        }
    }
  else
    {
      char *contents = NULL;
      gsize len = 0;

      if (!g_file_get_contents (path, &contents, &len, NULL))
        g_error ("Cannot read seed %s", path);
      g_ptr_array_add (seeds, g_bytes_new_take (contents, len));
    }
}

static GByteArray *
mutate (GRand  *rand,
        GBytes *seed,
        GBytes *other)
{
  gsize len = 0;
  const guint8 *data = g_bytes_get_data (seed, &len);
  GByteArray *out = g_byte_array_sized_new (len + 16);
  guint rounds = g_rand_int_range (rand, 1, 8);

  g_byte_array_append (out, data, len);
  for (guint r = 0; r < rounds; r++)
    {
      guint pos = out->len ? g_rand_int_range (rand, 0, out->len) : 0;

      switch (g_rand_int_range (rand, 0, 6))
        {
        case 0: /* flip a bit */
          if (out->len)
            out->data[pos] ^= 1u << g_rand_int_range (rand, 0, 8);
          break;
        case 1: /* an interesting byte */
          if (out->len)
            {
              static const guint8 interesting[] = { 0, 0xff, 0x7f, 0x80, '\n', '\r', '"', ',', ';',
                                                    '{', '}', '<', '>', '@', '.', '=', '\\', 0xc0 };
              out->data[pos] = interesting[g_rand_int_range (rand, 0, G_N_ELEMENTS (interesting))];
            }
          break;
        case 2: /* insert random bytes */
          {
            guint8 buf[8];
            guint n = g_rand_int_range (rand, 1, sizeof buf);
            for (guint i = 0; i < n; i++)
              buf[i] = g_rand_int_range (rand, 0, 256);
            if (pos <= out->len)
              {
                g_byte_array_set_size (out, out->len + n);
                memmove (out->data + pos + n, out->data + pos, out->len - n - pos);
                memcpy (out->data + pos, buf, n);
              }
          }
          break;
        case 3: /* delete a range */
          if (out->len)
            {
              guint n = g_rand_int_range (rand, 1, 32);
              g_byte_array_remove_range (out, pos, MIN (n, out->len - pos));
            }
          break;
        case 4: /* truncate */
          g_byte_array_set_size (out, pos);
          break;
        case 5: /* splice in part of another seed */
        default:
          {
            gsize olen = 0;
            const guint8 *odata = g_bytes_get_data (other, &olen);
            if (olen)
              {
                guint start = g_rand_int_range (rand, 0, olen);
                gsize n = g_rand_int_range (rand, 1, 64);
                n = MIN (n, olen - start);
                g_byte_array_set_size (out, pos);
                g_byte_array_append (out, odata + start, n);
              }
          }
          break;
        }
    }
  return out;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GPtrArray) seeds = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261122);
  const char *env = g_getenv ("OUTBOUND_FUZZ_ITERATIONS");
  guint iterations = env ? (guint) atoi (env) : 3000;

  ob_core_init ();

  for (int i = 1; i < argc; i++)
    {
      if (g_str_has_prefix (argv[i], "--iterations="))
        iterations = (guint) atoi (argv[i] + strlen ("--iterations="));
      else
        add_seed (seeds, argv[i]);
    }
  if (seeds->len == 0)
    g_ptr_array_add (seeds, g_bytes_new_static ("", 0));

  for (guint i = 0; i < seeds->len; i++)
    {
      gsize len;
      const guint8 *data = g_bytes_get_data (seeds->pdata[i], &len);
      LLVMFuzzerTestOneInput (data, len);
    }

  for (guint i = 0; i < iterations; i++)
    {
      GBytes *seed = seeds->pdata[g_rand_int_range (rand, 0, seeds->len)];
      GBytes *other = seeds->pdata[g_rand_int_range (rand, 0, seeds->len)];
      g_autoptr(GByteArray) input = mutate (rand, seed, other);

      LLVMFuzzerTestOneInput (input->data, input->len);
    }

  g_print ("%u seeds, %u mutations: no crash\n", seeds->len, iterations);
  return 0;
}
