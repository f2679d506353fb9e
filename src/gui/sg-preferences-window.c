/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sg-preferences-window"

#include "config.h"

#include <glib/gi18n.h>

#include "sg-cache-dir.h"
#include "sg-preferences-window.h"
#include "sg-run-options.h"

struct _SgPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  GSettings            *settings;
  char                 *cache_dir;
  GCancellable         *cancellable;

  AdwPreferencesGroup  *server_group;
  AdwEntryRow          *url_row;
  GtkWidget            *url_error_icon;
  GtkWidget            *url_reset_button;
  AdwActionRow         *workers_row;
  GtkAdjustment        *workers_adjustment;
  GtkAdjustment        *in_flight_adjustment;
  AdwComboRow          *strategy_row;
  AdwActionRow         *cache_row;
  GtkWidget            *clear_cache_button;
};

enum {
  PROP_0,
  PROP_SETTINGS,
  PROP_CACHE_DIR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The strategy row's items, in order. */
static const SgStrategy strategies[] = {
  SG_STRATEGY_QUEUE,
  SG_STRATEGY_CHUNKS,
  SG_STRATEGY_SEQUENTIAL,
};

G_DEFINE_FINAL_TYPE (SgPreferencesWindow, sg_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

/* API address ---------------------------------------------------------------- */

static void
sg_preferences_window_show_url_error (SgPreferencesWindow *self,
                                      const char          *message)
{
  gtk_widget_set_visible (self->url_error_icon, message != NULL);
  gtk_widget_set_tooltip_text (self->url_error_icon, message);

  if (message != NULL)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->url_row), "error");
      adw_preferences_group_set_description (self->server_group, message);
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->url_row), "error");
      adw_preferences_group_set_description (self->server_group,
                                             _("PokeAPI, or any server that answers the same way."));
    }
}

static void
sg_preferences_window_load_url (SgPreferencesWindow *self)
{
  g_autofree char *url = g_settings_get_string (self->settings, "base-url");

  gtk_editable_set_text (GTK_EDITABLE (self->url_row), url);
  gtk_widget_set_sensitive (self->url_reset_button, g_strcmp0 (url, SG_DEFAULT_BASE_URL) != 0);
  sg_preferences_window_show_url_error (self, NULL);
}

static void
on_url_apply (SgPreferencesWindow *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;

  url = sg_run_options_normalize_base_url (gtk_editable_get_text (GTK_EDITABLE (self->url_row)),
                                           &error);
  if (url == NULL)
    {
      sg_preferences_window_show_url_error (self, error->message);
      return;
    }

  g_settings_set_string (self->settings, "base-url", url);
  /* Show what is stored (with its trailing '/'). */
  sg_preferences_window_load_url (self);
}

static void
on_url_changed (SgPreferencesWindow *self)
{
  /* Judge the address when it is applied, not at every key stroke; only
   * clear a stale error while the user edits. */
  if (gtk_widget_get_visible (self->url_error_icon))
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *url =
        sg_run_options_normalize_base_url (gtk_editable_get_text (GTK_EDITABLE (self->url_row)),
                                           &error);

      if (url != NULL)
        sg_preferences_window_show_url_error (self, NULL);
    }
}

static void
on_url_reset (SgPreferencesWindow *self)
{
  g_settings_reset (self->settings, "base-url");
  sg_preferences_window_load_url (self);
}

/* Processes and strategy --------------------------------------------------- */

static void
sg_preferences_window_update_workers_subtitle (SgPreferencesWindow *self)
{
  g_autofree char *subtitle = NULL;
  guint cores = g_get_num_processors ();

  /* Translators: %u is the number of processor cores of this computer */
  subtitle = g_strdup_printf (_("Helper processes fetching at once; 0 starts one per core (%u here)"),
                              cores);
  adw_action_row_set_subtitle (self->workers_row, subtitle);
}

static const char *
sg_preferences_window_strategy_explanation (SgStrategy strategy)
{
  switch (strategy)
    {
    case SG_STRATEGY_CHUNKS:
      return _("Each process gets a fixed share up front (Pool.map)");
    case SG_STRATEGY_SEQUENTIAL:
      return _("One process, one transfer: the baseline");
    case SG_STRATEGY_QUEUE:
    default:
      return _("A free transfer takes the next sprite (imap_unordered)");
    }
}

static void
sg_preferences_window_load_strategy (SgPreferencesWindow *self)
{
  g_autofree char *name = g_settings_get_string (self->settings, "strategy");
  SgStrategy strategy = SG_STRATEGY_QUEUE;

  sg_strategy_from_string (name, &strategy);
  for (guint i = 0; i < G_N_ELEMENTS (strategies); i++)
    if (strategies[i] == strategy)
      adw_combo_row_set_selected (self->strategy_row, i);

  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->strategy_row),
                               sg_preferences_window_strategy_explanation (strategy));
}

static void
on_strategy_selected (SgPreferencesWindow *self)
{
  guint selected = adw_combo_row_get_selected (self->strategy_row);

  if (self->settings == NULL || selected >= G_N_ELEMENTS (strategies))
    return;

  g_settings_set_string (self->settings, "strategy", sg_strategy_to_string (strategies[selected]));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->strategy_row),
                               sg_preferences_window_strategy_explanation (strategies[selected]));
}

/* Cache --------------------------------------------------------------------- */

static void
sg_preferences_window_show_usage (SgPreferencesWindow *self,
                                  const SgCacheUsage  *usage)
{
  g_autofree char *size = NULL;
  g_autofree char *subtitle = NULL;

  if (usage->n_files == 0)
    {
      adw_action_row_set_subtitle (self->cache_row, _("Empty"));
      gtk_widget_set_sensitive (self->clear_cache_button, FALSE);
      return;
    }

  size = g_format_size (usage->bytes);
  /* Translators: e.g. "2.3 MB in 201 files" */
  subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s in %u file", "%s in %u files",
                                           usage->n_files),
                              size, usage->n_files);
  adw_action_row_set_subtitle (self->cache_row, subtitle);
  gtk_widget_set_sensitive (self->clear_cache_button, TRUE);
}

static void
measure_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(SgPreferencesWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  SgCacheUsage usage = { 0 };

  if (!sg_cache_dir_measure_finish (result, &usage, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        adw_action_row_set_subtitle (self->cache_row, error->message);
      return;
    }

  sg_preferences_window_show_usage (self, &usage);
}

static void
sg_preferences_window_measure_cache (SgPreferencesWindow *self)
{
  adw_action_row_set_subtitle (self->cache_row, _("Measuring…"));
  gtk_widget_set_sensitive (self->clear_cache_button, FALSE);
  sg_cache_dir_measure_async (self->cache_dir, self->cancellable, measure_cb, g_object_ref (self));
}

static void
clear_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(SgPreferencesWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *size = NULL;
  g_autofree char *message = NULL;
  SgCacheUsage freed = { 0 };

  if (!sg_cache_dir_clear_finish (result, &freed, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      /* Translators: %s is why a file could not be deleted */
      message = g_strdup_printf (_("Could not clear the cache: %s"), error->message);
    }
  else
    {
      size = g_format_size (freed.bytes);
      /* Translators: %s is a size, e.g. "2.3 MB" */
      message = g_strdup_printf (_("Cache cleared, %s freed"), size);
    }

  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (message));
  sg_preferences_window_measure_cache (self);
}

static void
on_clear_cache (SgPreferencesWindow *self)
{
  gtk_widget_set_sensitive (self->clear_cache_button, FALSE);
  adw_action_row_set_subtitle (self->cache_row, _("Clearing…"));
  sg_cache_dir_clear_async (self->cache_dir, self->cancellable, clear_cb, g_object_ref (self));
}

/* GObject ------------------------------------------------------------------- */

static void
sg_preferences_window_constructed (GObject *object)
{
  SgPreferencesWindow *self = SG_PREFERENCES_WINDOW (object);

  G_OBJECT_CLASS (sg_preferences_window_parent_class)->constructed (object);

  g_assert (G_IS_SETTINGS (self->settings));
  g_assert (self->cache_dir != NULL);

  sg_preferences_window_load_url (self);
  sg_preferences_window_load_strategy (self);
  sg_preferences_window_update_workers_subtitle (self);

  g_settings_bind (self->settings, "workers", self->workers_adjustment, "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "in-flight", self->in_flight_adjustment, "value",
                   G_SETTINGS_BIND_DEFAULT);

  gtk_widget_set_tooltip_text (GTK_WIDGET (self->cache_row), self->cache_dir);
  sg_preferences_window_measure_cache (self);
}

static void
sg_preferences_window_dispose (GObject *object)
{
  SgPreferencesWindow *self = SG_PREFERENCES_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), SG_TYPE_PREFERENCES_WINDOW);

  G_OBJECT_CLASS (sg_preferences_window_parent_class)->dispose (object);
}

static void
sg_preferences_window_finalize (GObject *object)
{
  SgPreferencesWindow *self = SG_PREFERENCES_WINDOW (object);

  g_clear_object (&self->settings);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->cache_dir, g_free);

  G_OBJECT_CLASS (sg_preferences_window_parent_class)->finalize (object);
}

static void
sg_preferences_window_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  SgPreferencesWindow *self = SG_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;
    case PROP_CACHE_DIR:
      self->cache_dir = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sg_preferences_window_class_init (SgPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = sg_preferences_window_constructed;
  object_class->dispose = sg_preferences_window_dispose;
  object_class->finalize = sg_preferences_window_finalize;
  object_class->set_property = sg_preferences_window_set_property;

  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                         G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CACHE_DIR] =
    g_param_spec_string ("cache-dir", NULL, NULL, NULL,
                         G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               SG_RESOURCE_PREFIX "/sg-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SgPreferencesWindow, server_group);
  gtk_widget_class_bind_template_child (widget_class, SgPreferencesWindow, url_row);
  gtk_widget_class_bind_template_child (widget_class, SgPreferencesWindow, url_error_icon);
  gtk_widget_class_bind_template_child (widget_class, SgPreferencesWindow, url_reset_button);
  gtk_widget_class_bind_template_child (widget_class, SgPreferencesWindow, workers_row);
  gtk_widget_class_bind_template_child (widget_class, SgPreferencesWindow, workers_adjustment);
  gtk_widget_class_bind_template_child (widget_class, SgPreferencesWindow, in_flight_adjustment);
  gtk_widget_class_bind_template_child (widget_class, SgPreferencesWindow, strategy_row);
  gtk_widget_class_bind_template_child (widget_class, SgPreferencesWindow, cache_row);
  gtk_widget_class_bind_template_child (widget_class, SgPreferencesWindow, clear_cache_button);
  gtk_widget_class_bind_template_callback (widget_class, on_url_apply);
  gtk_widget_class_bind_template_callback (widget_class, on_url_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_url_reset);
  gtk_widget_class_bind_template_callback (widget_class, on_strategy_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_clear_cache);
}

static void
sg_preferences_window_init (SgPreferencesWindow *self)
{
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
sg_preferences_window_new (GSettings  *settings,
                           const char *cache_dir)
{
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);
  g_return_val_if_fail (cache_dir != NULL, NULL);

  return g_object_new (SG_TYPE_PREFERENCES_WINDOW,
                       "settings", settings,
                       "cache-dir", cache_dir,
                       NULL);
}
