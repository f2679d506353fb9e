/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sg-mock-mirror"

#include "config.h"

#include <glib/gi18n.h>

#include "sg-mock-api.h"
#include "sg-mock-body.h"
#include "sg-mock-mirror.h"

/* The mirror keeps the live sprite URLs; we serve those files ourselves. */
#define LIVE_SPRITE_PREFIX "https://raw.githubusercontent.com/PokeAPI/sprites/master/sprites/pokemon/"
/* Links between resources are relative in the mirror ("/api/v2/type/12/"),
 * absolute in the live API: every JSON string that starts with the API path
 * is such a link. */
#define RELATIVE_LINK "\"/api/v2/"

gboolean
sg_mock_mirror_check (const char  *dir,
                      GError     **error)
{
  g_autofree char *pokemon = g_build_filename (dir, "api", "v2", "pokemon", NULL);

  if (!g_file_test (pokemon, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, SG_MOCK_API_ERROR, SG_MOCK_API_ERROR_BAD_MIRROR,
                   _("“%s” is not a PokeAPI mirror: it has no api/v2/pokemon folder"),
                   dir);
      return FALSE;
    }
  return TRUE;
}

static GBytes *
load (const char  *path,
      GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  char *contents = NULL;
  gsize len = 0;

  if (!g_file_load_contents (file, NULL, &contents, &len, NULL, error))
    return NULL;
  return g_bytes_new_take (contents, len);
}

GBytes *
sg_mock_mirror_document (const char  *dir,
                         guint        id,
                         const char  *origin,
                         GError     **error)
{
  g_autofree char *id_str = g_strdup_printf ("%u", id);
  g_autofree char *path = g_build_filename (dir, "api", "v2", "pokemon", id_str, "index.json", NULL);
  g_autofree char *sprite_prefix = g_strconcat (origin, "/sprites/pokemon/", NULL);
  g_autofree char *absolute_link = g_strconcat ("\"", origin, "/api/v2/", NULL);
  g_autoptr(GBytes) raw = NULL;
  g_autoptr(GBytes) sprites_done = NULL;

  raw = load (path, error);
  if (raw == NULL)
    return NULL;

  sprites_done = sg_mock_replace_all (raw, LIVE_SPRITE_PREFIX, sprite_prefix);
  return sg_mock_replace_all (sprites_done, RELATIVE_LINK, absolute_link);
}

GBytes *
sg_mock_mirror_sprite (const char  *dir,
                       guint        id,
                       gboolean     shiny,
                       gboolean     back,
                       GError     **error)
{
  g_autofree char *file_name = g_strdup_printf ("%u.png", id);
  g_autofree char *path = g_build_filename (dir, "sprites", "pokemon",
                                            back ? "back" : "",
                                            shiny ? "shiny" : "",
                                            file_name, NULL);

  return load (path, error);
}
