/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sg-settings"

#include "config.h"

#include <glib/gi18n.h>

#include "sg-settings.h"

GSettings *
sg_settings_new (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  /* g_settings_new() aborts on a missing schema; an uninstalled build run
   * outside `meson devenv` should still start. The schema keeps the base
   * id in the .Devel variant too. */
  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, BASE_APPLICATION_ID, TRUE);
  if (schema == NULL)
    {
      g_warning ("The settings schema %s is not installed; using the defaults "
                 "(run it with `meson devenv`)", BASE_APPLICATION_ID);
      return NULL;
    }

  return g_settings_new_full (schema, NULL, NULL);
}

SgRunOptions *
sg_settings_load_run_options (GSettings *settings)
{
  g_autoptr(SgRunOptions) options = sg_run_options_new ();
  g_autofree char *base_url = NULL;
  g_autofree char *normalized = NULL;
  g_autofree char *strategy = NULL;
  g_autoptr(GError) error = NULL;
  guint workers;

  if (settings == NULL)
    return g_steal_pointer (&options);

  /* A bad stored address (dconf-editor can write anything) falls back to
   * the default rather than failing every run. */
  base_url = g_settings_get_string (settings, "base-url");
  normalized = sg_run_options_normalize_base_url (base_url, &error);
  if (normalized != NULL)
    {
      g_free (options->base_url);
      options->base_url = g_steal_pointer (&normalized);
    }
  else
    g_warning ("Ignoring the base-url setting: %s", error->message);

  workers = g_settings_get_uint (settings, "workers");
  options->workers = workers > 0 ? MIN (workers, SG_MAX_WORKERS) : sg_run_options_default_workers ();
  options->in_flight = CLAMP (g_settings_get_uint (settings, "in-flight"), 1, SG_MAX_IN_FLIGHT);
  options->first = CLAMP (g_settings_get_uint (settings, "first"), 1, SG_MAX_ID);
  options->count = CLAMP (g_settings_get_uint (settings, "count"), 1, SG_MAX_COUNT);

  strategy = g_settings_get_string (settings, "strategy");
  if (!sg_strategy_from_string (strategy, &options->strategy))
    options->strategy = SG_STRATEGY_QUEUE;

  return g_steal_pointer (&options);
}
