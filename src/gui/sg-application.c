/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sg-application"

#include "config.h"

#include <glib/gi18n.h>

#include "sg-application.h"
#include "sg-pool.h"
#include "sg-preferences-window.h"
#include "sg-settings.h"
#include "sg-window.h"

struct _SgApplication
{
  AdwApplication       parent_instance;

  GSettings           *settings;
  SgPool              *pool;

  /* the command line; kept to re-apply over the settings before each run */
  SgRunOptionsStorage  storage;
  GOptionEntry        *run_entries;
  gboolean             quit_when_done;
  gboolean             demo;
  gboolean             local_options_seen;

  int                  exit_status;
};

G_DEFINE_FINAL_TYPE (SgApplication, sg_application, ADW_TYPE_APPLICATION)

/* Options ------------------------------------------------------------------ */

/* The settings, then the command line on top: for this launch only. */
static SgRunOptions *
sg_application_build_options (SgApplication  *self,
                              GError        **error)
{
  g_autoptr(SgRunOptions) options = sg_settings_load_run_options (self->settings);

  if (!sg_run_options_apply (options, &self->storage, error))
    return NULL;

  return g_steal_pointer (&options);
}

static gboolean
sg_application_has_run_options (SgApplication *self)
{
  const SgRunOptionsStorage *s = &self->storage;

  return s->base_url != NULL || s->first != -1 || s->count != -1 || s->workers != -1 ||
         s->in_flight != -1 || s->strategy != NULL || s->no_cache || s->cache_dir != NULL ||
         s->report != NULL;
}

static int
sg_application_handle_local_options (GApplication *application,
                                     GVariantDict *options)
{
  SgApplication *self = SG_APPLICATION (application);
  g_autoptr(SgRunOptions) run_options = NULL;
  g_autoptr(GError) error = NULL;

  self->local_options_seen = TRUE;

  if (self->settings == NULL)
    self->settings = sg_settings_new ();

  /* Validate now, in the launching process, so a bad value is one line on
   * stderr and exit status 2, before any window. */
  run_options = sg_application_build_options (self, &error);
  if (run_options == NULL)
    {
      g_printerr ("%s\n", error->message);
      return SG_EXIT_USAGE;
    }

  /* The demo serves from inside the app: another server makes no sense. */
  if (self->demo && self->storage.base_url != NULL)
    {
      g_printerr ("%s\n", _("--demo and --base-url cannot be used together"));
      return SG_EXIT_USAGE;
    }

  /* Options belong to this launch: a launch with options runs its own
   * instance instead of handing over to a running one, which would ignore
   * them. */
  if (sg_application_has_run_options (self) || self->quit_when_done || self->demo)
    g_application_set_flags (application,
                             g_application_get_flags (application) | G_APPLICATION_NON_UNIQUE);

  return -1;
}

static gboolean
sg_application_local_command_line (GApplication   *application,
                                   char         ***arguments,
                                   int            *exit_status)
{
  SgApplication *self = SG_APPLICATION (application);
  gboolean handled;

  handled = G_APPLICATION_CLASS (sg_application_parent_class)->local_command_line (application,
                                                                                    arguments,
                                                                                    exit_status);

  /* GApplication exits with 1 when GOptionContext cannot parse the command
   * line (unknown option, "--workers abc"), before handle-local-options.
   * That is bad usage: 2, like every other bad value. */
  if (handled && *exit_status == 1 && !self->local_options_seen)
    *exit_status = SG_EXIT_USAGE;

  return handled;
}

/* Runs ---------------------------------------------------------------------- */

static void
on_settings_changed (SgApplication *self,
                     const char    *key,
                     GSettings     *settings)
{
  g_autoptr(SgRunOptions) options = NULL;
  g_autoptr(GError) error = NULL;

  if (self->pool == NULL || g_str_has_prefix (key, "window-") ||
      g_str_equal (key, "demo-latency-ms"))
    return;

  /* The next run uses the new settings (the running one keeps its own). */
  options = sg_application_build_options (self, &error);
  if (options == NULL)
    {
      g_warning ("%s", error->message);
      return;
    }
  sg_pool_set_options (self->pool, options);

  /* A window in the offline demo keeps its built-in server. */
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    if (SG_IS_WINDOW (l->data))
      sg_window_apply_demo_options (l->data);
}

static void
on_run_finished (SgApplication *self,
                 gboolean       all_done,
                 SgWindow      *window)
{
  if (!self->quit_when_done)
    return;

  self->exit_status = all_done ? SG_EXIT_OK : SG_EXIT_SOME_FAILED;
  g_application_quit (G_APPLICATION (self));
}

static void
sg_application_activate (GApplication *application)
{
  SgApplication *self = SG_APPLICATION (application);
  g_autoptr(SgRunOptions) options = NULL;
  g_autoptr(GError) error = NULL;
  GtkWindow *window;
  SgWindow *sg_window;

  window = gtk_application_get_active_window (GTK_APPLICATION (self));
  if (window != NULL)
    {
      gtk_window_present (window);
      return;
    }

  if (self->pool == NULL)
    {
      /* Validated in handle-local-options already. */
      options = sg_application_build_options (self, &error);
      if (options == NULL)
        {
          g_critical ("%s", error->message);
          return;
        }
      self->pool = sg_pool_new (options);
    }

  sg_window = sg_window_new (GTK_APPLICATION (self), self->pool);
  g_signal_connect_object (sg_window, "run-finished", G_CALLBACK (on_run_finished), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (sg_window));

  /* A launch starts fetching at once: that is the demo. --demo starts the
   * built-in server first, then the run. */
  if (self->demo)
    sg_window_start_demo (sg_window);
  else
    sg_window_start_run_when_shown (sg_window);
}

/* App actions ---------------------------------------------------------------- */

static void
preferences_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  SgApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  g_autofree char *cache_dir = NULL;
  g_autoptr(SgRunOptions) defaults = NULL;
  const SgRunOptions *options;
  GtkWidget *preferences;

  if (self->settings == NULL)
    return;

  if (self->pool != NULL)
    options = sg_pool_get_options (self->pool);
  else
    options = defaults = sg_run_options_new ();
  cache_dir = sg_run_options_resolve_cache_dir (options);

  preferences = sg_preferences_window_new (self->settings, cache_dir);
  gtk_window_set_transient_for (GTK_WINDOW (preferences), parent);
  gtk_window_present (GTK_WINDOW (preferences));
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  SgApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  static const char *developers[] = { "Sprite Gallery contributors", NULL };
  static const char *data_sources[] = { "PokeAPI https://pokeapi.co/", NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", parent,
                        "application-name", _("Sprite Gallery"),
                        "application-icon", APPLICATION_ID,
                        "version", PACKAGE_VERSION,
                        "developer-name", _("Sprite Gallery contributors"),
                        "developers", developers,
                        "copyright", _("© 2026 Sprite Gallery contributors"),
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "website", "https://github.com/spritegallery/sprite-gallery",
                        "issue-url", "https://github.com/spritegallery/sprite-gallery/issues",
                        "comments", _("Watch a pool of helper processes fetch Pokémon sprites, "
                                      "and learn how work is shared between processes."),
                        /* Translators: Replace "translator-credits" with your names, one name per line */
                        "translator-credits", _("translator-credits"),
                        NULL);
  adw_about_window_add_acknowledgement_section (ADW_ABOUT_WINDOW (about),
                                                _("Pokémon Data and Sprites"), data_sources);
  adw_about_window_add_legal_section (ADW_ABOUT_WINDOW (about),
                                      _("Pokémon"),
                                      NULL,
                                      GTK_LICENSE_CUSTOM,
                                      _("Pokémon and its sprites are © Nintendo / Game Freak / "
                                        "Creatures. Sprite Gallery is not affiliated with them."));
  gtk_window_present (GTK_WINDOW (about));
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  SgApplication *self = user_data;
  g_autoptr(GList) windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (self)));

  /* Closing the windows stops their runs (the helpers are killed); the
   * application ends once the last run has let go of it. */
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (l->data);
}

static const GActionEntry app_actions[] = {
  { "preferences", preferences_action },
  { "about", about_action },
  { "quit", quit_action },
};

/* GObject ------------------------------------------------------------------ */

static void
sg_application_startup (GApplication *application)
{
  SgApplication *self = SG_APPLICATION (application);
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *preferences_accels[] = { "<Control>comma", NULL };

  G_APPLICATION_CLASS (sg_application_parent_class)->startup (application);

  gtk_window_set_default_icon_name (APPLICATION_ID);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences",
                                         preferences_accels);

  if (self->settings == NULL)
    self->settings = sg_settings_new ();
  if (self->settings != NULL)
    g_signal_connect_object (self->settings, "changed", G_CALLBACK (on_settings_changed), self,
                             G_CONNECT_SWAPPED);
  else
    g_simple_action_set_enabled (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self),
                                                                              "preferences")),
                                 FALSE);
}

static void
sg_application_shutdown (GApplication *application)
{
  SgApplication *self = SG_APPLICATION (application);
  GList *windows;

  /* Destroying a window cancels its run; the pool's finalisation then
   * reaps what is left. */
  while ((windows = gtk_application_get_windows (GTK_APPLICATION (self))) != NULL)
    gtk_window_destroy (windows->data);
  g_clear_object (&self->pool);

  G_APPLICATION_CLASS (sg_application_parent_class)->shutdown (application);
}

static void
sg_application_finalize (GObject *object)
{
  SgApplication *self = SG_APPLICATION (object);

  sg_run_options_storage_clear (&self->storage);
  g_clear_pointer (&self->run_entries, g_free);
  g_clear_object (&self->pool);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (sg_application_parent_class)->finalize (object);
}

static void
sg_application_class_init (SgApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = sg_application_finalize;

  app_class->local_command_line = sg_application_local_command_line;
  app_class->handle_local_options = sg_application_handle_local_options;
  app_class->startup = sg_application_startup;
  app_class->activate = sg_application_activate;
  app_class->shutdown = sg_application_shutdown;
}

static void
sg_application_init (SgApplication *self)
{
  const GOptionEntry gui_entries[] = {
    { "quit-when-done", 0, 0, G_OPTION_ARG_NONE, &self->quit_when_done,
      N_("Quit when the run ends: exit status 0 if every sprite arrived, 1 otherwise"), NULL },
    { "demo", 0, 0, G_OPTION_ARG_NONE, &self->demo,
      N_("Run offline against a built-in server"), NULL },
    { NULL }
  };

  self->exit_status = SG_EXIT_OK;

  /* The entries write straight into our storage (GOptionEntry arg_data). */
  self->run_entries = sg_run_options_entries (&self->storage);
  g_application_add_main_option_entries (G_APPLICATION (self), self->run_entries);
  g_application_add_main_option_entries (G_APPLICATION (self), gui_entries);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Fetch Pokémon sprites with a pool of helper processes."));
}

SgApplication *
sg_application_new (void)
{
  return g_object_new (SG_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", SG_RESOURCE_PREFIX,
                       NULL);
}

int
sg_application_get_exit_status (SgApplication *self)
{
  g_return_val_if_fail (SG_IS_APPLICATION (self), SG_EXIT_USAGE);

  return self->exit_status;
}
