/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sg-sprite-page"

#include "config.h"

#include <glib/gi18n.h>

#include "sg-pixel-view.h"
#include "sg-sprite-page.h"
#include "sg-texture.h"
#include "sg-tile.h"
#include "sg-variant-loader.h"
#include "sg-worker-colors.h"

#define MAX_STAT 255  /* the largest base stat there is */

typedef struct {
  const char  *key;       /* in details.sprites */
  GtkStack    *stack;     /* "loading", "image", "none" */
  SgPixelView *view;
  GtkLabel    *note;
  gboolean     shown;
  gboolean     wanted;
} Variant;

enum {
  TIMING_QUEUE,
  TIMING_JSON,
  TIMING_PARSE,
  TIMING_SPRITE,
  TIMING_SHOWN,
  TIMING_TOTAL,
  N_TIMINGS
};

struct _SgSpritePage
{
  AdwWindow           parent_instance;

  SgSprite           *sprite;
  gulong              notify_id;
  GCancellable       *cancellable;
  Variant             variants[4];
  gboolean            variants_started;
  GtkLabel           *timing_labels[N_TIMINGS];
  GtkLabel           *worker_label;
  GtkWidget          *worker_dot;
  GtkLabel           *attempts_label;
  GtkLabel           *cache_label;

  AdwWindowTitle     *window_title;
  SgPixelView        *sprite_view;
  GtkBox             *types_box;
  GtkLabel           *height_label;
  GtkLabel           *weight_label;
  GtkBox             *variants_box;
  GtkGrid            *stats_grid;
  AdwPreferencesGroup *fetch_group;
  AdwPreferencesGroup *timing_group;
};

G_DEFINE_FINAL_TYPE (SgSpritePage, sg_sprite_page, ADW_TYPE_WINDOW)

static const struct {
  const char *key;
  const char *label;
} variant_keys[] = {
  { "front_default", N_("Front") },
  { "back_default", N_("Back") },
  { "front_shiny", N_("Shiny") },
  { "back_shiny", N_("Back, shiny") },
};

static const struct {
  const char *key;
  const char *label;
} stat_names[] = {
  { "hp", N_("HP") },
  { "attack", N_("Attack") },
  { "defense", N_("Defense") },
  { "special-attack", N_("Sp. Attack") },
  { "special-defense", N_("Sp. Defense") },
  { "speed", N_("Speed") },
};

/* ------------------------------------------------------------------------ */
/* Helpers                                                                  */

static JsonObject *
member_object (JsonObject *object,
               const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static const char *
member_string (JsonObject *object,
               const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gint64
member_int (JsonObject *object,
            const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_INT64)
    return -1;
  return json_node_get_int (node);
}

static char *
format_ms (double ms)
{
  if (ms < 0)
    return g_strdup ("—");
  /* Translators: a duration in milliseconds */
  return g_strdup_printf (_("%.0f ms"), ms);
}

static double
span (double from,
      double to)
{
  return from >= 0 && to >= from ? to - from : -1;
}

static GtkLabel *
add_value_row (AdwPreferencesGroup *group,
               const char          *title,
               GtkWidget           *prefix)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *value = gtk_label_new (NULL);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_widget_add_css_class (value, "numeric");
  gtk_label_set_selectable (GTK_LABEL (value), TRUE);
  if (prefix != NULL)
    adw_action_row_add_prefix (ADW_ACTION_ROW (row), prefix);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), value);
  adw_preferences_group_add (group, row);
  return GTK_LABEL (value);
}

/* ------------------------------------------------------------------------ */
/* Variants                                                                 */

typedef struct {
  SgSpritePage *page;
  guint         index;
} VariantLoad;

static void
show_variant (SgSpritePage *self,
              Variant      *variant,
              GdkTexture   *texture,
              const char   *why_not)
{
  if (texture != NULL)
    {
      sg_pixel_view_set_texture (variant->view, texture);
      gtk_stack_set_visible_child_name (variant->stack, "image");
      variant->shown = TRUE;
    }
  else
    {
      gtk_label_set_label (variant->note, why_not);
      gtk_stack_set_visible_child_name (variant->stack, "none");
    }
}

static void
on_variant_loaded (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  VariantLoad *load = user_data;
  g_autoptr(SgSpritePage) page = load->page;
  Variant *variant = &page->variants[load->index];
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = sg_variant_load_finish (result, &error);
  g_autoptr(GdkTexture) texture = NULL;

  g_free (load);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (bytes != NULL)
    texture = sg_texture_decode_png (bytes, &error);
  if (texture == NULL)
    {
      g_message ("Variant %s of sprite #%u: %s", variant->key,
                 sg_sprite_get_id (page->sprite), error->message);
      show_variant (page, variant, NULL, _("Not available"));
      gtk_widget_set_tooltip_text (GTK_WIDGET (variant->note), error->message);
      return;
    }
  show_variant (page, variant, texture, NULL);
}

static void
start_variants (SgSpritePage *self)
{
  JsonObject *details = sg_sprite_get_details (self->sprite);
  JsonObject *sprites = member_object (details, "sprites");
  g_autoptr(GdkTexture) front = sg_texture_for_sprite (self->sprite);

  if (self->variants_started || details == NULL)
    return;
  self->variants_started = TRUE;

  for (guint i = 0; i < G_N_ELEMENTS (self->variants); i++)
    {
      Variant *variant = &self->variants[i];
      const char *url = member_string (sprites, variant->key);
      VariantLoad *load;

      /* The front sprite is in memory already. */
      if (i == 0 && front != NULL)
        {
          variant->wanted = TRUE;
          show_variant (self, variant, front, NULL);
          continue;
        }
      if (url == NULL)
        {
          show_variant (self, variant, NULL, _("None"));
          continue;
        }

      variant->wanted = TRUE;
      load = g_new (VariantLoad, 1);
      load->page = g_object_ref (self);
      load->index = i;
      sg_variant_load_async (url, self->cancellable, on_variant_loaded, load);
    }
}

static void
build_variants (SgSpritePage *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (variant_keys); i++)
    {
      Variant *variant = &self->variants[i];
      GtkWidget *cell = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
      GtkWidget *caption = gtk_label_new (_(variant_keys[i].label));
      GtkWidget *spinner = gtk_spinner_new ();

      variant->key = variant_keys[i].key;
      variant->stack = GTK_STACK (gtk_stack_new ());
      variant->view = SG_PIXEL_VIEW (sg_pixel_view_new ());
      variant->note = GTK_LABEL (gtk_label_new (NULL));
      sg_pixel_view_set_pixel_size (variant->view, 96);
      gtk_spinner_set_spinning (GTK_SPINNER (spinner), TRUE);
      gtk_widget_set_halign (spinner, GTK_ALIGN_CENTER);
      gtk_widget_set_valign (spinner, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (GTK_WIDGET (variant->note), "dim-label");
      gtk_label_set_wrap (variant->note, TRUE);
      gtk_stack_add_named (variant->stack, spinner, "loading");
      gtk_stack_add_named (variant->stack, GTK_WIDGET (variant->view), "image");
      gtk_stack_add_named (variant->stack, GTK_WIDGET (variant->note), "none");
      gtk_widget_set_size_request (GTK_WIDGET (variant->stack), 96, 96);
      gtk_widget_add_css_class (caption, "caption");
      gtk_widget_set_margin_top (cell, 10);
      gtk_widget_set_margin_bottom (cell, 10);
      gtk_box_append (GTK_BOX (cell), GTK_WIDGET (variant->stack));
      gtk_box_append (GTK_BOX (cell), caption);
      gtk_box_append (self->variants_box, cell);
    }
}

/* ------------------------------------------------------------------------ */
/* What the sprite says                                                     */

static void
sync_types (SgSpritePage *self,
            JsonObject   *details)
{
  JsonNode *node = details != NULL ? json_object_get_member (details, "types") : NULL;
  JsonArray *types = node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node)
                                                                  : NULL;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->types_box))) != NULL)
    gtk_box_remove (self->types_box, child);

  for (guint i = 0; types != NULL && i < json_array_get_length (types); i++)
    {
      JsonNode *element = json_array_get_element (types, i);
      const char *type;
      g_autofree char *name = NULL;
      g_autofree char *css_class = NULL;
      GtkWidget *pill;

      if (!JSON_NODE_HOLDS_VALUE (element) || json_node_get_value_type (element) != G_TYPE_STRING)
        continue;
      type = json_node_get_string (element);
      name = sg_tile_display_name (type);
      pill = gtk_label_new (name);
      gtk_widget_add_css_class (pill, "type-pill");
      /* A class per type for its colour — only for plain names. */
      if (type[0] != '\0' && strspn (type, "abcdefghijklmnopqrstuvwxyz") == strlen (type) &&
          strlen (type) < 20)
        {
          css_class = g_strdup_printf ("type-%s", type);
          gtk_widget_add_css_class (pill, css_class);
        }
      gtk_box_append (self->types_box, pill);
    }
}

static void
sync_stats (SgSpritePage *self,
            JsonObject   *details)
{
  JsonObject *stats = member_object (details, "stats");
  GtkWidget *child;
  int row = 0;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->stats_grid))) != NULL)
    gtk_grid_remove (self->stats_grid, child);

  for (guint i = 0; i < G_N_ELEMENTS (stat_names); i++)
    {
      gint64 value = member_int (stats, stat_names[i].key);
      g_autofree char *text = NULL;
      GtkWidget *name, *number, *bar;

      if (value < 0)
        continue;

      text = g_strdup_printf ("%" G_GINT64_FORMAT, value);
      name = gtk_label_new (_(stat_names[i].label));
      number = gtk_label_new (text);
      bar = gtk_level_bar_new_for_interval (0, MAX_STAT);
      gtk_label_set_xalign (GTK_LABEL (name), 0);
      gtk_label_set_xalign (GTK_LABEL (number), 1);
      gtk_widget_add_css_class (number, "numeric");
      gtk_widget_set_size_request (number, 32, -1);
      gtk_level_bar_set_value (GTK_LEVEL_BAR (bar), MIN (value, MAX_STAT));
      /* Plain bars: the default offsets colour low values as warnings. */
      gtk_level_bar_remove_offset_value (GTK_LEVEL_BAR (bar), GTK_LEVEL_BAR_OFFSET_LOW);
      gtk_level_bar_remove_offset_value (GTK_LEVEL_BAR (bar), GTK_LEVEL_BAR_OFFSET_HIGH);
      gtk_level_bar_remove_offset_value (GTK_LEVEL_BAR (bar), GTK_LEVEL_BAR_OFFSET_FULL);
      gtk_widget_set_hexpand (bar, TRUE);
      gtk_widget_set_valign (bar, GTK_ALIGN_CENTER);
      gtk_accessible_update_property (GTK_ACCESSIBLE (bar), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _(stat_names[i].label), -1);
      gtk_grid_attach (self->stats_grid, name, 0, row, 1, 1);
      gtk_grid_attach (self->stats_grid, number, 1, row, 1, 1);
      gtk_grid_attach (self->stats_grid, bar, 2, row, 1, 1);
      row++;
    }
  gtk_widget_set_visible (GTK_WIDGET (self->stats_grid), row > 0);
}

static void
sync_page (SgSpritePage *self)
{
  SgSprite *sprite = self->sprite;
  JsonObject *details = sg_sprite_get_details (sprite);
  SgSpriteTimings *timings = sg_sprite_get_timings (sprite);
  g_autoptr(GdkTexture) texture = sg_texture_for_sprite (sprite);
  g_autofree char *name = sg_tile_display_name (sg_sprite_get_name (sprite));
  g_autofree char *number = g_strdup_printf ("#%03u", sg_sprite_get_id (sprite));
  gint64 height = member_int (details, "height");
  gint64 weight = member_int (details, "weight");
  int slot = sg_sprite_get_worker_slot (sprite);
  GPid pid = sg_sprite_get_worker_pid (sprite);
  guint attempts = sg_sprite_get_attempts (sprite);
  double values[N_TIMINGS];

  adw_window_title_set_title (self->window_title, name != NULL ? name : number);
  adw_window_title_set_subtitle (self->window_title, name != NULL ? number : NULL);
  gtk_window_set_title (GTK_WINDOW (self), name != NULL ? name : number);

  sg_pixel_view_set_texture (self->sprite_view, texture);

  {
    /* Translators: metres and kilograms (the API counts dm and hg) */
    g_autofree char *height_text = height >= 0 ? g_strdup_printf (_("%.1f m"), height / 10.0)
                                               : g_strdup ("—");
    g_autofree char *weight_text = weight >= 0 ? g_strdup_printf (_("%.1f kg"), weight / 10.0)
                                               : g_strdup ("—");

    gtk_label_set_label (self->height_label, height_text);
    gtk_label_set_label (self->weight_label, weight_text);
  }

  sync_types (self, details);
  sync_stats (self, details);
  start_variants (self);

  /* Who fetched it. */
  if (sg_sprite_get_from_cache (sprite))
    {
      gtk_label_set_label (self->worker_label, _("Nobody: it came from the cache"));
      sg_worker_color_apply (self->worker_dot, -1);
      gtk_widget_set_visible (self->worker_dot, FALSE);
    }
  else if (pid != 0)
    {
      /* Translators: "Process 2, pid 1234" */
      g_autofree char *text = g_strdup_printf (_("Process %d, pid %d"), slot + 1, (int) pid);

      gtk_label_set_label (self->worker_label, text);
      sg_worker_color_apply (self->worker_dot, slot);
      gtk_widget_set_visible (self->worker_dot, TRUE);
    }
  else
    {
      gtk_label_set_label (self->worker_label, _("Not fetched yet"));
      gtk_widget_set_visible (self->worker_dot, FALSE);
    }
  {
    g_autofree char *attempts_text = g_strdup_printf ("%u", attempts);

    gtk_label_set_label (self->attempts_label, attempts_text);
  }
  gtk_label_set_label (self->cache_label,
                       sg_sprite_get_from_cache (sprite) ? _("Yes") : _("No"));

  /* Its last attempt, phase by phase. */
  values[TIMING_QUEUE] = span (timings->queued_ms, timings->started_ms);
  values[TIMING_JSON] = span (timings->started_ms, timings->json_ms);
  values[TIMING_PARSE] = span (timings->json_ms, timings->parse_ms);
  values[TIMING_SPRITE] = span (timings->parse_ms, timings->sprite_ms);
  values[TIMING_SHOWN] = span (timings->sprite_ms, timings->shown_ms);
  values[TIMING_TOTAL] = span (timings->queued_ms, timings->shown_ms >= 0 ? timings->shown_ms
                                                                          : timings->sprite_ms);
  for (guint i = 0; i < N_TIMINGS; i++)
    {
      g_autofree char *text = format_ms (values[i]);

      gtk_label_set_label (self->timing_labels[i], text);
    }
}

static void
on_sprite_notify (SgSprite     *sprite,
                  GParamSpec   *pspec,
                  SgSpritePage *self)
{
  sync_page (self);
}

/* ------------------------------------------------------------------------ */
/* Public                                                                   */

SgSprite *
sg_sprite_page_get_sprite (SgSpritePage *self)
{
  g_return_val_if_fail (SG_IS_SPRITE_PAGE (self), NULL);
  return self->sprite;
}

guint
sg_sprite_page_get_variants_shown (SgSpritePage *self)
{
  guint n = 0;

  g_return_val_if_fail (SG_IS_SPRITE_PAGE (self), 0);
  for (guint i = 0; i < G_N_ELEMENTS (self->variants); i++)
    n += self->variants[i].shown;
  return n;
}

guint
sg_sprite_page_get_variants_total (SgSpritePage *self)
{
  guint n = 0;

  g_return_val_if_fail (SG_IS_SPRITE_PAGE (self), 0);
  for (guint i = 0; i < G_N_ELEMENTS (self->variants); i++)
    n += self->variants[i].wanted;
  return n;
}

/* ------------------------------------------------------------------------ */
/* GObject                                                                  */

static void
sg_sprite_page_dispose (GObject *object)
{
  SgSpritePage *self = SG_SPRITE_PAGE (object);

  /* Transfers still going end at once and are forgotten. */
  g_cancellable_cancel (self->cancellable);
  if (self->sprite != NULL)
    g_clear_signal_handler (&self->notify_id, self->sprite);
  g_clear_object (&self->sprite);
  gtk_widget_dispose_template (GTK_WIDGET (self), SG_TYPE_SPRITE_PAGE);

  G_OBJECT_CLASS (sg_sprite_page_parent_class)->dispose (object);
}

static void
sg_sprite_page_finalize (GObject *object)
{
  SgSpritePage *self = SG_SPRITE_PAGE (object);

  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (sg_sprite_page_parent_class)->finalize (object);
}

static void
sg_sprite_page_class_init (SgSpritePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sg_sprite_page_dispose;
  object_class->finalize = sg_sprite_page_finalize;

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);

  g_type_ensure (SG_TYPE_PIXEL_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               SG_RESOURCE_PREFIX "/sg-sprite-page.ui");
  gtk_widget_class_bind_template_child (widget_class, SgSpritePage, window_title);
  gtk_widget_class_bind_template_child (widget_class, SgSpritePage, sprite_view);
  gtk_widget_class_bind_template_child (widget_class, SgSpritePage, types_box);
  gtk_widget_class_bind_template_child (widget_class, SgSpritePage, height_label);
  gtk_widget_class_bind_template_child (widget_class, SgSpritePage, weight_label);
  gtk_widget_class_bind_template_child (widget_class, SgSpritePage, variants_box);
  gtk_widget_class_bind_template_child (widget_class, SgSpritePage, stats_grid);
  gtk_widget_class_bind_template_child (widget_class, SgSpritePage, fetch_group);
  gtk_widget_class_bind_template_child (widget_class, SgSpritePage, timing_group);
}

static void
sg_sprite_page_init (SgSpritePage *self)
{
  static const char * const timing_titles[N_TIMINGS] = {
    N_("Waiting in the queue"),
    N_("JSON transfer"),
    N_("Parsing"),
    N_("Sprite transfer"),
    N_("Decoding and showing"),
    N_("In all"),
  };

  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
  build_variants (self);

  self->worker_dot = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  gtk_widget_add_css_class (self->worker_dot, "worker-dot");
  gtk_widget_set_valign (self->worker_dot, GTK_ALIGN_CENTER);
  self->worker_label = add_value_row (self->fetch_group, _("Helper process"), self->worker_dot);
  self->attempts_label = add_value_row (self->fetch_group, _("Attempts"), NULL);
  self->cache_label = add_value_row (self->fetch_group, _("From the cache"), NULL);

  for (guint i = 0; i < N_TIMINGS; i++)
    self->timing_labels[i] = add_value_row (self->timing_group, _(timing_titles[i]), NULL);
}

GtkWidget *
sg_sprite_page_new (SgSprite *sprite)
{
  SgSpritePage *self;

  g_return_val_if_fail (SG_IS_SPRITE (sprite), NULL);

  self = g_object_new (SG_TYPE_SPRITE_PAGE, NULL);
  self->sprite = g_object_ref (sprite);
  self->notify_id = g_signal_connect (sprite, "notify", G_CALLBACK (on_sprite_notify), self);
  sync_page (self);
  return GTK_WIDGET (self);
}
