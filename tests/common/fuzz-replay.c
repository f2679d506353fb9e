/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Runs every file of the fuzz corpus through the fuzz target, one test case
 * per file, so each `meson test` exercises the corpus (and any crash input
 * added to it) without needing clang or libFuzzer.
 */
#define G_LOG_DOMAIN "fuzz-replay"

#include "config.h"

#include <glib.h>

#include "fuzz-frame.h"

static void
replay_file (gconstpointer data)
{
  const char *path = data;
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  gsize len;

  g_file_get_contents (path, &contents, &len, &error);
  g_assert_no_error (error);
  LLVMFuzzerTestOneInput ((const guint8 *) contents, len);
}

/* Inputs no corpus file holds: nothing at all, and a seed byte alone. */
static void
replay_degenerate (void)
{
  LLVMFuzzerTestOneInput (NULL, 0);
  LLVMFuzzerTestOneInput ((const guint8 *) "\0", 1);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(char *const *) a, *(char *const *) b);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GError) error = NULL;
  const char *name;

  g_test_init (&argc, &argv, NULL);

  dir = g_dir_open (SG_FUZZ_CORPUS_DIR, 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (paths, g_build_filename (SG_FUZZ_CORPUS_DIR, name, NULL));
  g_ptr_array_sort (paths, compare_names);
  g_assert_cmpuint (paths->len, >, 0);

  for (guint i = 0; i < paths->len; i++)
    {
      g_autofree char *base = g_path_get_basename (paths->pdata[i]);
      g_autofree char *test_path = g_strdup_printf ("/fuzz-replay/%s", base);

      g_test_add_data_func (test_path, paths->pdata[i], replay_file);
    }

  g_test_add_func ("/fuzz-replay/degenerate", replay_degenerate);

  return g_test_run ();
}
