/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The mock PokeAPI's generated data (names, documents, sprites) and its
 * fault specs, without a server.
 */
#define G_LOG_DOMAIN "test-mock-data"

#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "mock-test-util.h"
#include "sg-mock-api.h"
#include "sg-mock-creatures.h"

static void
test_names (void)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint id = 1; id <= 1025; id++)
    {
      g_autofree char *name = sg_mock_api_creature_name (id);
      g_autofree char *again = sg_mock_api_creature_name (id);

      g_assert_cmpstr (name, ==, again);
      g_assert_cmpuint (strlen (name), >=, 4);
      g_assert_cmpuint (strlen (name), <=, 12);
      for (const char *p = name; *p; p++)
        g_assert_true (g_ascii_islower (*p));
      g_assert_false (g_hash_table_contains (seen, name));
      g_hash_table_add (seen, g_steal_pointer (&name));
    }
}

static void
test_names_original (void)
{
  const char *mirror = g_getenv ("SG_TEST_MIRROR_DIR");
  g_autofree char *index = NULL;
  g_autoptr(GBytes) data = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonArray *results;

  if (mirror == NULL || !g_file_test (mirror, G_FILE_TEST_IS_DIR))
    {
      g_test_skip ("SG_TEST_MIRROR_DIR is not set or absent: no list of real names to compare with");
      return;
    }

  index = g_build_filename (mirror, "api", "v2", "pokemon", "index.json", NULL);
  {
    char *contents = NULL;
    gsize len = 0;

    g_file_get_contents (index, &contents, &len, &error);
    g_assert_no_error (error);
    data = g_bytes_new_take (contents, len);
  }
  root = mt_parse_json (data);
  results = json_object_get_array_member (json_node_get_object (root), "results");
  g_assert_cmpuint (json_array_get_length (results), >, 1000);

  for (guint id = 1; id <= 1025; id++)
    {
      g_autofree char *name = sg_mock_api_creature_name (id);

      for (guint i = 0; i < json_array_get_length (results); i++)
        {
          JsonObject *o = json_array_get_object_element (results, i);

          g_assert_cmpstr (name, !=, json_object_get_string_member (o, "name"));
        }
    }
}

static void
test_document_sizes (void)
{
  const char *origin = "http://127.0.0.1:65535";

  /* Every id (sampled: building is ~10 ms each under sanitizers) has a
   * realistic size, and building twice gives the same bytes. */
  for (guint id = 1; id <= 1025; id += 17)
    {
      g_autoptr(GBytes) doc = sg_mock_creature_document (id, origin);
      g_autoptr(GBytes) again = sg_mock_creature_document (id, origin);
      g_autoptr(JsonNode) root = mt_parse_json (doc);

      g_assert_cmpuint (g_bytes_get_size (doc), >=, 200 * 1000);
      g_assert_cmpuint (g_bytes_get_size (doc), <=, 300 * 1000);
      g_assert_true (g_bytes_equal (doc, again));
      mt_assert_document_shape (root, id, origin);
    }
}

static void
test_sprite_draw (void)
{
  for (guint id = 1; id <= 151; id++)
    {
      g_autoptr(GBytes) a = sg_mock_api_draw_sprite (id, FALSE, FALSE);
      g_autoptr(GBytes) b = sg_mock_api_draw_sprite (id, FALSE, FALSE);
      g_autoptr(GBytes) next = sg_mock_api_draw_sprite (id + 1, FALSE, FALSE);

      g_assert_true (g_bytes_equal (a, b));
      g_assert_false (g_bytes_equal (a, next));
      mt_assert_sprite_png (a);
    }

  /* every variant of every default id draws a sane picture (and, under
   * the sanitizers, stays inside its board) */
  for (guint id = 1; id <= 1025; id++)
    for (guint v = 0; v < 4; v++)
      {
        g_autoptr(GBytes) png = sg_mock_api_draw_sprite (id, v % 2, v / 2);

        mt_assert_sprite_png (png);
      }
}

static void
test_fault_spec_good (void)
{
  g_autoptr(SgMockApi) api = sg_mock_api_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (sg_mock_api_parse_faults (api,
                                           "13=status:404,14=flaky:2,15=hang,16=drip,"
                                           "17=truncate,18=bad-json,19=null-sprite,20=not-png,21=oversize-json,"
                                           "22=oversize-png,23=file-sprite,24=redirect-file,25=redirect-loop,"
                                           "26=status:500",
                                           &error));
  g_assert_no_error (error);
  g_assert_true (sg_mock_api_parse_faults (api, " 1 = flaky , 2=status:429 ", &error));
  g_assert_no_error (error);
  g_assert_true (sg_mock_api_parse_faults (api, "", &error));
  g_assert_no_error (error);
}

static void
test_fault_spec_bad (void)
{
  static const char *const bad[] = {
    "13", "=hang", "13=", "0=hang", "x=hang", "13=hangs", "13=status", "13=status:",
    "13=status:abc", "13=status:200", "13=status:600", "13=flaky:0", "13=flaky:x",
    "13=hang:1", "13=hang,", ",13=hang", "13=hang,13=drip", "13=none", "-1=hang",
    "99999999999=hang",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(SgMockApi) api = sg_mock_api_new ();
      g_autoptr(GError) error = NULL;

      g_test_message ("spec “%s”", bad[i]);
      g_assert_false (sg_mock_api_parse_faults (api, bad[i], &error));
      g_assert_error (error, SG_MOCK_API_ERROR, SG_MOCK_API_ERROR_BAD_FAULT_SPEC);
      g_assert_nonnull (error->message);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/mock/names/deterministic-unique", test_names);
  g_test_add_func ("/mock/names/not-real", test_names_original);
  g_test_add_func ("/mock/document/sizes", test_document_sizes);
  g_test_add_func ("/mock/sprite/draw", test_sprite_draw);
  g_test_add_func ("/mock/faults/spec-good", test_fault_spec_good);
  g_test_add_func ("/mock/faults/spec-bad", test_fault_spec_bad);

  return g_test_run ();
}
