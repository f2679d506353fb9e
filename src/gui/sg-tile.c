/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sg-tile"

#include "config.h"

#include <glib/gi18n.h>

#include "sg-pixel-view.h"
#include "sg-tile.h"
#include "sg-worker-colors.h"

struct _SgTile
{
  GtkWidget    parent_instance;

  SgSprite    *sprite;

  GtkWidget   *box;
  GtkStack    *picture_stack;
  GtkLabel    *placeholder_label;
  GtkSpinner  *spinner;
  SgPixelView *pixel_view;
  GtkLabel    *error_label;
  GtkButton   *retry_button;
  GtkLabel    *name_label;
  GtkLabel    *number_label;
  GtkWidget   *worker_box;
  GtkWidget   *worker_dot;
  GtkLabel    *pid_label;
  GtkWidget   *cached_label;

  /* a sync waits for the next frame (see sg_tile_sprite_notify) */
  guint        sync_tick;
};

enum {
  PROP_0,
  PROP_SPRITE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const state_classes[] = {
  [SG_SPRITE_PENDING] = "pending",
  [SG_SPRITE_FETCHING] = "fetching",
  [SG_SPRITE_DONE] = "done",
  [SG_SPRITE_FAILED] = "failed",
};

G_DEFINE_FINAL_TYPE (SgTile, sg_tile, GTK_TYPE_WIDGET)

char *
sg_tile_display_name (const char *api_name)
{
  GString *name;
  gboolean word_start = TRUE;

  if (api_name == NULL || *api_name == '\0')
    return NULL;

  /* API names are lower-case ASCII slugs ("mr-mime", "nidoran-f"); each
   * word gets a capital. Anything else is shown as it is, but valid. */
  if (!g_utf8_validate (api_name, -1, NULL))
    return g_utf8_make_valid (api_name, -1);

  name = g_string_new (NULL);
  for (const char *p = api_name; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      g_string_append_unichar (name, word_start ? g_unichar_totitle (c) : c);
      word_start = (c == '-' || c == ' ');
    }

  return g_string_free (name, FALSE);
}

static void
sg_tile_set_state_class (SgTile        *self,
                         SgSpriteState  state)
{
  for (guint i = 0; i < G_N_ELEMENTS (state_classes); i++)
    {
      if (i == state)
        gtk_widget_add_css_class (GTK_WIDGET (self), state_classes[i]);
      else
        gtk_widget_remove_css_class (GTK_WIDGET (self), state_classes[i]);
    }
}

static char *
sg_tile_describe (SgSprite   *sprite,
                  const char *display_name)
{
  guint id = sg_sprite_get_id (sprite);

  switch (sg_sprite_get_state (sprite))
    {
    case SG_SPRITE_DONE:
      if (display_name != NULL)
        /* Translators: what a screen reader says of a tile, e.g. "Pikachu, number 25, done" */
        return g_strdup_printf (_("%s, number %u, done"), display_name, id);
      return g_strdup_printf (_("Number %u, done"), id);

    case SG_SPRITE_FAILED:
      /* Translators: "Number 26, failed: The server answered 404 Not Found" */
      return g_strdup_printf (_("Number %u, failed: %s"), id,
                              sg_sprite_get_error (sprite) ? sg_sprite_get_error (sprite)
                                                           : _("unknown error"));

    case SG_SPRITE_FETCHING:
      return g_strdup_printf (_("Number %u, fetching"), id);

    case SG_SPRITE_PENDING:
    default:
      return g_strdup_printf (_("Number %u, waiting"), id);
    }
}

static void
sg_tile_sync (SgTile *self)
{
  g_autofree char *number = NULL;
  g_autofree char *display_name = NULL;
  g_autofree char *description = NULL;
  SgSpriteState state;
  int slot;
  GPid pid;
  gboolean from_cache;
  GBytes *png = NULL;

  if (self->sprite == NULL)
    {
      gtk_stack_set_visible_child_name (self->picture_stack, "pending");
      gtk_spinner_set_spinning (self->spinner, FALSE);
      sg_pixel_view_set_png (self->pixel_view, NULL);
      return;
    }

  state = sg_sprite_get_state (self->sprite);
  display_name = sg_tile_display_name (sg_sprite_get_name (self->sprite));
  /* The window checked that a done sprite's PNG decodes (or failed it). */
  if (state == SG_SPRITE_DONE)
    png = sg_sprite_get_png (self->sprite);
  slot = sg_sprite_get_worker_slot (self->sprite);
  pid = sg_sprite_get_worker_pid (self->sprite);
  from_cache = sg_sprite_get_from_cache (self->sprite);

  number = g_strdup_printf ("#%03u", sg_sprite_get_id (self->sprite));
  gtk_label_set_label (self->placeholder_label, number);
  gtk_label_set_label (self->number_label, number);

  sg_tile_set_state_class (self, state);

  /* Decoded when drawn: most tiles a grid keeps are not on screen. */
  sg_pixel_view_set_png (self->pixel_view, png);

  switch (state)
    {
    case SG_SPRITE_FETCHING:
      gtk_stack_set_visible_child_name (self->picture_stack, "fetching");
      break;
    case SG_SPRITE_DONE:
      gtk_stack_set_visible_child_name (self->picture_stack, png != NULL ? "done" : "pending");
      break;
    case SG_SPRITE_FAILED:
      gtk_stack_set_visible_child_name (self->picture_stack, "failed");
      break;
    case SG_SPRITE_PENDING:
    default:
      gtk_stack_set_visible_child_name (self->picture_stack, "pending");
      break;
    }
  /* A spinner animates (and redraws) even when hidden in a stack page. */
  gtk_spinner_set_spinning (self->spinner, state == SG_SPRITE_FETCHING);

  if (state == SG_SPRITE_FAILED)
    {
      const char *error = sg_sprite_get_error (self->sprite);

      gtk_label_set_label (self->error_label, error ? error : _("Unknown error"));
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->error_label), error);
      /* The target first: an action name without its target warns. */
      gtk_actionable_set_action_target_value (GTK_ACTIONABLE (self->retry_button),
                                              g_variant_new_uint32 (sg_sprite_get_id (self->sprite)));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->retry_button), "win.retry-sprite");
    }

  if (display_name != NULL)
    gtk_label_set_label (self->name_label, display_name);
  else if (state == SG_SPRITE_FAILED)
    gtk_label_set_label (self->name_label, _("Failed"));
  else if (state == SG_SPRITE_FETCHING)
    gtk_label_set_label (self->name_label, _("Fetching…"));
  else
    gtk_label_set_label (self->name_label, _("Waiting"));
  gtk_widget_set_opacity (GTK_WIDGET (self->name_label), display_name != NULL ? 1.0 : 0.55);

  /* Who fetched it: the worker's colour and its process id. */
  if (!from_cache && slot >= 0 && pid > 0)
    {
      g_autofree char *pid_text = g_strdup_printf ("%d", (int) pid);
      g_autofree char *tooltip =
        /* Translators: tooltip of the coloured dot on a tile */
        g_strdup_printf (_("Fetched by worker %d, process %d"), slot + 1, (int) pid);

      sg_worker_color_apply (self->worker_dot, slot);
      gtk_label_set_label (self->pid_label, pid_text);
      gtk_widget_set_tooltip_text (self->worker_box, tooltip);
      gtk_widget_set_visible (self->worker_box, TRUE);
    }
  else
    {
      sg_worker_color_apply (self->worker_dot, -1);
      gtk_widget_set_visible (self->worker_box, FALSE);
    }

  gtk_widget_set_visible (self->cached_label, from_cache && state == SG_SPRITE_DONE);

  description = sg_tile_describe (self->sprite, display_name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, description,
                                  -1);
}

/* At most this many tiles change per frame. With 64 transfers per process
 * every visible tile changes state at once (all "fetching" at the start,
 * all "done" within a few frames); restyling and laying out sixty tiles
 * in one frame took ~30 ms of CPU under the cairo renderer (tests/bench).
 * The others catch up over the next frames. */
#define SYNCS_PER_FRAME 12

static gboolean
sg_tile_sync_tick (GtkWidget     *widget,
                   GdkFrameClock *frame_clock,
                   gpointer       user_data)
{
  SgTile *self = SG_TILE (widget);
  /* Every tile of a window shares its frame clock. */
  static gint64 frame = -1;
  static guint n_synced;
  gint64 counter = gdk_frame_clock_get_frame_counter (frame_clock);

  if (counter != frame)
    {
      frame = counter;
      n_synced = 0;
    }
  if (n_synced >= SYNCS_PER_FRAME)
    return G_SOURCE_CONTINUE;   /* next frame */
  n_synced++;

  self->sync_tick = 0;
  sg_tile_sync (self);

  return G_SOURCE_REMOVE;
}

static void
sg_tile_sprite_notify (SgTile     *self,
                       GParamSpec *pspec,
                       SgSprite   *sprite)
{
  /* Timings change often and show nowhere on the tile. */
  if (g_strcmp0 (pspec->name, "timings") == 0)
    return;

  /* One state change notifies several properties (state, worker, name,
   * png, ...): refresh once, just before the next frame is laid out. An
   * unrealized tile has no frame clock: it is refreshed when bound. */
  if (!gtk_widget_get_realized (GTK_WIDGET (self)))
    sg_tile_sync (self);
  else if (self->sync_tick == 0)
    self->sync_tick = gtk_widget_add_tick_callback (GTK_WIDGET (self), sg_tile_sync_tick,
                                                    NULL, NULL);
}

static void
sg_tile_unrealize (GtkWidget *widget)
{
  SgTile *self = SG_TILE (widget);

  /* Tick callbacks stop with the frame clock: sync now, not never. */
  if (self->sync_tick != 0)
    {
      gtk_widget_remove_tick_callback (widget, self->sync_tick);
      self->sync_tick = 0;
      sg_tile_sync (self);
    }

  GTK_WIDGET_CLASS (sg_tile_parent_class)->unrealize (widget);
}

static void
sg_tile_dispose (GObject *object)
{
  SgTile *self = SG_TILE (object);

  sg_tile_set_sprite (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), SG_TYPE_TILE);

  G_OBJECT_CLASS (sg_tile_parent_class)->dispose (object);
}

static void
sg_tile_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  SgTile *self = SG_TILE (object);

  switch (prop_id)
    {
    case PROP_SPRITE:
      g_value_set_object (value, self->sprite);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sg_tile_set_property (GObject      *object,
                      guint         prop_id,
                      const GValue *value,
                      GParamSpec   *pspec)
{
  SgTile *self = SG_TILE (object);

  switch (prop_id)
    {
    case PROP_SPRITE:
      sg_tile_set_sprite (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sg_tile_class_init (SgTileClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sg_tile_dispose;
  object_class->get_property = sg_tile_get_property;
  object_class->set_property = sg_tile_set_property;

  widget_class->unrealize = sg_tile_unrealize;

  properties[PROP_SPRITE] =
    g_param_spec_object ("sprite", NULL, NULL, SG_TYPE_SPRITE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (SG_TYPE_PIXEL_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class, SG_RESOURCE_PREFIX "/sg-tile.ui");
  gtk_widget_class_bind_template_child (widget_class, SgTile, box);
  gtk_widget_class_bind_template_child (widget_class, SgTile, picture_stack);
  gtk_widget_class_bind_template_child (widget_class, SgTile, placeholder_label);
  gtk_widget_class_bind_template_child (widget_class, SgTile, spinner);
  gtk_widget_class_bind_template_child (widget_class, SgTile, pixel_view);
  gtk_widget_class_bind_template_child (widget_class, SgTile, error_label);
  gtk_widget_class_bind_template_child (widget_class, SgTile, retry_button);
  gtk_widget_class_bind_template_child (widget_class, SgTile, name_label);
  gtk_widget_class_bind_template_child (widget_class, SgTile, number_label);
  gtk_widget_class_bind_template_child (widget_class, SgTile, worker_box);
  gtk_widget_class_bind_template_child (widget_class, SgTile, worker_dot);
  gtk_widget_class_bind_template_child (widget_class, SgTile, pid_label);
  gtk_widget_class_bind_template_child (widget_class, SgTile, cached_label);

  gtk_widget_class_set_css_name (widget_class, "spritetile");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
sg_tile_init (SgTile *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_add_css_class (GTK_WIDGET (self), "card");
  sg_tile_sync (self);
}

GtkWidget *
sg_tile_new (void)
{
  return g_object_new (SG_TYPE_TILE, NULL);
}

SgSprite *
sg_tile_get_sprite (SgTile *self)
{
  g_return_val_if_fail (SG_IS_TILE (self), NULL);

  return self->sprite;
}

void
sg_tile_set_sprite (SgTile   *self,
                    SgSprite *sprite)
{
  g_return_if_fail (SG_IS_TILE (self));
  g_return_if_fail (sprite == NULL || SG_IS_SPRITE (sprite));

  if (self->sprite == sprite)
    return;

  if (self->sprite != NULL)
    g_signal_handlers_disconnect_by_func (self->sprite, sg_tile_sprite_notify, self);
  if (self->sync_tick != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->sync_tick);
      self->sync_tick = 0;
    }

  g_set_object (&self->sprite, sprite);

  /* Any property may change the card; one handler refreshes it all
   * (a handful of label updates, cheap next to a redraw). */
  if (sprite != NULL)
    g_signal_connect_object (sprite, "notify", G_CALLBACK (sg_tile_sprite_notify),
                             self, G_CONNECT_SWAPPED);

  sg_tile_sync (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SPRITE]);
}
