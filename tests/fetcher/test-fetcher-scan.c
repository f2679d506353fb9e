/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The helper's fast path through a detail document: the top-level scanner
 * (sg-fetcher-scan.c) must keep exactly the members asked for, refuse
 * anything that is not a structurally sound object, and give the same
 * result as json-glib's full parse on real PokeAPI documents.
 */
#define G_LOG_DOMAIN "test-fetcher-scan"

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "sg-fetcher-parse.h"
#include "sg-fetcher-scan.h"

static const char *const wanted[] = { "id", "name", "sprites", NULL };

/* The scanner's output for @text, or NULL when it refuses. */
static char *
scan (const char *text)
{
  g_autoptr(GString) out = g_string_new (NULL);

  if (!sg_fetcher_scan_members (text, strlen (text), wanted, out))
    return NULL;
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
assert_scan (const char *text,
             const char *expected)
{
  g_autofree char *out = scan (text);

  g_assert_cmpstr (out, ==, expected);
}

static void
test_keeps_members (void)
{
  assert_scan ("{}", "{}");
  assert_scan (" \n{ } \n", "{}");
  assert_scan ("{\"moves\":[1,2,3]}", "{}");
  assert_scan ("{\"id\":1,\"name\":\"bulbasaur\",\"moves\":[{\"a\":[]}]}",
               "{\"id\":1,\"name\":\"bulbasaur\"}");
  /* Order of the document, whitespace inside a member kept verbatim. */
  assert_scan ("{ \"name\" : \"x\" , \"order\": 3, \"id\" :\n7 }",
               "{\"name\" : \"x\",\"id\" :\n7}");
  /* A member that only starts like a wanted one is not wanted. */
  assert_scan ("{\"identity\":1,\"names\":[],\"id\":2}", "{\"id\":2}");
  /* Duplicates stay, so json-glib resolves them as it would have. */
  assert_scan ("{\"id\":1,\"id\":2}", "{\"id\":1,\"id\":2}");
  /* Literals and nested values of every kind. */
  assert_scan ("{\"sprites\":{\"front_default\":null,\"other\":{\"x\":[true,false,-1.5e3]}}}",
               "{\"sprites\":{\"front_default\":null,\"other\":{\"x\":[true,false,-1.5e3]}}}");
}

static void
test_strings_hide_brackets (void)
{
  /* Brackets, quotes and backslashes inside strings are not structure. */
  assert_scan ("{\"moves\":\"}]{[\",\"id\":1}", "{\"id\":1}");
  assert_scan ("{\"moves\":[\"a\\\"]}\",\"\\\\\"],\"id\":1}", "{\"id\":1}");
  assert_scan ("{\"name\":\"a \\\"quoted\\\" name\"}", "{\"name\":\"a \\\"quoted\\\" name\"}");
}

static void
test_refuses_broken (void)
{
  static const char *const broken[] = {
    "",
    "   ",
    "[1, 2, 3]",
    "\"id\"",
    "{",
    "{\"id\":1",
    "{\"id\":1,}x",
    "{\"id\" 1}",
    "{id:1}",
    "{\"id\":}",
    "{\"id\":1 \"name\":2}",
    "{\"moves\":[1,2}",            /* the wrong bracket closes */
    "{\"moves\":[{]}",
    "{\"moves\":\"no end}",
    "{\"id\":1}}",
    "{\"id\":1} trailing",
    "{\"id\":1}{\"id\":2}",
    "{\"\\u0069d\":1}",             /* an escaped key: cannot compare bytes */
    "{\"moves\":\"ends with a backslash\\",
  };

  for (guint i = 0; i < G_N_ELEMENTS (broken); i++)
    {
      g_autofree char *out = scan (broken[i]);

      if (out != NULL)
        g_error ("accepted %s as %s", broken[i], out);
    }
}

static void
test_deep_nesting (void)
{
  g_autoptr(GString) deep = g_string_new ("{\"moves\":");
  g_autofree char *out = NULL;

  /* Within the scanner's depth: fine. */
  for (guint i = 0; i < 100; i++)
    g_string_append_c (deep, '[');
  for (guint i = 0; i < 100; i++)
    g_string_append_c (deep, ']');
  g_string_append (deep, ",\"id\":1}");
  out = scan (deep->str);
  g_assert_cmpstr (out, ==, "{\"id\":1}");
  g_clear_pointer (&out, g_free);

  /* Deeper: it gives up (json-glib gets the whole document instead). */
  g_string_assign (deep, "{\"moves\":");
  for (guint i = 0; i < 1000; i++)
    g_string_append_c (deep, '[');
  for (guint i = 0; i < 1000; i++)
    g_string_append_c (deep, ']');
  g_string_append_c (deep, '}');
  g_assert_null (scan (deep->str));
}

static void
test_not_nul_terminated (void)
{
  static const char text[] = "{\"id\":12}{\"id\":13}";
  g_autoptr(GString) out = g_string_new (NULL);

  /* Only the first @len bytes count. */
  g_assert_true (sg_fetcher_scan_members (text, 9, wanted, out));
  g_assert_cmpstr (out->str, ==, "{\"id\":12}");
  g_string_truncate (out, 0);
  g_assert_false (sg_fetcher_scan_members (text, 8, wanted, out));
}

/* The fast path and the fallback give the helper the same answers. */
static void
test_parse_detail (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *front = NULL;
  g_autoptr(JsonObject) kept = NULL;
  const char *doc =
    "{\"moves\":[{\"move\":{\"name\":\"cut\"}}],\"id\":25,\"name\":\"pikachu\","
    "\"types\":[{\"slot\":1,\"type\":{\"name\":\"electric\"}}],\"height\":4,\"weight\":60,"
    "\"stats\":[{\"base_stat\":35,\"stat\":{\"name\":\"hp\"}}],"
    "\"sprites\":{\"front_default\":\"https://example.org/25.png\"}}";

  kept = sg_fetcher_parse_detail (doc, strlen (doc), 25, &front, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (front, ==, "https://example.org/25.png");
  g_assert_cmpstr (json_object_get_string_member (kept, "name"), ==, "pikachu");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (kept, "stats"), "hp"),
                   ==, 35);
  g_assert_cmpint (json_object_get_int_member (kept, "weight"), ==, 60);
}

static void
test_parse_detail_errors (void)
{
  static const char *const bad[] = {
    /* A kept member that is not JSON: the full parse reports it. */
    "{\"id\":25,\"name\":\"pikachu\",\"sprites\":{\"front_default\":nope}}",
    /* The last bracket closes the wrong thing (the mock's bad-json fault). */
    "{\"id\":25,\"name\":\"pikachu\",\"moves\":[],\"sprites\":{\"front_default\":\"x\"}]",
    "{\"id\":25,",
    "[]",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *front = NULL;
      g_autoptr(JsonObject) kept = sg_fetcher_parse_detail (bad[i], strlen (bad[i]), 25, &front, &error);

      g_assert_null (kept);
      g_assert_error (error, SG_FETCHER_PARSE_ERROR, SG_FETCHER_PARSE_ERROR_BAD_JSON);
    }
}

/* Real documents: what the scanner keeps is exactly what json-glib finds
 * in the whole document. */
static void
test_mirror_documents (void)
{
  const char *mirror = g_getenv ("SG_TEST_MIRROR_DIR");
  static const char *const used[] = {
    "id", "name", "types", "height", "weight", "stats", "sprites", NULL,
  };
  guint checked = 0;

  if (mirror == NULL || !g_file_test (mirror, G_FILE_TEST_IS_DIR))
    {
      g_test_skip ("No pokeapi-mirror (SG_TEST_MIRROR_DIR) beside the checkout");
      return;
    }

  for (guint id = 1; id <= 151; id += 15)
    {
      g_autofree char *path = g_strdup_printf ("%s/api/v2/pokemon/%u/index.json", mirror, id);
      g_autofree char *text = NULL;
      gsize len;
      g_autoptr(GError) error = NULL;
      g_autoptr(GString) out = g_string_new (NULL);
      g_autoptr(JsonParser) full = json_parser_new ();
      g_autoptr(JsonParser) reduced = json_parser_new ();
      JsonObject *full_root, *reduced_root;

      if (!g_file_get_contents (path, &text, &len, NULL))
        continue;

      g_assert_true (sg_fetcher_scan_members (text, len, used, out));
      g_assert_cmpuint (out->len, <, len / 4);
      json_parser_load_from_data (full, text, len, &error);
      g_assert_no_error (error);
      json_parser_load_from_data (reduced, out->str, out->len, &error);
      g_assert_no_error (error);

      full_root = json_node_get_object (json_parser_get_root (full));
      reduced_root = json_node_get_object (json_parser_get_root (reduced));
      g_assert_cmpuint (json_object_get_size (reduced_root), ==, g_strv_length ((char **) used));
      for (guint i = 0; used[i] != NULL; i++)
        g_assert_true (json_node_equal (json_object_get_member (full_root, used[i]),
                                        json_object_get_member (reduced_root, used[i])));
      checked++;
    }

  g_assert_cmpuint (checked, >, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/fetcher-scan/keeps-members", test_keeps_members);
  g_test_add_func ("/fetcher-scan/strings-hide-brackets", test_strings_hide_brackets);
  g_test_add_func ("/fetcher-scan/refuses-broken", test_refuses_broken);
  g_test_add_func ("/fetcher-scan/deep-nesting", test_deep_nesting);
  g_test_add_func ("/fetcher-scan/not-nul-terminated", test_not_nul_terminated);
  g_test_add_func ("/fetcher-scan/parse-detail", test_parse_detail);
  g_test_add_func ("/fetcher-scan/parse-detail-errors", test_parse_detail_errors);
  g_test_add_func ("/fetcher-scan/mirror-documents", test_mirror_documents);

  return g_test_run ();
}
