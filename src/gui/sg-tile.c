/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sg-tile"

#include "config.h"

#include <glib/gi18n.h>

#include "sg-pixel-view.h"
#include "sg-snapshot-util.h"
#include "sg-tile.h"
#include "sg-worker-colors.h"

/* The card's content box, in logical pixels (style.css adds the padding). */
#define PICTURE_SIZE    120
#define ROW_SPACING     2
#define DOT_SIZE        10
#define DOT_SPACING     4
#define RING_DIAMETER   88
#define RING_WIDTH      3
#define CACHED_PADDING  6
#define PLACEHOLDER_PX  26
#define CAPTION_SCALE   0.83
#define DIM_ALPHA       0.55
#define PLACEHOLDER_ALPHA 0.22

struct _SgTile
{
  GtkWidget    parent_instance;

  SgSprite    *sprite;

  /* Always there, drawing nothing without a PNG: showing and hiding it
   * would re-measure the grid. */
  SgPixelView *pixel_view;
  /* Built the first time the tile shows a failure. */
  GtkWidget   *failed_box;
  GtkLabel    *error_label;
  GtkWidget   *retry_button;

  /* What is drawn, as of the last sync. */
  SgSpriteState state;
  gboolean     shows_picture;
  gboolean     name_dimmed;
  gboolean     shows_cached;
  int          worker_slot;       /* -1: no worker shown */
  char        *worker_tooltip;
  PangoLayout *placeholder_layout;
  PangoLayout *name_layout;
  PangoLayout *number_layout;
  PangoLayout *tag_layout;        /* the pid, or "cached" */
  PangoFontDescription *font;     /* the layouts were measured with */

  /* a sync waits for the next frame (see sg_tile_sprite_notify) */
  guint        sync_tick;
};

enum {
  PROP_0,
  PROP_SPRITE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

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

/* Text ------------------------------------------------------------------- */

typedef enum {
  TEXT_HEADING,       /* the name: bold */
  TEXT_CAPTION,       /* number, pid, "cached": small, tabular figures */
  TEXT_PLACEHOLDER,   /* the big faint number of a tile without a sprite */
} TextStyle;

static PangoLayout *
create_layout (SgTile    *self,
               TextStyle  style)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), NULL);
  PangoAttrList *attrs = pango_attr_list_new ();

  switch (style)
    {
    case TEXT_HEADING:
      pango_attr_list_insert (attrs, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
      break;
    case TEXT_CAPTION:
      pango_attr_list_insert (attrs, pango_attr_scale_new (CAPTION_SCALE));
      pango_attr_list_insert (attrs, pango_attr_font_features_new ("tnum"));
      break;
    case TEXT_PLACEHOLDER:
      pango_attr_list_insert (attrs, pango_attr_size_new_absolute (PLACEHOLDER_PX * PANGO_SCALE));
      pango_attr_list_insert (attrs, pango_attr_weight_new (PANGO_WEIGHT_ULTRABOLD));
      pango_attr_list_insert (attrs, pango_attr_font_features_new ("tnum"));
      break;
    default:
      g_assert_not_reached ();
    }
  pango_layout_set_attributes (layout, attrs);
  pango_attr_list_unref (attrs);

  return layout;
}

static int
layout_width (PangoLayout *layout)
{
  int width;

  pango_layout_get_pixel_size (layout, &width, NULL);
  return width;
}

static int
layout_height (PangoLayout *layout)
{
  int height;

  pango_layout_get_pixel_size (layout, NULL, &height);
  return height;
}

/* The picture area grows only if a failure's reason and button need it. */
static int
picture_height (SgTile *self,
                int     for_width)
{
  int failed_height = 0;

  if (self->failed_box != NULL && gtk_widget_get_visible (self->failed_box))
    gtk_widget_measure (self->failed_box, GTK_ORIENTATION_VERTICAL, for_width,
                        &failed_height, NULL, NULL, NULL);

  return MAX (PICTURE_SIZE, failed_height);
}

static int
caption_row_height (SgTile *self)
{
  return MAX (layout_height (self->number_layout), DOT_SIZE);
}

/* Left-to-right x of something @width wide, mirrored in right-to-left. */
static double
flip_x (SgTile *self,
        double  x,
        double  width)
{
  if (gtk_widget_get_direction (GTK_WIDGET (self)) == GTK_TEXT_DIR_RTL)
    return gtk_widget_get_width (GTK_WIDGET (self)) - x - width;
  return x;
}

/* State ------------------------------------------------------------------ */

/* Only a failed tile has a style class of its own (style.css tints it).
 * The other states are drawn, so a change between them is a redraw and not
 * also a restyle of the tile and its children. */
static void
sg_tile_set_failed_class (SgTile   *self,
                          gboolean  failed)
{
  if (failed)
    gtk_widget_add_css_class (GTK_WIDGET (self), "failed");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "failed");
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
sg_tile_ensure_failed_box (SgTile *self)
{
  GtkWidget *icon;

  if (self->failed_box != NULL)
    return;

  self->failed_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  gtk_widget_set_valign (self->failed_box, GTK_ALIGN_CENTER);

  icon = gtk_image_new_from_icon_name ("dialog-error-symbolic");
  gtk_image_set_pixel_size (GTK_IMAGE (icon), 24);
  gtk_widget_add_css_class (icon, "error");
  gtk_box_append (GTK_BOX (self->failed_box), icon);

  self->error_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->error_label, TRUE);
  gtk_label_set_wrap_mode (self->error_label, PANGO_WRAP_WORD_CHAR);
  gtk_label_set_lines (self->error_label, 3);
  gtk_label_set_ellipsize (self->error_label, PANGO_ELLIPSIZE_END);
  gtk_label_set_justify (self->error_label, GTK_JUSTIFY_CENTER);
  gtk_label_set_max_width_chars (self->error_label, 16);
  gtk_widget_add_css_class (GTK_WIDGET (self->error_label), "caption");
  gtk_box_append (GTK_BOX (self->failed_box), GTK_WIDGET (self->error_label));

  self->retry_button = gtk_button_new_with_mnemonic (_("_Retry"));
  gtk_widget_set_halign (self->retry_button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (self->retry_button, "retry-button");
  gtk_box_append (GTK_BOX (self->failed_box), self->retry_button);

  gtk_widget_insert_before (self->failed_box, GTK_WIDGET (self), NULL);
}

static void
sg_tile_sync_failed (SgTile  *self,
                     gboolean failed)
{
  const char *error;

  if (!failed)
    {
      if (self->failed_box != NULL)
        gtk_widget_set_visible (self->failed_box, FALSE);
      return;
    }

  sg_tile_ensure_failed_box (self);
  error = sg_sprite_get_error (self->sprite);
  gtk_label_set_label (self->error_label, error ? error : _("Unknown error"));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->error_label), error);
  /* The target first: an action name without its target warns. */
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (self->retry_button),
                                          g_variant_new_uint32 (sg_sprite_get_id (self->sprite)));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->retry_button), "win.retry-sprite");
  gtk_widget_set_visible (self->failed_box, TRUE);
}

static void
sg_tile_sync (SgTile *self)
{
  g_autofree char *number = NULL;
  g_autofree char *display_name = NULL;
  g_autofree char *description = NULL;
  const char *name;
  GBytes *png = NULL;
  GPid pid;

  g_clear_pointer (&self->worker_tooltip, g_free);
  self->worker_slot = -1;
  self->shows_cached = FALSE;

  if (self->sprite == NULL)
    {
      self->state = SG_SPRITE_PENDING;
      self->shows_picture = FALSE;
      sg_pixel_view_set_png (self->pixel_view, NULL);
      sg_tile_sync_failed (self, FALSE);
      pango_layout_set_text (self->placeholder_layout, "", -1);
      pango_layout_set_text (self->name_layout, "", -1);
      pango_layout_set_text (self->number_layout, "", -1);
      gtk_widget_queue_draw (GTK_WIDGET (self));
      return;
    }

  self->state = sg_sprite_get_state (self->sprite);
  display_name = sg_tile_display_name (sg_sprite_get_name (self->sprite));
  /* The window checked that a done sprite's PNG decodes (or failed it). */
  if (self->state == SG_SPRITE_DONE)
    png = sg_sprite_get_png (self->sprite);
  self->shows_picture = png != NULL;
  pid = sg_sprite_get_worker_pid (self->sprite);

  sg_tile_set_failed_class (self, self->state == SG_SPRITE_FAILED);
  /* Decoded when drawn: most tiles a grid keeps are not on screen. */
  sg_pixel_view_set_png (self->pixel_view, png);
  sg_tile_sync_failed (self, self->state == SG_SPRITE_FAILED);

  number = g_strdup_printf ("#%03u", sg_sprite_get_id (self->sprite));
  pango_layout_set_text (self->placeholder_layout, number, -1);
  pango_layout_set_text (self->number_layout, number, -1);

  if (display_name != NULL)
    name = display_name;
  else if (self->state == SG_SPRITE_FAILED)
    name = _("Failed");
  else if (self->state == SG_SPRITE_FETCHING)
    name = _("Fetching…");
  else
    name = _("Waiting");
  pango_layout_set_text (self->name_layout, name, -1);
  self->name_dimmed = display_name == NULL;

  /* Who fetched it: the worker's colour and its process id. */
  if (sg_sprite_get_from_cache (self->sprite))
    {
      self->shows_cached = self->state == SG_SPRITE_DONE;
      pango_layout_set_text (self->tag_layout,
                             /* Translators: shown on a tile whose sprite came from the disk cache, not the network */
                             _("cached"), -1);
    }
  else if (sg_sprite_get_worker_slot (self->sprite) >= 0 && pid > 0)
    {
      g_autofree char *pid_text = g_strdup_printf ("%d", (int) pid);

      self->worker_slot = sg_sprite_get_worker_slot (self->sprite);
      pango_layout_set_text (self->tag_layout, pid_text, -1);
      self->worker_tooltip =
        /* Translators: tooltip of the coloured dot on a tile */
        g_strdup_printf (_("Fetched by worker %d, process %d"), self->worker_slot + 1, (int) pid);
    }

  description = sg_tile_describe (self->sprite, display_name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, description,
                                  -1);

  /* Same size in every state: a redraw, not a new layout of the grid. */
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* At most this many tiles change per frame. With 64 transfers per process
 * every visible tile changes state at once (all "fetching" at the start,
 * all "done" within a few frames), and a done tile decodes its sprite when
 * drawn. The others catch up over the next frames. */
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
   * png, ...): refresh once, just before the next frame is drawn. An
   * unrealized tile has no frame clock: it is refreshed when bound. */
  if (!gtk_widget_get_realized (GTK_WIDGET (self)))
    sg_tile_sync (self);
  else if (self->sync_tick == 0)
    self->sync_tick = gtk_widget_add_tick_callback (GTK_WIDGET (self), sg_tile_sync_tick,
                                                    NULL, NULL);
}

/* Drawing ---------------------------------------------------------------- */

/* The ring of a tile being fetched, in the colour of the worker that has it. */
static void
append_ring (GtkSnapshot   *snapshot,
             double         cx,
             double         cy,
             const GdkRGBA *color)
{
  const float widths[4] = { RING_WIDTH, RING_WIDTH, RING_WIDTH, RING_WIDTH };
  const GdkRGBA colors[4] = { *color, *color, *color, *color };
  GskRoundedRect ring;

  gsk_rounded_rect_init_from_rect (&ring,
                                   &GRAPHENE_RECT_INIT (cx - RING_DIAMETER / 2.0,
                                                        cy - RING_DIAMETER / 2.0,
                                                        RING_DIAMETER, RING_DIAMETER),
                                   RING_DIAMETER / 2.0);
  gtk_snapshot_append_border (snapshot, &ring, widths, colors);
}

static void
append_caption_row (SgTile        *self,
                    GtkSnapshot   *snapshot,
                    double         y,
                    const GdkRGBA *fg)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int row_height = caption_row_height (self);
  GdkRGBA dim = sg_rgba_with_alpha (fg, DIM_ALPHA);
  int tag_width = layout_width (self->tag_layout);
  int tag_height = layout_height (self->tag_layout);
  double tag_y = y + (row_height - tag_height) / 2.0;

  sg_snapshot_append_layout_at (snapshot, self->number_layout,
                                flip_x (self, 0, layout_width (self->number_layout)),
                                y + (row_height - layout_height (self->number_layout)) / 2.0,
                                &dim);

  if (self->worker_slot >= 0)
    {
      double tag_x = width - tag_width;
      double dot_x = tag_x - DOT_SPACING - DOT_SIZE;
      GdkRGBA color;

      sg_worker_color_get_rgba (self->worker_slot, &color);
      sg_snapshot_append_dot (snapshot, flip_x (self, dot_x, DOT_SIZE) + DOT_SIZE / 2.0,
                              y + row_height / 2.0, DOT_SIZE / 2.0, &color);
      sg_snapshot_append_layout_at (snapshot, self->tag_layout,
                                    flip_x (self, tag_x, tag_width), tag_y, fg);
    }
  else if (self->shows_cached)
    {
      double pill_width = tag_width + 2 * CACHED_PADDING;
      double pill_x = flip_x (self, width - pill_width, pill_width);
      GdkRGBA pill = sg_rgba_with_alpha (fg, 0.1);
      GskRoundedRect rect;

      gsk_rounded_rect_init_from_rect (&rect,
                                       &GRAPHENE_RECT_INIT (pill_x, tag_y, pill_width, tag_height),
                                       tag_height / 2.0);
      gtk_snapshot_push_rounded_clip (snapshot, &rect);
      sg_snapshot_append_rect (snapshot, pill_x, tag_y, pill_width, tag_height, &pill);
      gtk_snapshot_pop (snapshot);
      sg_snapshot_append_layout_at (snapshot, self->tag_layout, pill_x + CACHED_PADDING, tag_y, fg);
    }
}

static void
sg_tile_snapshot (GtkWidget   *widget,
                  GtkSnapshot *snapshot)
{
  SgTile *self = SG_TILE (widget);
  int width = gtk_widget_get_width (widget);
  int picture = picture_height (self, width);
  double cx = width / 2.0;
  double cy = picture / 2.0;
  double y;
  GdkRGBA fg, faint, name_color;

  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &fg);

  if (!self->shows_picture && self->state != SG_SPRITE_FAILED)
    {
      faint = sg_rgba_with_alpha (&fg, PLACEHOLDER_ALPHA);
      sg_snapshot_append_layout_at (snapshot, self->placeholder_layout,
                                    cx - layout_width (self->placeholder_layout) / 2.0,
                                    cy - layout_height (self->placeholder_layout) / 2.0,
                                    &faint);
      if (self->state == SG_SPRITE_FETCHING)
        {
          GdkRGBA ring = sg_rgba_with_alpha (&fg, 0.3);

          if (self->worker_slot >= 0)
            sg_worker_color_get_rgba (self->worker_slot, &ring);
          append_ring (snapshot, cx, cy, &ring);
        }
    }

  gtk_widget_snapshot_child (widget, GTK_WIDGET (self->pixel_view), snapshot);
  if (self->failed_box != NULL)
    gtk_widget_snapshot_child (widget, self->failed_box, snapshot);

  y = picture + ROW_SPACING;
  name_color = self->name_dimmed ? sg_rgba_with_alpha (&fg, DIM_ALPHA) : fg;
  sg_snapshot_append_layout_at (snapshot, self->name_layout,
                                flip_x (self, 0, layout_width (self->name_layout)), y,
                                &name_color);

  y += layout_height (self->name_layout) + ROW_SPACING;
  append_caption_row (self, snapshot, y, &fg);
}

/* Size ------------------------------------------------------------------- */

static void
sg_tile_measure (GtkWidget      *widget,
                 GtkOrientation  orientation,
                 int             for_size,
                 int            *minimum,
                 int            *natural,
                 int            *minimum_baseline,
                 int            *natural_baseline)
{
  SgTile *self = SG_TILE (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      int failed_width = 0;

      if (self->failed_box != NULL && gtk_widget_get_visible (self->failed_box))
        gtk_widget_measure (self->failed_box, orientation, -1, &failed_width, NULL, NULL, NULL);
      *minimum = *natural = MAX (PICTURE_SIZE, failed_width);
    }
  else
    {
      *minimum = *natural = picture_height (self, for_size) +
                            ROW_SPACING + layout_height (self->name_layout) +
                            ROW_SPACING + caption_row_height (self);
    }
}

static void
sg_tile_size_allocate (GtkWidget *widget,
                       int        width,
                       int        height,
                       int        baseline)
{
  SgTile *self = SG_TILE (widget);
  int picture = picture_height (self, width);

  gtk_widget_size_allocate (GTK_WIDGET (self->pixel_view),
                            &(GtkAllocation) { (width - PICTURE_SIZE) / 2, (picture - PICTURE_SIZE) / 2,
                                               PICTURE_SIZE, PICTURE_SIZE },
                            -1);
  if (self->failed_box != NULL && gtk_widget_get_visible (self->failed_box))
    gtk_widget_size_allocate (self->failed_box, &(GtkAllocation) { 0, 0, width, picture }, -1);

  pango_layout_set_width (self->name_layout, width * PANGO_SCALE);
}

static gboolean
sg_tile_query_tooltip (GtkWidget  *widget,
                       int         x,
                       int         y,
                       gboolean    keyboard_tooltip,
                       GtkTooltip *tooltip)
{
  SgTile *self = SG_TILE (widget);
  int picture = picture_height (self, gtk_widget_get_width (widget));
  int name_bottom = picture + ROW_SPACING + layout_height (self->name_layout);

  if (y < picture)
    return FALSE;
  if (y < name_bottom + ROW_SPACING)
    {
      /* The whole name, when the card is too narrow for it. */
      if (!pango_layout_is_ellipsized (self->name_layout))
        return FALSE;
      gtk_tooltip_set_text (tooltip, pango_layout_get_text (self->name_layout));
      return TRUE;
    }
  if (self->worker_tooltip == NULL)
    return FALSE;
  gtk_tooltip_set_text (tooltip, self->worker_tooltip);
  return TRUE;
}

static void
sg_tile_css_changed (GtkWidget         *widget,
                     GtkCssStyleChange *change)
{
  SgTile *self = SG_TILE (widget);
  PangoLayout *layouts[] = { self->placeholder_layout, self->name_layout,
                             self->number_layout, self->tag_layout };
  const PangoFontDescription *font;

  GTK_WIDGET_CLASS (sg_tile_parent_class)->css_changed (widget, change);

  /* Most changes are the tile's own state classes: colours at most. Only a
   * new font (text scaling, a theme) makes the layouts measure again. */
  font = pango_context_get_font_description (gtk_widget_get_pango_context (widget));
  if (self->font != NULL && pango_font_description_equal (font, self->font))
    return;
  g_clear_pointer (&self->font, pango_font_description_free);
  self->font = pango_font_description_copy (font);

  for (guint i = 0; i < G_N_ELEMENTS (layouts); i++)
    pango_layout_context_changed (layouts[i]);
  gtk_widget_queue_resize (widget);
}

/* Life ------------------------------------------------------------------- */

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
  g_clear_pointer ((GtkWidget **) &self->pixel_view, gtk_widget_unparent);
  g_clear_pointer (&self->failed_box, gtk_widget_unparent);

  G_OBJECT_CLASS (sg_tile_parent_class)->dispose (object);
}

static void
sg_tile_finalize (GObject *object)
{
  SgTile *self = SG_TILE (object);

  g_clear_object (&self->placeholder_layout);
  g_clear_object (&self->name_layout);
  g_clear_object (&self->number_layout);
  g_clear_object (&self->tag_layout);
  g_free (self->worker_tooltip);
  g_clear_pointer (&self->font, pango_font_description_free);

  G_OBJECT_CLASS (sg_tile_parent_class)->finalize (object);
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
  object_class->finalize = sg_tile_finalize;
  object_class->get_property = sg_tile_get_property;
  object_class->set_property = sg_tile_set_property;

  widget_class->measure = sg_tile_measure;
  widget_class->size_allocate = sg_tile_size_allocate;
  widget_class->snapshot = sg_tile_snapshot;
  widget_class->query_tooltip = sg_tile_query_tooltip;
  widget_class->css_changed = sg_tile_css_changed;
  widget_class->unrealize = sg_tile_unrealize;

  properties[PROP_SPRITE] =
    g_param_spec_object ("sprite", NULL, NULL, SG_TYPE_SPRITE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "spritetile");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
sg_tile_init (SgTile *self)
{
  GtkWidget *widget = GTK_WIDGET (self);

  gtk_widget_set_valign (widget, GTK_ALIGN_START);
  gtk_widget_set_size_request (widget, SG_TILE_MIN_WIDTH, -1);
  gtk_widget_set_has_tooltip (widget, TRUE);
  gtk_widget_add_css_class (widget, "card");

  self->worker_slot = -1;
  self->placeholder_layout = create_layout (self, TEXT_PLACEHOLDER);
  self->name_layout = create_layout (self, TEXT_HEADING);
  self->number_layout = create_layout (self, TEXT_CAPTION);
  self->tag_layout = create_layout (self, TEXT_CAPTION);

  self->pixel_view = SG_PIXEL_VIEW (sg_pixel_view_new ());
  sg_pixel_view_set_pixel_size (self->pixel_view, PICTURE_SIZE);
  gtk_widget_set_parent (GTK_WIDGET (self->pixel_view), widget);

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

SgSpriteState
sg_tile_get_shown_state (SgTile *self)
{
  g_return_val_if_fail (SG_IS_TILE (self), SG_SPRITE_PENDING);

  return self->state;
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

  /* Any property may change the card; one handler refreshes it all. */
  if (sprite != NULL)
    g_signal_connect_object (sprite, "notify", G_CALLBACK (sg_tile_sprite_notify),
                             self, G_CONNECT_SWAPPED);

  sg_tile_sync (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SPRITE]);
}
