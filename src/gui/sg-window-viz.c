/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The window's view of the concurrency: the timeline under the gallery,
 * the workers panel in the sidebar, and what ties them to the tiles —
 * hovering a tile outlines its task on the timeline, hovering a task
 * outlines its tile, activating either opens the sprite's page.
 */
#define G_LOG_DOMAIN "sg-window"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "sg-sprite-page.h"
#include "sg-tile.h"
#include "sg-timeline.h"
#include "sg-window-private.h"
#include "sg-workers-panel.h"

/* Tiles ---------------------------------------------------------------------- */

static SgTile *
find_tile_in (GtkWidget *widget,
              guint      id,
              int        depth)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (SG_IS_TILE (child))
        {
          SgSprite *sprite = sg_tile_get_sprite (SG_TILE (child));

          if (sprite != NULL && sg_sprite_get_id (sprite) == id)
            return SG_TILE (child);
        }
      else if (depth > 0)
        {
          SgTile *tile = find_tile_in (child, id, depth - 1);

          if (tile != NULL)
            return tile;
        }
    }
  return NULL;
}

/* The grid builds tiles for the visible rows only: a sprite scrolled away
 * has none, and that is fine. */
static SgTile *
find_tile (SgWindow *self,
           guint     id)
{
  return id != 0 ? find_tile_in (GTK_WIDGET (self->grid_view), id, 2) : NULL;
}

static void
highlight_tile (SgWindow *self,
                guint     id)
{
  GtkWidget *tile = GTK_WIDGET (find_tile (self, id));

  if (self->highlighted_tile != NULL && self->highlighted_tile != tile)
    gtk_widget_remove_css_class (self->highlighted_tile, "highlighted");
  g_clear_weak_pointer (&self->highlighted_tile);

  if (tile != NULL)
    {
      gtk_widget_add_css_class (tile, "highlighted");
      g_set_weak_pointer (&self->highlighted_tile, tile);
    }
}

static guint
sprite_id_at (SgWindow *self,
              double    x,
              double    y)
{
  GtkWidget *picked = gtk_widget_pick (GTK_WIDGET (self->grid_view), x, y, GTK_PICK_DEFAULT);
  GtkWidget *tile = picked != NULL ? gtk_widget_get_ancestor (picked, SG_TYPE_TILE) : NULL;
  SgSprite *sprite = tile != NULL ? sg_tile_get_sprite (SG_TILE (tile)) : NULL;

  return sprite != NULL ? sg_sprite_get_id (sprite) : 0;
}

static void
on_grid_motion (GtkEventControllerMotion *controller,
                double                    x,
                double                    y,
                SgWindow                 *self)
{
  sg_timeline_set_highlighted_id (self->timeline, sprite_id_at (self, x, y));
}

static void
on_grid_leave (GtkEventControllerMotion *controller,
               SgWindow                 *self)
{
  sg_timeline_set_highlighted_id (self->timeline, 0);
}

/* The sprite page ------------------------------------------------------------- */

static SgSprite *
lookup_sprite (SgWindow *self,
               guint     id)
{
  guint n = self->sprites != NULL ? g_list_model_get_n_items (self->sprites) : 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SgSprite) sprite = g_list_model_get_item (self->sprites, i);

      if (sg_sprite_get_id (sprite) == id)
        return sprite; /* the model keeps it */
    }
  return NULL;
}

static void
on_page_destroy (GtkWidget *page,
                 SgWindow  *self)
{
  if (self->sprite_page == page)
    self->sprite_page = NULL;
}

void
sg_window_open_sprite_page (SgWindow *self,
                            guint     id)
{
  SgSprite *sprite;
  GtkWidget *page;

  g_return_if_fail (SG_IS_WINDOW (self));

  sprite = lookup_sprite (self, id);
  if (sprite == NULL)
    return;

  /* One page at a time: the newest replaces the last. */
  if (self->sprite_page != NULL)
    gtk_window_destroy (GTK_WINDOW (self->sprite_page));

  page = sg_sprite_page_new (sprite);
  gtk_window_set_transient_for (GTK_WINDOW (page), GTK_WINDOW (self));
  gtk_window_set_destroy_with_parent (GTK_WINDOW (page), TRUE);
  g_signal_connect_object (page, "destroy", G_CALLBACK (on_page_destroy), self, 0);
  self->sprite_page = page;
  gtk_window_present (GTK_WINDOW (page));
}

static void
on_grid_activate (GtkGridView *grid_view,
                  guint        position,
                  SgWindow    *self)
{
  g_autoptr(SgSprite) sprite = self->sprites != NULL
                               ? g_list_model_get_item (self->sprites, position) : NULL;

  if (sprite != NULL)
    sg_window_open_sprite_page (self, sg_sprite_get_id (sprite));
}

/* The timeline ------------------------------------------------------------------ */

static void
on_task_hovered (SgTimeline *timeline,
                 guint       id,
                 SgWindow   *self)
{
  highlight_tile (self, id);
}

static void
on_task_activated (SgTimeline *timeline,
                   guint       id,
                   SgWindow   *self)
{
  sg_window_open_sprite_page (self, id);
}

static void
on_paned_max_position (GtkPaned   *paned,
                       GParamSpec *pspec,
                       SgWindow   *self)
{
  int max = 0;
  int timeline_height;

  /* Until the user drags the handle: the gallery keeps two rows of tiles
   * when it can, the timeline gets the rest up to a few lanes (it scrolls
   * for more). Later resizes go to the gallery (resize-end-child is off). */
  g_object_get (paned, "max-position", &max, NULL);
  if (self->paned_moved || max <= 0)
    return;

  timeline_height = CLAMP (max * 9 / 20, 160, 380);
  timeline_height = MIN (timeline_height, MAX (160, max - 400));
  self->paned_placing = TRUE;
  gtk_paned_set_position (paned, MAX (0, max - timeline_height));
  self->paned_placing = FALSE;
}

static void
on_paned_position (GtkPaned   *paned,
                   GParamSpec *pspec,
                   SgWindow   *self)
{
  if (!self->paned_placing && gtk_paned_get_position (paned) > 0 &&
      gtk_widget_get_mapped (GTK_WIDGET (paned)))
    self->paned_moved = TRUE;
}

static void
zoom_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SgWindow *self = SG_WINDOW (widget);
  /* "win.zoom-in" → "timeline.zoom-in": the timeline's own actions, which
   * the toolbar buttons outside it cannot reach, with the shortcuts here so
   * they work wherever the focus is. */
  g_autofree char *timeline_action = g_strconcat ("timeline.", action_name + strlen ("win."), NULL);

  gtk_widget_activate_action (GTK_WIDGET (self->timeline), timeline_action, NULL);
}

static void
toggle_workers_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  SgWindow *self = SG_WINDOW (widget);

  adw_flap_set_reveal_flap (self->flap, !adw_flap_get_reveal_flap (self->flap));
}

static void
kill_random_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  SgWindow *self = SG_WINDOW (widget);

  /* The panel's own action, so that its rule (a run with a live process)
   * holds for the shortcut too, even while the panel is folded away. */
  gtk_widget_activate_action (GTK_WIDGET (self->workers_panel), "workers.kill-random", NULL);
}

/* Setup ------------------------------------------------------------------------- */

void
sg_window_init_viz (SgWindow *self)
{
  GtkEventController *motion;

  self->sweep_step = -1;
  self->timeline_model = sg_timeline_model_new ();
  sg_timeline_model_set_pool (self->timeline_model, self->pool);
  sg_timeline_set_model (self->timeline, self->timeline_model);
  g_signal_connect_object (self->timeline, "task-hovered", G_CALLBACK (on_task_hovered), self, 0);
  g_signal_connect_object (self->timeline, "task-activated", G_CALLBACK (on_task_activated),
                           self, 0);

  sg_workers_panel_set_pool (self->workers_panel, self->pool);

  motion = gtk_event_controller_motion_new ();
  gtk_event_controller_set_name (motion, "sg-tile-hover");
  g_signal_connect_object (motion, "motion", G_CALLBACK (on_grid_motion), self, 0);
  g_signal_connect_object (motion, "leave", G_CALLBACK (on_grid_leave), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (self->grid_view), motion);
  g_signal_connect_object (self->grid_view, "activate", G_CALLBACK (on_grid_activate), self, 0);

  g_signal_connect_object (self->paned, "notify::max-position",
                           G_CALLBACK (on_paned_max_position), self, 0);
  g_signal_connect_object (self->paned, "notify::position",
                           G_CALLBACK (on_paned_position), self, 0);

  sg_window_init_controls (self);
  sg_window_init_history (self);
}

void
sg_window_dispose_viz (SgWindow *self)
{
  sg_window_dispose_history (self);
  sg_window_dispose_controls (self);
  g_clear_weak_pointer (&self->highlighted_tile);
  if (self->sprite_page != NULL)
    gtk_window_destroy (GTK_WINDOW (self->sprite_page));
  self->sprite_page = NULL;
  if (self->timeline_model != NULL)
    sg_timeline_model_set_pool (self->timeline_model, NULL);
  g_clear_object (&self->timeline_model);
}

void
sg_window_class_init_viz (GtkWidgetClass *widget_class)
{
  g_type_ensure (SG_TYPE_TIMELINE);
  g_type_ensure (SG_TYPE_WORKERS_PANEL);

  gtk_widget_class_bind_template_child (widget_class, SgWindow, flap);
  gtk_widget_class_bind_template_child (widget_class, SgWindow, workers_panel);
  gtk_widget_class_bind_template_child (widget_class, SgWindow, paned);
  gtk_widget_class_bind_template_child (widget_class, SgWindow, timeline);

  gtk_widget_class_install_action (widget_class, "win.zoom-in", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "win.zoom-out", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "win.zoom-fit", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "win.toggle-workers", NULL,
                                   toggle_workers_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F9, 0, "win.toggle-workers", NULL);
  gtk_widget_class_install_action (widget_class, "win.kill-random", NULL, kill_random_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_k, GDK_CONTROL_MASK,
                                      "win.kill-random", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus, GDK_CONTROL_MASK,
                                       "win.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_equal, GDK_CONTROL_MASK,
                                       "win.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_minus, GDK_CONTROL_MASK,
                                       "win.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0, GDK_CONTROL_MASK,
                                       "win.zoom-fit", NULL);

  sg_window_class_init_controls (widget_class);
  sg_window_class_init_history (widget_class);
}
