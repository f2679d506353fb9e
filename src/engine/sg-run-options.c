/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sg-run-options"

#include "config.h"

#include <glib/gi18n.h>

#include "sg-run-options.h"

SgRunOptions *
sg_run_options_new (void)
{
  SgRunOptions *self = g_new0 (SgRunOptions, 1);

  self->base_url = g_strdup (SG_DEFAULT_BASE_URL);
  self->first = SG_DEFAULT_FIRST;
  self->count = SG_DEFAULT_COUNT;
  self->workers = sg_run_options_default_workers ();
  self->in_flight = SG_DEFAULT_IN_FLIGHT;
  self->strategy = SG_STRATEGY_QUEUE;
  return self;
}

SgRunOptions *
sg_run_options_copy (const SgRunOptions *self)
{
  SgRunOptions *copy = g_memdup2 (self, sizeof *self);

  copy->base_url = g_strdup (self->base_url);
  copy->cache_dir = g_strdup (self->cache_dir);
  copy->report_path = g_strdup (self->report_path);
  return copy;
}

void
sg_run_options_free (SgRunOptions *self)
{
  if (self == NULL)
    return;
  g_free (self->base_url);
  g_free (self->cache_dir);
  g_free (self->report_path);
  g_free (self);
}

guint
sg_run_options_workers_for_cores (guint n_cores)
{
  /* One process per core gives the JSON parsing real parallelism; at least
   * two so that the pool is a pool even on a single core, and no more than
   * --workers accepts, however big the machine. */
  return CLAMP (n_cores, 2, SG_MAX_WORKERS);
}

guint
sg_run_options_default_workers (void)
{
  return sg_run_options_workers_for_cores (g_get_num_processors ());
}

GOptionEntry *
sg_run_options_entries (SgRunOptionsStorage *storage)
{
  /* -1 marks "not given" for the integers; GOptionEntry has no such notion. */
  storage->first = storage->count = storage->workers = storage->in_flight = -1;

  {
    const GOptionEntry entries[] = {
      { "base-url", 0, 0, G_OPTION_ARG_STRING, &storage->base_url,
        N_("PokeAPI base address (default https://pokeapi.co/api/v2/)"), N_("URL") },
      { "first", 0, 0, G_OPTION_ARG_INT, &storage->first,
        N_("First Pokémon number (default 1)"), N_("ID") },
      { "count", 0, 0, G_OPTION_ARG_INT, &storage->count,
        N_("How many sprites to fetch (default 100)"), N_("N") },
      { "workers", 0, 0, G_OPTION_ARG_INT, &storage->workers,
        N_("Helper processes (default: number of cores, at least 2)"), N_("N") },
      { "in-flight", 0, 0, G_OPTION_ARG_INT, &storage->in_flight,
        N_("Transfers at once in each process (default 64)"), N_("N") },
      { "strategy", 0, 0, G_OPTION_ARG_STRING, &storage->strategy,
        N_("How tasks reach processes: queue, chunks or sequential"), N_("NAME") },
      { "no-cache", 0, 0, G_OPTION_ARG_NONE, &storage->no_cache,
        N_("Neither read nor write the sprite cache"), NULL },
      { "cache-dir", 0, 0, G_OPTION_ARG_FILENAME, &storage->cache_dir,
        N_("Cache directory (default: the user cache directory)"), N_("DIR") },
      { "report", 0, 0, G_OPTION_ARG_FILENAME, &storage->report,
        N_("Write a JSON report of the run to FILE"), N_("FILE") },
      { NULL }
    };

    return g_memdup2 (entries, sizeof entries);
  }
}

void
sg_run_options_storage_clear (SgRunOptionsStorage *storage)
{
  g_clear_pointer (&storage->base_url, g_free);
  g_clear_pointer (&storage->strategy, g_free);
  g_clear_pointer (&storage->cache_dir, g_free);
  g_clear_pointer (&storage->report, g_free);
}

/* g_set_str() is GLib 2.76; we support 2.74. */
static void
replace_string (char       **field,
                const char  *value)
{
  char *copy = g_strdup (value);

  g_free (*field);
  *field = copy;
}

static gboolean
check_range (const char *option,
             int         value,
             int         min,
             int         max,
             GError    **error)
{
  if (value >= min && value <= max)
    return TRUE;

  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
               _("--%s must be between %d and %d, not %d"), option, min, max, value);
  return FALSE;
}

char *
sg_run_options_normalize_base_url (const char *url,
                                   GError    **error)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *scheme;

  if (url == NULL || *url == '\0')
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _("The API address is empty"));
      return NULL;
    }

  uri = g_uri_parse (url, G_URI_FLAGS_NONE, &local_error);
  if (uri == NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("“%s” is not a valid web address"), url);
      return NULL;
    }

  scheme = g_uri_get_scheme (uri);
  if (g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("The API address must start with http:// or https://, not “%s”"), url);
      return NULL;
    }

  if (g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("The API address “%s” has no host name"), url);
      return NULL;
    }

  /* Resources are resolved relative to the base ("pokemon/25/"), so it must
   * name a directory. */
  if (g_str_has_suffix (url, "/"))
    return g_strdup (url);
  return g_strconcat (url, "/", NULL);
}

gboolean
sg_run_options_apply (SgRunOptions              *self,
                      const SgRunOptionsStorage *storage,
                      GError                   **error)
{
  g_autofree char *base_url = NULL;
  SgStrategy strategy = self->strategy;

  if (storage->base_url != NULL)
    {
      base_url = sg_run_options_normalize_base_url (storage->base_url, error);
      if (base_url == NULL)
        return FALSE;
    }

  if (storage->first != -1 && !check_range ("first", storage->first, 1, SG_MAX_ID, error))
    return FALSE;
  if (storage->count != -1 && !check_range ("count", storage->count, 1, SG_MAX_COUNT, error))
    return FALSE;
  if (storage->workers != -1 && !check_range ("workers", storage->workers, 1, SG_MAX_WORKERS, error))
    return FALSE;
  if (storage->in_flight != -1 &&
      !check_range ("in-flight", storage->in_flight, 1, SG_MAX_IN_FLIGHT, error))
    return FALSE;

  if (storage->strategy != NULL && !sg_strategy_from_string (storage->strategy, &strategy))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--strategy must be queue, chunks or sequential, not “%s”"),
                   storage->strategy);
      return FALSE;
    }

  if (storage->cache_dir != NULL && *storage->cache_dir == '\0')
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _("--cache-dir must not be empty"));
      return FALSE;
    }

  if (storage->report != NULL && *storage->report == '\0')
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _("--report must not be empty"));
      return FALSE;
    }

  /* Everything is valid: only now change @self, so a failure changes nothing. */
  if (base_url != NULL)
    replace_string (&self->base_url, base_url);
  if (storage->first != -1)
    self->first = storage->first;
  if (storage->count != -1)
    self->count = storage->count;
  if (storage->workers != -1)
    self->workers = storage->workers;
  if (storage->in_flight != -1)
    self->in_flight = storage->in_flight;
  self->strategy = strategy;
  if (storage->no_cache)
    self->no_cache = TRUE;
  if (storage->cache_dir != NULL)
    replace_string (&self->cache_dir, storage->cache_dir);
  if (storage->report != NULL)
    replace_string (&self->report_path, storage->report);

  return TRUE;
}

static const char * const strategy_names[] = { "queue", "chunks", "sequential" };

const char *
sg_strategy_to_string (SgStrategy strategy)
{
  g_return_val_if_fail (strategy <= SG_STRATEGY_SEQUENTIAL, "queue");
  return strategy_names[strategy];
}

gboolean
sg_strategy_from_string (const char *str,
                         SgStrategy *out)
{
  for (guint i = 0; i < G_N_ELEMENTS (strategy_names); i++)
    {
      if (g_strcmp0 (str, strategy_names[i]) == 0)
        {
          *out = (SgStrategy) i;
          return TRUE;
        }
    }
  return FALSE;
}

char *
sg_run_options_resolve_cache_dir (const SgRunOptions *self)
{
  if (self->cache_dir != NULL)
    return g_strdup (self->cache_dir);
  return g_build_filename (g_get_user_cache_dir (), "sprite-gallery", NULL);
}

JsonNode *
sg_run_options_to_json (const SgRunOptions *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *cache_dir = sg_run_options_resolve_cache_dir (self);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "base_url");
  json_builder_add_string_value (builder, self->base_url);
  json_builder_set_member_name (builder, "first");
  json_builder_add_int_value (builder, self->first);
  json_builder_set_member_name (builder, "count");
  json_builder_add_int_value (builder, self->count);
  json_builder_set_member_name (builder, "workers");
  json_builder_add_int_value (builder, self->workers);
  json_builder_set_member_name (builder, "in_flight");
  json_builder_add_int_value (builder, self->in_flight);
  json_builder_set_member_name (builder, "strategy");
  json_builder_add_string_value (builder, sg_strategy_to_string (self->strategy));
  json_builder_set_member_name (builder, "no_cache");
  json_builder_add_boolean_value (builder, self->no_cache);
  json_builder_set_member_name (builder, "cache_dir");
  json_builder_add_string_value (builder, cache_dir);
  json_builder_set_member_name (builder, "report");
  json_builder_add_string_value (builder, self->report_path);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}
