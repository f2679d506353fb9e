/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sg-mock-creatures"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "sg-mock-creatures.h"

/*
 * All words below are invented or plain English: the mock must not carry
 * anybody's creature names, only the shape of the data.
 */

/* Names are ONSET + JOINT + ENDING ("za" + "rp" + "let" = "zarplet"). The
 * three tables multiply to NAME_SPACE; ids are mapped onto that space by an
 * affine bijection, so ids 1..NAME_SPACE-1 all get different names that do
 * not simply count up. */
static const char *const name_onsets[] = {
  "za", "mo", "ki", "pu", "lu", "bo", "ri", "fa", "ne", "to", "gi", "sha",
  "wu", "ve", "dro", "ple", "qua", "mi", "ro", "tsu", "bi", "glo", "nu", "cha",
};
static const char *const name_joints[] = {
  "rp", "mb", "nk", "l", "zz", "sk", "pp", "rl",
  "nd", "mp", "ft", "gg", "sh", "v", "tt", "rb",
};
static const char *const name_endings[] = {
  "let", "ix", "on", "ee", "ap", "uff", "ora", "ik", "y", "el", "oo", "ash",
};
#define NAME_SPACE (G_N_ELEMENTS (name_onsets) * G_N_ELEMENTS (name_joints) * G_N_ELEMENTS (name_endings))
/* Coprime with NAME_SPACE (4608 = 2^9 * 3^2), hence a bijection. */
#define NAME_STRIDE 2957u
#define NAME_OFFSET 1234u

/* Type names and ids as the live API numbers them (they are ordinary words). */
static const char *const type_names[SG_MOCK_N_TYPES] = {
  "normal", "fighting", "flying", "poison", "ground", "rock", "bug", "ghost",
  "steel", "fire", "water", "grass", "electric", "psychic", "ice", "dragon",
  "dark", "fairy",
};

static const char *const stat_names[] = {
  "hp", "attack", "defense", "special-attack", "special-defense", "speed",
};

static const char *const learn_methods[] = { "level-up", "egg", "tutor", "machine" };

static const char *const version_groups[] = {
  "amber-azure", "coral", "dawn-dusk", "ember-frost", "fern-fjord", "gale",
  "harbor-heath", "ivory-onyx", "jade-jasper", "kelp", "lumen-umbra",
  "meadow-marsh", "nimbus", "opal-pearl", "prairie", "quartz-quill",
  "ruby-rust", "sable-saffron", "tundra-tide", "umber", "velvet-vale",
  "willow-wren", "xenon", "yarrow-zinnia",
};

static const char *const versions[] = {
  "amber", "azure", "coral", "dawn", "dusk", "ember", "frost", "fern",
  "fjord", "gale", "harbor", "heath", "ivory", "onyx", "jade", "jasper",
  "kelp", "lumen", "umbra", "meadow", "marsh", "nimbus", "opal", "pearl",
};

static const char *const move_adjectives[] = {
  "quick", "heavy", "spark", "frost", "ember", "mossy", "iron", "shadow",
  "bubble", "thunder", "gentle", "wild", "sonic", "mystic", "rocky", "windy",
  "tiny", "giant", "sleepy", "lucky", "prism", "hollow", "swift", "brave",
  "sticky", "dizzy", "silver", "misty", "blazing", "crystal", "dusty", "sunny",
};
static const char *const move_nouns[] = {
  "tackle", "swipe", "burst", "bite", "spin", "howl", "wave", "dash",
  "stomp", "claw", "beam", "puff", "shield", "roar", "slam", "drizzle",
  "pounce", "whirl", "nibble", "flare", "gust", "hug", "jab", "kick",
  "ripple", "song", "spike", "storm", "trick", "veil", "zap", "flutter",
};

static const char *const ability_words_a[] = {
  "thick", "soft", "warm", "calm", "keen", "bright", "sly", "bold",
  "plush", "stout", "nimble", "fuzzy",
};
static const char *const ability_words_b[] = {
  "fur", "shell", "glow", "heart", "eyes", "feet", "scales", "spirit",
  "aura", "tail", "voice", "nose",
};

static const char *const item_names[] = {
  "moss-berry", "glow-pebble", "tide-shell", "ember-seed", "cloud-feather",
  "iron-acorn", "honey-drop", "star-sand",
};

guint32
sg_mock_hash (guint id,
              guint salt)
{
  /* The "lowbias32" integer finaliser: cheap, well mixed and fixed forever,
   * unlike a library PRNG whose sequence may change between versions. */
  guint32 x = (guint32) id * 0x9e3779b9u ^ ((guint32) salt * 0x85ebca6bu + 0x7f4a7c15u);

  x ^= x >> 16;
  x *= 0x7feb352du;
  x ^= x >> 15;
  x *= 0x846ca68bu;
  x ^= x >> 16;
  return x;
}

char *
sg_mock_creature_name (guint id)
{
  guint idx = (guint) (((guint64) id * NAME_STRIDE + NAME_OFFSET) % NAME_SPACE);
  guint n_end = G_N_ELEMENTS (name_endings);
  guint n_joint = G_N_ELEMENTS (name_joints);
  GString *name = g_string_new (NULL);

  g_string_append (name, name_onsets[idx / (n_end * n_joint)]);
  g_string_append (name, name_joints[(idx / n_end) % n_joint]);
  g_string_append (name, name_endings[idx % n_end]);

  /* Past the name space the names repeat; an extra ending keeps them apart
   * for all practical max_id values. */
  if (id >= NAME_SPACE)
    g_string_append (name, name_endings[(id / NAME_SPACE) % n_end]);

  return g_string_free (name, FALSE);
}

void
sg_mock_creature_types (guint  id,
                        int   *primary,
                        int   *secondary)
{
  guint32 h = sg_mock_hash (id, 7);
  int first = (int) (h % SG_MOCK_N_TYPES);
  int second = -1;

  /* About 40% have two types, as in the real data. */
  if ((h >> 8) % 10 < 4)
    {
      second = (int) ((h >> 16) % SG_MOCK_N_TYPES);
      if (second == first)
        second = -1;
    }

  if (primary != NULL)
    *primary = first;
  if (secondary != NULL)
    *secondary = second;
}

const char *
sg_mock_type_name (int type)
{
  g_return_val_if_fail (type >= 0 && type < SG_MOCK_N_TYPES, "normal");
  return type_names[type];
}

/* Document building ------------------------------------------------------ */

typedef struct {
  JsonBuilder *b;
  const char  *origin;
  guint        id;
} DocCtx;

static void
add_resource (DocCtx     *ctx,
              const char *member,
              const char *name,
              const char *kind,
              guint       kind_id)
{
  g_autofree char *url = g_strdup_printf ("%s/api/v2/%s/%u/", ctx->origin, kind, kind_id);

  if (member != NULL)
    json_builder_set_member_name (ctx->b, member);
  json_builder_begin_object (ctx->b);
  json_builder_set_member_name (ctx->b, "name");
  json_builder_add_string_value (ctx->b, name);
  json_builder_set_member_name (ctx->b, "url");
  json_builder_add_string_value (ctx->b, url);
  json_builder_end_object (ctx->b);
}

static void
add_member_int (JsonBuilder *b,
                const char  *member,
                gint64       value)
{
  json_builder_set_member_name (b, member);
  json_builder_add_int_value (b, value);
}

static void
add_member_string (JsonBuilder *b,
                   const char  *member,
                   const char  *value)
{
  json_builder_set_member_name (b, member);
  if (value != NULL)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

static void
add_member_sprite (DocCtx     *ctx,
                   const char *member,
                   const char *path,
                   const char *ext)
{
  g_autofree char *url = NULL;

  if (path != NULL)
    url = g_strdup_printf ("%s/sprites/pokemon/%s%u.%s", ctx->origin, path, ctx->id, ext);
  add_member_string (ctx->b, member, url);
}

static char *
move_name (guint move_id)
{
  guint idx = move_id % (G_N_ELEMENTS (move_adjectives) * G_N_ELEMENTS (move_nouns));
  guint a = idx % G_N_ELEMENTS (move_adjectives);
  guint n = (idx / G_N_ELEMENTS (move_adjectives) + a) % G_N_ELEMENTS (move_nouns);

  return g_strdup_printf ("%s-%s", move_adjectives[a], move_nouns[n]);
}

static void
add_abilities (DocCtx *ctx)
{
  guint n = 1 + sg_mock_hash (ctx->id, 20) % 3;

  json_builder_set_member_name (ctx->b, "abilities");
  json_builder_begin_array (ctx->b);
  for (guint i = 0; i < n; i++)
    {
      guint32 h = sg_mock_hash (ctx->id, 21 + i);
      guint a = h % G_N_ELEMENTS (ability_words_a);
      guint w = (h >> 8) % G_N_ELEMENTS (ability_words_b);
      g_autofree char *name = g_strdup_printf ("%s-%s", ability_words_a[a], ability_words_b[w]);

      json_builder_begin_object (ctx->b);
      add_resource (ctx, "ability", name, "ability", 1 + a * G_N_ELEMENTS (ability_words_b) + w);
      json_builder_set_member_name (ctx->b, "is_hidden");
      json_builder_add_boolean_value (ctx->b, i == n - 1 && n > 1);
      add_member_int (ctx->b, "slot", i == n - 1 && n > 1 ? 3 : i + 1);
      json_builder_end_object (ctx->b);
    }
  json_builder_end_array (ctx->b);
}

static void
add_cries (DocCtx *ctx)
{
  g_autofree char *latest = g_strdup_printf ("%s/cries/pokemon/latest/%u.ogg", ctx->origin, ctx->id);
  g_autofree char *legacy = g_strdup_printf ("%s/cries/pokemon/legacy/%u.ogg", ctx->origin, ctx->id);

  json_builder_set_member_name (ctx->b, "cries");
  json_builder_begin_object (ctx->b);
  add_member_string (ctx->b, "latest", latest);
  add_member_string (ctx->b, "legacy", legacy);
  json_builder_end_object (ctx->b);
}

static void
add_game_indices (DocCtx *ctx)
{
  guint first = sg_mock_hash (ctx->id, 30) % 8;

  json_builder_set_member_name (ctx->b, "game_indices");
  json_builder_begin_array (ctx->b);
  for (guint v = first; v < G_N_ELEMENTS (versions); v++)
    {
      json_builder_begin_object (ctx->b);
      add_member_int (ctx->b, "game_index", v < 3 ? 1 + sg_mock_hash (ctx->id, 31) % 190 : ctx->id);
      add_resource (ctx, "version", versions[v], "version", v + 1);
      json_builder_end_object (ctx->b);
    }
  json_builder_end_array (ctx->b);
}

static void
add_held_items (DocCtx *ctx)
{
  guint n = sg_mock_hash (ctx->id, 40) % 4;

  json_builder_set_member_name (ctx->b, "held_items");
  json_builder_begin_array (ctx->b);
  /* Most creatures hold nothing, like in the real data. */
  for (guint i = 0; n < 2 && i < 2 - n; i++)
    {
      guint item = sg_mock_hash (ctx->id, 41 + i) % G_N_ELEMENTS (item_names);
      guint rarity = i == 0 ? 50 : 5;

      json_builder_begin_object (ctx->b);
      add_resource (ctx, "item", item_names[item], "item", 100 + item);
      json_builder_set_member_name (ctx->b, "version_details");
      json_builder_begin_array (ctx->b);
      for (guint v = 6; v < G_N_ELEMENTS (versions); v++)
        {
          json_builder_begin_object (ctx->b);
          add_member_int (ctx->b, "rarity", rarity);
          add_resource (ctx, "version", versions[v], "version", v + 1);
          json_builder_end_object (ctx->b);
        }
      json_builder_end_array (ctx->b);
      json_builder_end_object (ctx->b);
    }
  json_builder_end_array (ctx->b);
}

/* The bulk of a real document (about 90% of its 230 KB): ~110 moves with
 * ~1000 "version_group_details" between them. */
static void
add_moves (DocCtx *ctx)
{
  guint n_moves = 80 + sg_mock_hash (ctx->id, 50) % 40;
  guint budget = 980 + sg_mock_hash (ctx->id, 51) % 160;
  guint move_id = 1 + sg_mock_hash (ctx->id, 52) % 40;
  guint n_groups = G_N_ELEMENTS (version_groups);

  json_builder_set_member_name (ctx->b, "moves");
  json_builder_begin_array (ctx->b);
  for (guint m = 0; m < n_moves; m++)
    {
      guint32 h = sg_mock_hash (ctx->id, 1000 + m);
      guint remaining = n_moves - m;
      guint avg = MAX (1, budget / remaining);
      guint n_details = m + 1 == n_moves ? MAX (1, budget) : 1 + h % (2 * avg);
      guint method = (h >> 12) % G_N_ELEMENTS (learn_methods);
      guint group = (h >> 16) % n_groups;
      g_autofree char *name = move_name (move_id);

      n_details = MIN (n_details, 3 * n_groups);
      budget = budget > n_details ? budget - n_details : 0;

      json_builder_begin_object (ctx->b);
      add_resource (ctx, "move", name, "move", move_id);
      json_builder_set_member_name (ctx->b, "version_group_details");
      json_builder_begin_array (ctx->b);
      for (guint d = 0; d < n_details; d++)
        {
          guint g = (group + d) % n_groups;
          /* The same group may list a move under several methods. */
          guint meth = d < n_groups ? method : (method + d / n_groups) % G_N_ELEMENTS (learn_methods);

          json_builder_begin_object (ctx->b);
          add_member_int (ctx->b, "level_learned_at",
                          meth == 0 ? 1 + (h >> 4) % 60 : 0);
          add_resource (ctx, "move_learn_method", learn_methods[meth],
                        "move-learn-method", meth + 1);
          json_builder_set_member_name (ctx->b, "order");
          json_builder_add_null_value (ctx->b);
          add_resource (ctx, "version_group", version_groups[g], "version-group", g + 1);
          json_builder_end_object (ctx->b);
        }
      json_builder_end_array (ctx->b);
      json_builder_end_object (ctx->b);

      move_id += 1 + (h >> 24) % 8;
    }
  json_builder_end_array (ctx->b);
}

static void
add_sprites (DocCtx *ctx)
{
  static const char *const generations[][3] = {
    { "generation-i", "amber-azure", "coral" },
    { "generation-ii", "dawn-dusk", "ember-frost" },
    { "generation-iii", "fern-fjord", "gale" },
  };
  JsonBuilder *b = ctx->b;

  json_builder_set_member_name (b, "sprites");
  json_builder_begin_object (b);
  add_member_sprite (ctx, "back_default", "back/", "png");
  add_member_sprite (ctx, "back_female", NULL, NULL);
  add_member_sprite (ctx, "back_shiny", "back/shiny/", "png");
  add_member_sprite (ctx, "back_shiny_female", NULL, NULL);
  add_member_sprite (ctx, "front_default", "", "png");
  add_member_sprite (ctx, "front_female", NULL, NULL);
  add_member_sprite (ctx, "front_shiny", "shiny/", "png");
  add_member_sprite (ctx, "front_shiny_female", NULL, NULL);

  json_builder_set_member_name (b, "other");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "dream_world");
  json_builder_begin_object (b);
  add_member_sprite (ctx, "front_default", "other/dream-world/", "svg");
  add_member_sprite (ctx, "front_female", NULL, NULL);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "home");
  json_builder_begin_object (b);
  add_member_sprite (ctx, "front_default", "other/home/", "png");
  add_member_sprite (ctx, "front_female", NULL, NULL);
  add_member_sprite (ctx, "front_shiny", "other/home/shiny/", "png");
  add_member_sprite (ctx, "front_shiny_female", NULL, NULL);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "official-artwork");
  json_builder_begin_object (b);
  add_member_sprite (ctx, "front_default", "other/official-artwork/", "png");
  add_member_sprite (ctx, "front_shiny", "other/official-artwork/shiny/", "png");
  json_builder_end_object (b);
  json_builder_set_member_name (b, "showdown");
  json_builder_begin_object (b);
  add_member_sprite (ctx, "back_default", "other/showdown/back/", "gif");
  add_member_sprite (ctx, "back_female", NULL, NULL);
  add_member_sprite (ctx, "back_shiny", "other/showdown/back/shiny/", "gif");
  add_member_sprite (ctx, "back_shiny_female", NULL, NULL);
  add_member_sprite (ctx, "front_default", "other/showdown/", "gif");
  add_member_sprite (ctx, "front_female", NULL, NULL);
  add_member_sprite (ctx, "front_shiny", "other/showdown/shiny/", "gif");
  add_member_sprite (ctx, "front_shiny_female", NULL, NULL);
  json_builder_end_object (b);
  json_builder_end_object (b);

  json_builder_set_member_name (b, "versions");
  json_builder_begin_object (b);
  for (guint g = 0; g < G_N_ELEMENTS (generations); g++)
    {
      json_builder_set_member_name (b, generations[g][0]);
      json_builder_begin_object (b);
      for (guint v = 1; v < 3; v++)
        {
          g_autofree char *base = g_strdup_printf ("versions/%s/%s/", generations[g][0], generations[g][v]);
          g_autofree char *back = g_strconcat (base, "back/", NULL);
          g_autofree char *shiny = g_strconcat (base, "shiny/", NULL);
          g_autofree char *back_shiny = g_strconcat (base, "back/shiny/", NULL);

          json_builder_set_member_name (b, generations[g][v]);
          json_builder_begin_object (b);
          add_member_sprite (ctx, "back_default", back, "png");
          add_member_sprite (ctx, "back_shiny", back_shiny, "png");
          add_member_sprite (ctx, "front_default", base, "png");
          add_member_sprite (ctx, "front_shiny", shiny, "png");
          json_builder_end_object (b);
        }
      json_builder_end_object (b);
    }
  json_builder_end_object (b);

  json_builder_end_object (b);
}

static void
add_stats (DocCtx *ctx)
{
  guint effort_stat = sg_mock_hash (ctx->id, 60) % G_N_ELEMENTS (stat_names);

  json_builder_set_member_name (ctx->b, "stats");
  json_builder_begin_array (ctx->b);
  for (guint s = 0; s < G_N_ELEMENTS (stat_names); s++)
    {
      json_builder_begin_object (ctx->b);
      add_member_int (ctx->b, "base_stat", 20 + sg_mock_hash (ctx->id, 61 + s) % 131);
      add_member_int (ctx->b, "effort", s == effort_stat ? 1 + sg_mock_hash (ctx->id, 67) % 3 : 0);
      add_resource (ctx, "stat", stat_names[s], "stat", s + 1);
      json_builder_end_object (ctx->b);
    }
  json_builder_end_array (ctx->b);
}

static void
add_types (DocCtx *ctx)
{
  int types[2];

  sg_mock_creature_types (ctx->id, &types[0], &types[1]);

  json_builder_set_member_name (ctx->b, "types");
  json_builder_begin_array (ctx->b);
  for (guint slot = 0; slot < 2 && types[slot] >= 0; slot++)
    {
      json_builder_begin_object (ctx->b);
      add_member_int (ctx->b, "slot", slot + 1);
      add_resource (ctx, "type", type_names[types[slot]], "type", types[slot] + 1);
      json_builder_end_object (ctx->b);
    }
  json_builder_end_array (ctx->b);
}

GBytes *
sg_mock_creature_document (guint       id,
                           const char *origin)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *name = sg_mock_creature_name (id);
  g_autofree char *encounters = g_strdup_printf ("%s/api/v2/pokemon/%u/encounters", origin, id);
  DocCtx ctx = { b, origin, id };
  gsize len = 0;
  char *data;

  g_return_val_if_fail (origin != NULL, NULL);

  /* Members in the live API's (alphabetical) order. */
  json_builder_begin_object (b);
  add_abilities (&ctx);
  add_member_int (b, "base_experience", 40 + sg_mock_hash (id, 2) % 260);
  add_cries (&ctx);
  json_builder_set_member_name (b, "forms");
  json_builder_begin_array (b);
  add_resource (&ctx, NULL, name, "pokemon-form", id);
  json_builder_end_array (b);
  add_game_indices (&ctx);
  add_member_int (b, "height", 2 + sg_mock_hash (id, 3) % 30);
  add_held_items (&ctx);
  add_member_int (b, "id", id);
  json_builder_set_member_name (b, "is_default");
  json_builder_add_boolean_value (b, TRUE);
  add_member_string (b, "location_area_encounters", encounters);
  add_moves (&ctx);
  add_member_string (b, "name", name);
  add_member_int (b, "order", id);
  json_builder_set_member_name (b, "past_abilities");
  json_builder_begin_array (b);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "past_stats");
  json_builder_begin_array (b);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "past_types");
  json_builder_begin_array (b);
  json_builder_end_array (b);
  add_resource (&ctx, "species", name, "pokemon-species", id);
  add_sprites (&ctx);
  add_stats (&ctx);
  add_types (&ctx);
  add_member_int (b, "weight", 10 + sg_mock_hash (id, 4) % 1500);
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  data = json_generator_to_data (gen, &len);

  return g_bytes_new_take (data, len);
}
