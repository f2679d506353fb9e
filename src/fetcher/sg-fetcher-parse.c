/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sg-fetcher"

#include "config.h"

#include <string.h>

#include "sg-fetcher-parse.h"
#include "sg-fetcher-scan.h"

G_DEFINE_QUARK (sg-fetcher-parse-error-quark, sg_fetcher_parse_error)

/* Bounds on what is kept, so one RESULT's metadata stays a few KiB even if
 * the document is hostile (the frame cap is 64 KiB). */
#define MAX_NAME_LEN    128
#define MAX_URL_LEN     2048
#define MAX_TYPES       8
#define MAX_STATS       16

static const char *const sprite_keys[] = {
  "front_default", "back_default", "front_shiny", "back_shiny",
};

/* The top-level members anything below reads. */
static const char *const used_members[] = {
  "id", "name", "types", "height", "weight", "stats", "sprites", NULL,
};

/* The string at @member of @object, or NULL if absent, not a string or
 * longer than @max_len. */
static const char *
get_string (JsonObject *object,
            const char *member,
            gsize       max_len)
{
  JsonNode *node;
  const char *s;

  if (object == NULL || (node = json_object_get_member (object, member)) == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  s = json_node_get_string (node);
  if (s == NULL || *s == '\0' || strlen (s) > max_len)
    return NULL;
  return s;
}

static JsonObject *
get_object (JsonObject *object,
            const char *member)
{
  JsonNode *node;

  if (object == NULL || (node = json_object_get_member (object, member)) == NULL)
    return NULL;
  return JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static JsonArray *
get_array (JsonObject *object,
           const char *member)
{
  JsonNode *node;

  if (object == NULL || (node = json_object_get_member (object, member)) == NULL)
    return NULL;
  return JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

/* An integer member, or @fallback when absent or not an integer. */
static gint64
get_int (JsonObject *object,
         const char *member,
         gint64      fallback)
{
  JsonNode *node;

  if (object == NULL || (node = json_object_get_member (object, member)) == NULL)
    return fallback;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return fallback;
  return json_node_get_int (node);
}

static JsonObject *
element_object (JsonArray *array,
                guint      i)
{
  JsonNode *node = json_array_get_element (array, i);

  return JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

/* types: [{"slot":1,"type":{"name":"grass"}},...] -> ["grass",...] in slot order. */
static JsonArray *
keep_types (JsonObject *root)
{
  JsonArray *types = get_array (root, "types");
  JsonArray *kept = json_array_new ();
  const char *by_slot[MAX_TYPES + 1] = { NULL, };
  guint n = types != NULL ? json_array_get_length (types) : 0;

  for (guint i = 0; i < n; i++)
    {
      JsonObject *entry = element_object (types, i);
      gint64 slot = get_int (entry, "slot", (gint64) i + 1);
      const char *name = get_string (get_object (entry, "type"), "name", MAX_NAME_LEN);

      if (name != NULL && slot >= 1 && slot <= MAX_TYPES && by_slot[slot] == NULL)
        by_slot[slot] = name;
    }

  for (guint slot = 1; slot <= MAX_TYPES; slot++)
    if (by_slot[slot] != NULL)
      json_array_add_string_element (kept, by_slot[slot]);

  return kept;
}

/* stats: [{"base_stat":45,"stat":{"name":"hp"}},...] -> {"hp":45,...}. */
static JsonObject *
keep_stats (JsonObject *root)
{
  JsonArray *stats = get_array (root, "stats");
  JsonObject *kept = json_object_new ();
  guint n = stats != NULL ? json_array_get_length (stats) : 0;
  guint n_kept = 0;

  for (guint i = 0; i < n && n_kept < MAX_STATS; i++)
    {
      JsonObject *entry = element_object (stats, i);
      const char *name = get_string (get_object (entry, "stat"), "name", MAX_NAME_LEN);
      gint64 value = get_int (entry, "base_stat", G_MININT64);

      if (name != NULL && value != G_MININT64 && !json_object_has_member (kept, name))
        {
          json_object_set_int_member (kept, name, value);
          n_kept++;
        }
    }

  return kept;
}

static JsonObject *
keep_sprites (JsonObject *root)
{
  JsonObject *sprites = get_object (root, "sprites");
  JsonObject *kept = json_object_new ();

  for (guint i = 0; i < G_N_ELEMENTS (sprite_keys); i++)
    {
      const char *url = get_string (sprites, sprite_keys[i], MAX_URL_LEN);

      if (url != NULL)
        json_object_set_string_member (kept, sprite_keys[i], url);
      else
        json_object_set_null_member (kept, sprite_keys[i]);
    }

  return kept;
}

JsonObject *
sg_fetcher_parse_detail (const char  *data,
                         gsize        len,
                         guint        expected_id,
                         char       **front_default,
                         GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(JsonObject) kept = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GString) reduced = NULL;
  JsonNode *root_node;
  JsonObject *root;
  JsonObject *sprites;
  JsonNode *front_node;
  const char *name;
  const char *front;
  gint64 id;

  g_return_val_if_fail (data != NULL || len == 0, NULL);
  g_return_val_if_fail (front_default != NULL, NULL);

  if (len > G_MAXSSIZE)
    {
      g_set_error_literal (error, SG_FETCHER_PARSE_ERROR, SG_FETCHER_PARSE_ERROR_BAD_JSON,
                           "The detail document is too large");
      return NULL;
    }

  /* Fast path: json-glib builds a tree of only the members we read (~15 KB
   * of the ~230 KB), ten times less work than the whole document. */
  reduced = g_string_sized_new (16 * 1024);
  if (data != NULL && sg_fetcher_scan_members (data, len, used_members, reduced) &&
      json_parser_load_from_data (parser, reduced->str, (gssize) reduced->len, NULL))
    g_debug ("Parsed %" G_GSIZE_FORMAT " of %" G_GSIZE_FORMAT " bytes", reduced->len, len);
  /* Anything the scanner refused or json-glib found wrong in the members:
   * the whole document, so that the error (or a scanner's caution) gets
   * json-glib's full verdict. */
  else if (!json_parser_load_from_data (parser, data != NULL ? data : "", (gssize) len, &local_error))
    {
      g_set_error (error, SG_FETCHER_PARSE_ERROR, SG_FETCHER_PARSE_ERROR_BAD_JSON,
                   "The detail document is not valid JSON: %s", local_error->message);
      return NULL;
    }

  root_node = json_parser_get_root (parser);
  if (root_node == NULL || !JSON_NODE_HOLDS_OBJECT (root_node))
    {
      g_set_error_literal (error, SG_FETCHER_PARSE_ERROR, SG_FETCHER_PARSE_ERROR_BAD_JSON,
                           "The detail document is not a JSON object");
      return NULL;
    }
  root = json_node_get_object (root_node);

  id = get_int (root, "id", -1);
  name = get_string (root, "name", MAX_NAME_LEN);
  if (id <= 0 || id > G_MAXUINT || name == NULL)
    {
      g_set_error_literal (error, SG_FETCHER_PARSE_ERROR, SG_FETCHER_PARSE_ERROR_BAD_JSON,
                           "The detail document has no valid \"id\" and \"name\"");
      return NULL;
    }
  if (expected_id != 0 && (guint) id != expected_id)
    {
      g_set_error (error, SG_FETCHER_PARSE_ERROR, SG_FETCHER_PARSE_ERROR_BAD_JSON,
                   "The detail document is about #%" G_GINT64_FORMAT ", not #%u",
                   id, expected_id);
      return NULL;
    }

  kept = json_object_new ();
  json_object_set_int_member (kept, "id", id);
  json_object_set_string_member (kept, "name", name);
  json_object_set_array_member (kept, "types", keep_types (root));
  json_object_set_int_member (kept, "height", get_int (root, "height", 0));
  json_object_set_int_member (kept, "weight", get_int (root, "weight", 0));
  json_object_set_object_member (kept, "stats", keep_stats (root));
  json_object_set_object_member (kept, "sprites", keep_sprites (root));

  /* front_default is read apart from the kept copy: an over-long URL is
   * kept as null, but for the download it is a bad URL, not "no sprite". */
  sprites = get_object (root, "sprites");
  front_node = sprites != NULL ? json_object_get_member (sprites, "front_default") : NULL;
  if (front_node == NULL || JSON_NODE_HOLDS_NULL (front_node))
    {
      g_set_error_literal (error, SG_FETCHER_PARSE_ERROR, SG_FETCHER_PARSE_ERROR_NO_SPRITE,
                           "The detail document has no front sprite (sprites.front_default is null)");
      return NULL;
    }
  front = get_string (sprites, "front_default", G_MAXSIZE);
  if (front == NULL)
    {
      g_set_error_literal (error, SG_FETCHER_PARSE_ERROR, SG_FETCHER_PARSE_ERROR_NO_SPRITE,
                           "The detail document's sprites.front_default is not a URL string");
      return NULL;
    }

  *front_default = g_strdup (front);
  return g_steal_pointer (&kept);
}
