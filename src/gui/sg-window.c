/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sg-window"

#include "config.h"

#include <glib/gi18n.h>

#include "sg-settings.h"
#include "sg-texture.h"
#include "sg-tile.h"
#include "sg-window-private.h"

enum {
  PROP_0,
  PROP_POOL,
  N_PROPS
};

enum {
  RUN_FINISHED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (SgWindow, sg_window, ADW_TYPE_APPLICATION_WINDOW)

/* The gallery's widest row (a 2560-pixel-wide window holds 15 columns). */
#define MAX_GRID_COLUMNS 16

/* Decoded textures kept on the sprites ------------------------------------- */

/* A decoded 96×96 sprite is 36 KB, its PNG ~1 KB: a thousand sprites kept
 * decoded grew the window by 36 MB (tests/bench). So only the most recent
 * ones keep their texture on the sprite ("paintable"): a screenful and
 * the sprite pages a user is likely to open. Tiles and pages decode the
 * others from their PNG when they show them (sg_texture_for_sprite()). */
#define KEPT_TEXTURES 128

typedef struct {
  SgSprite   *sprite;
  GdkTexture *texture;
} KeptTexture;

static void
kept_texture_free (gpointer data)
{
  KeptTexture *kept = data;

  g_object_unref (kept->sprite);
  g_object_unref (kept->texture);
  g_free (kept);
}

static void
sg_window_keep_texture (SgWindow   *self,
                        SgSprite   *sprite,
                        GdkTexture *texture)
{
  KeptTexture *kept = g_new (KeptTexture, 1);

  kept->sprite = g_object_ref (sprite);
  kept->texture = g_object_ref (texture);
  g_queue_push_tail (&self->kept_textures, kept);
  sg_sprite_set_paintable (sprite, G_OBJECT (texture));

  while (self->kept_textures.length > KEPT_TEXTURES)
    {
      KeptTexture *oldest = g_queue_pop_head (&self->kept_textures);

      /* Unless a later run gave the sprite a texture of its own since. */
      if (sg_sprite_get_paintable (oldest->sprite) == G_OBJECT (oldest->texture))
        sg_sprite_set_paintable (oldest->sprite, NULL);
      kept_texture_free (oldest);
    }
}

/* The pool's signals ------------------------------------------------------ */

static void
on_sprite_done (SgPool   *pool,
                SgSprite *sprite,
                SgWindow *self)
{
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;
  GBytes *png = sg_sprite_get_png (sprite);

  /* Decoding a 96×96 PNG takes ~0.1 ms, so it stays on the main thread (see
   * sg_window_get_max_stall_ms() for what the loop sees). The engine does
   * not decode: a PNG that GdkTexture refuses fails the task here. */
  if (png != NULL)
    texture = sg_texture_decode_png (png, &error);
  else
    g_set_error_literal (&error, SG_TEXTURE_ERROR, SG_TEXTURE_ERROR_INVALID,
                         _("The sprite is missing"));

  if (texture == NULL)
    {
      g_debug ("Sprite %u: %s", sg_sprite_get_id (sprite), error->message);
      sg_pool_fail_sprite (pool, sprite, error->message);
      return;
    }

  sg_window_keep_texture (self, sprite, texture);
  sg_pool_mark_shown (pool, sprite);
}

static void
on_pool_paused (SgPool     *pool,
                const char *reason,
                SgWindow   *self)
{
  gtk_label_set_label (self->paused_label,
                       reason != NULL ? reason : _("Helper processes keep dying: the pool is paused."));
  gtk_revealer_set_reveal_child (self->paused_revealer, TRUE);
  sg_window_update_actions (self);
}

static void
on_toast_dismissed (AdwToast *toast,
                    SgWindow *self)
{
  if (self->log_toast == toast)
    self->log_toast = NULL;
}

static void
on_pool_log (SgPool     *pool,
             const char *message,
             SgWindow   *self)
{
  /* The banner already says why the pool paused. */
  if (message == NULL || sg_pool_get_paused (pool))
    return;

  /* Helpers that die in a burst log one line each: show the latest in the
   * toast that is up rather than queueing a dozen. */
  if (self->log_toast != NULL)
    {
      adw_toast_set_title (self->log_toast, message);
      return;
    }

  self->log_toast = adw_toast_new (message);
  adw_toast_set_timeout (self->log_toast, 5);
  g_signal_connect_object (self->log_toast, "dismissed", G_CALLBACK (on_toast_dismissed), self, 0);
  adw_toast_overlay_add_toast (self->toast_overlay, self->log_toast);
}

static void
on_pool_notify (SgPool     *pool,
                GParamSpec *pspec,
                SgWindow   *self)
{
  if (g_strcmp0 (pspec->name, "paused") == 0 && !sg_pool_get_paused (pool))
    gtk_revealer_set_reveal_child (self->paused_revealer, FALSE);

  sg_window_update_progress (self);
  /* The actions follow "running" and "paused" only; updating them on every
   * "n-done" re-set the Run/Stop button a hundred times a run, and each
   * time its header bar was laid out again. */
  if (g_strcmp0 (pspec->name, "running") == 0 || g_strcmp0 (pspec->name, "paused") == 0)
    sg_window_update_actions (self);
}

/* What the window shows ---------------------------------------------------- */

void
sg_window_sync_model (SgWindow *self)
{
  GListModel *sprites = sg_pool_get_sprites (self->pool);

  if (self->sprites == sprites)
    return;

  if (self->sprites != NULL)
    g_signal_handlers_disconnect_by_func (self->sprites, sg_window_update_progress, self);

  g_set_object (&self->sprites, sprites);
  gtk_no_selection_set_model (self->selection, sprites);

  if (sprites != NULL)
    g_signal_connect_object (sprites, "items-changed",
                             G_CALLBACK (sg_window_update_progress), self,
                             G_CONNECT_SWAPPED);
  sg_window_update_progress (self);
}

void
sg_window_update_progress (SgWindow *self)
{
  g_autofree char *text = NULL;
  guint total, done, failed;

  if (self->disposed)
    return;

  total = self->sprites != NULL ? g_list_model_get_n_items (self->sprites) : 0;
  done = sg_pool_get_n_done (self->pool);
  failed = sg_pool_get_n_failed (self->pool);

  /* Translators: sprites done / sprites in the run, e.g. "42 / 100" */
  text = g_strdup_printf (_("%u / %u"), done, total);
  gtk_inscription_set_text (self->progress_label, text);

  /* Shown during a run only; an empty line draws nothing, and unlike a
   * hidden widget it costs no new layout when the run starts or ends. */
  sg_progress_line_set_fraction (self->progress_line,
                                 sg_window_get_running (self) && total > 0
                                 ? (double) (done + failed) / total : 0.0);
}

void
sg_window_show_gallery (SgWindow *self)
{
  gtk_stack_set_visible_child_name (self->main_stack, "gallery");
}

void
sg_window_show_status (SgWindow     *self,
                       const GError *error)
{
  g_autofree char *description = NULL;

  if (g_error_matches (error, SG_POOL_ERROR, SG_POOL_ERROR_SPAWN))
    {
      adw_status_page_set_icon_name (self->status_page, "dialog-error-symbolic");
      adw_status_page_set_title (self->status_page, _("Cannot Start the Helper Program"));
      description = g_markup_printf_escaped ("%s", error->message);
    }
  else
    {
      adw_status_page_set_icon_name (self->status_page, "network-offline-symbolic");
      adw_status_page_set_title (self->status_page, _("Cannot Reach the Server"));
      /* The pool's message names the address and the cause. */
      description = g_markup_printf_escaped ("%s", error->message);
    }

  adw_status_page_set_description (self->status_page, description);
  gtk_stack_set_visible_child_name (self->main_stack, "status");
}

void
sg_window_emit_run_finished (SgWindow *self,
                             gboolean  all_done)
{
  g_signal_emit (self, signals[RUN_FINISHED], 0, all_done);
}

/* GObject ------------------------------------------------------------------ */

static void
sg_window_save_size (SgWindow *self)
{
  int width, height;

  if (self->settings == NULL)
    return;

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  g_settings_delay (self->settings);
  g_settings_set_int (self->settings, "window-width", width);
  g_settings_set_int (self->settings, "window-height", height);
  g_settings_set_boolean (self->settings, "window-maximized",
                          gtk_window_is_maximized (GTK_WINDOW (self)));
  g_settings_apply (self->settings);
}

static void
sg_window_map (GtkWidget *widget)
{
  SgWindow *self = SG_WINDOW (widget);

  /* The start of "warm start: every tile shown within 150 ms of the map". */
  if (self->mapped_us == 0)
    self->mapped_us = g_get_monotonic_time ();

  GTK_WIDGET_CLASS (sg_window_parent_class)->map (widget);
}

static gboolean
sg_window_close_request (GtkWindow *window)
{
  SgWindow *self = SG_WINDOW (window);

  sg_window_save_size (self);
  /* Closing mid-run is Stop: the helpers are killed, not orphaned. */
  sg_window_stop_run (self);

  return GTK_WINDOW_CLASS (sg_window_parent_class)->close_request (window);
}

static void
sg_window_constructed (GObject *object)
{
  SgWindow *self = SG_WINDOW (object);

  G_OBJECT_CLASS (sg_window_parent_class)->constructed (object);

  g_assert (SG_IS_POOL (self->pool));

  g_signal_connect_object (self->pool, "sprite-done", G_CALLBACK (on_sprite_done), self, 0);
  g_signal_connect_object (self->pool, "paused", G_CALLBACK (on_pool_paused), self, 0);
  g_signal_connect_object (self->pool, "log", G_CALLBACK (on_pool_log), self, 0);
  g_signal_connect_object (self->pool, "notify", G_CALLBACK (on_pool_notify), self, 0);

  sg_window_sync_model (self);
  sg_window_init_viz (self);
  sg_window_update_actions (self);

  if (self->settings != NULL)
    {
      gtk_window_set_default_size (GTK_WINDOW (self),
                                   g_settings_get_int (self->settings, "window-width"),
                                   g_settings_get_int (self->settings, "window-height"));
      if (g_settings_get_boolean (self->settings, "window-maximized"))
        gtk_window_maximize (GTK_WINDOW (self));
    }
}

static void
sg_window_dispose (GObject *object)
{
  SgWindow *self = SG_WINDOW (object);

  /* Stop first: the run's callback holds a reference and comes back once
   * the helpers are gone; it sees `disposed` and touches no widget. */
  self->disposed = TRUE;
  if (self->run_cancellable != NULL)
    g_cancellable_cancel (self->run_cancellable);
  sg_window_start_pending_pool (self);

  if (self->pool != NULL)
    g_signal_handlers_disconnect_by_data (self->pool, self);
  if (self->sprites != NULL)
    g_signal_handlers_disconnect_by_data (self->sprites, self);

  sg_window_dispose_demo (self);
  sg_window_dispose_viz (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), SG_TYPE_WINDOW);

  g_clear_object (&self->sprites);
  g_clear_object (&self->settings);
  g_queue_clear_full (&self->kept_textures, kept_texture_free);
  if (self->log_toast != NULL)
    g_signal_handlers_disconnect_by_data (self->log_toast, self);
  self->log_toast = NULL;

  G_OBJECT_CLASS (sg_window_parent_class)->dispose (object);
}

static void
sg_window_finalize (GObject *object)
{
  SgWindow *self = SG_WINDOW (object);

  g_clear_object (&self->run_cancellable);
  g_clear_object (&self->watchdog);
  g_clear_object (&self->pool);

  G_OBJECT_CLASS (sg_window_parent_class)->finalize (object);
}

static void
sg_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  SgWindow *self = SG_WINDOW (object);

  switch (prop_id)
    {
    case PROP_POOL:
      g_value_set_object (value, self->pool);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sg_window_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  SgWindow *self = SG_WINDOW (object);

  switch (prop_id)
    {
    case PROP_POOL:
      self->pool = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sg_window_class_init (SgWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = sg_window_constructed;
  object_class->dispose = sg_window_dispose;
  object_class->finalize = sg_window_finalize;
  object_class->get_property = sg_window_get_property;
  object_class->set_property = sg_window_set_property;

  widget_class->map = sg_window_map;
  window_class->close_request = sg_window_close_request;

  properties[PROP_POOL] =
    g_param_spec_object ("pool", NULL, NULL, SG_TYPE_POOL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[RUN_FINISHED] =
    g_signal_new ("run-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_BOOLEAN);

  g_type_ensure (SG_TYPE_TILE);
  g_type_ensure (SG_TYPE_PROGRESS_LINE);
  g_type_ensure (SG_TYPE_COLUMN_FIT);

  gtk_widget_class_set_template_from_resource (widget_class, SG_RESOURCE_PREFIX "/sg-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SgWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, SgWindow, main_box);
  gtk_widget_class_bind_template_child (widget_class, SgWindow, content_box);
  gtk_widget_class_bind_template_child (widget_class, SgWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, SgWindow, run_button);
  gtk_widget_class_bind_template_child (widget_class, SgWindow, run_button_content);
  gtk_widget_class_bind_template_child (widget_class, SgWindow, progress_label);
  gtk_widget_class_bind_template_child (widget_class, SgWindow, progress_line);
  gtk_widget_class_bind_template_child (widget_class, SgWindow, paused_revealer);
  gtk_widget_class_bind_template_child (widget_class, SgWindow, paused_label);
  gtk_widget_class_bind_template_child (widget_class, SgWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, SgWindow, gallery_fit);
  gtk_widget_class_bind_template_child (widget_class, SgWindow, gallery_scroller);
  gtk_widget_class_bind_template_child (widget_class, SgWindow, grid_view);
  gtk_widget_class_bind_template_child (widget_class, SgWindow, selection);
  gtk_widget_class_bind_template_child (widget_class, SgWindow, status_page);
  gtk_widget_class_bind_template_child (widget_class, SgWindow, status_demo_button);
  gtk_widget_class_bind_template_child (widget_class, SgWindow, demo_button);
  gtk_widget_class_bind_template_child (widget_class, SgWindow, demo_label);
  gtk_widget_class_bind_template_child (widget_class, SgWindow, demo_popover);

  sg_window_class_init_actions (widget_class);
  sg_window_class_init_demo (widget_class);
  sg_window_class_init_viz (widget_class);
}

static void
sg_window_init (SgWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  sg_column_fit_set_grid (self->gallery_fit, self->grid_view, SG_TILE_MIN_WIDTH, MAX_GRID_COLUMNS);

  self->settings = sg_settings_new ();
  self->watchdog = sg_stall_watchdog_new ();
  self->pool_start_timeout_ms = SG_WINDOW_POOL_START_TIMEOUT_MS;

  if (SG_DEVEL)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
}

SgWindow *
sg_window_new (GtkApplication *application,
               SgPool         *pool)
{
  g_return_val_if_fail (application == NULL || GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (SG_IS_POOL (pool), NULL);

  return g_object_new (SG_TYPE_WINDOW,
                       "application", application,
                       "pool", pool,
                       NULL);
}

SgPool *
sg_window_get_pool (SgWindow *self)
{
  g_return_val_if_fail (SG_IS_WINDOW (self), NULL);

  return self->pool;
}

double
sg_window_get_max_stall_ms (SgWindow *self)
{
  g_return_val_if_fail (SG_IS_WINDOW (self), 0.0);

  return sg_stall_watchdog_get_max_stall_ms (self->watchdog);
}
