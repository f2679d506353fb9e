/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sg-timeline"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "sg-timeline-private.h"

G_DEFINE_FINAL_TYPE_WITH_CODE (SgTimeline, sg_timeline, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (GTK_TYPE_SCROLLABLE, NULL))

enum {
  PROP_0,
  PROP_MODEL,
  PROP_HIGHLIGHTED_ID,
  N_PROPS,
  /* GtkScrollable */
  PROP_HADJUSTMENT = N_PROPS,
  PROP_VADJUSTMENT,
  PROP_HSCROLL_POLICY,
  PROP_VSCROLL_POLICY,
};

enum {
  SIGNAL_TASK_HOVERED,
  SIGNAL_TASK_ACTIVATED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* ------------------------------------------------------------------------ */
/* Geometry                                                                 */

double
sg_timeline_view_width (SgTimeline *self)
{
  return MAX (1.0, gtk_widget_get_width (GTK_WIDGET (self)) - self->labels.gutter -
                   SG_TIMELINE_RIGHT_PAD);
}

static double
view_height (SgTimeline *self)
{
  return MAX (1.0, gtk_widget_get_height (GTK_WIDGET (self)) - self->labels.axis_height);
}

static double
now_ms (SgTimeline *self)
{
  return self->model != NULL ? sg_timeline_model_get_now_ms (self->model) : 0;
}

/* The span that "fit" shows: the run so far, with room ahead while it runs. */
static double
fit_span_ms (SgTimeline *self)
{
  gboolean running = self->model != NULL && sg_timeline_model_get_running (self->model);

  return MAX (now_ms (self), 1000.0) * (running ? 1.06 : 1.0);
}

static double
fit_scale (SgTimeline *self)
{
  return sg_timeline_view_width (self) / fit_span_ms (self);
}

double
sg_timeline_get_scale (SgTimeline *self)
{
  g_return_val_if_fail (SG_IS_TIMELINE (self), 1);
  return self->fit ? fit_scale (self) : self->scale;
}

static double
hvalue (SgTimeline *self)
{
  return self->hadjustment != NULL ? gtk_adjustment_get_value (self->hadjustment) : 0;
}

static double
vvalue (SgTimeline *self)
{
  return self->vadjustment != NULL ? gtk_adjustment_get_value (self->vadjustment) : 0;
}

double
sg_timeline_time_to_x (SgTimeline *self,
                       double      time_ms)
{
  return self->labels.gutter + time_ms * sg_timeline_get_scale (self) - hvalue (self);
}

double
sg_timeline_x_to_time (SgTimeline *self,
                       double      x)
{
  return (x - self->labels.gutter + hvalue (self)) / sg_timeline_get_scale (self);
}

double
sg_timeline_content_top (SgTimeline *self)
{
  return self->labels.axis_height - vvalue (self);
}

/* Lanes grow with the transfers a helper ran at once; rows thin out so that
 * sixteen transfers still fit a lane of reasonable height. */
static void
compute_lanes (SgTimeline *self)
{
  guint n_lanes = self->model != NULL ? sg_timeline_model_get_n_lanes (self->model) : 0;
  double y = self->labels.queue_height;

  g_array_set_size (self->lanes, n_lanes);
  for (guint i = 0; i < n_lanes; i++)
    {
      SgTimelineLane *lane = &g_array_index (self->lanes, SgTimelineLane, i);
      guint rows = MAX (1, sg_timeline_model_get_lane_rows (self->model, i));

      lane->rows = rows;
      lane->row_height = rows <= 4 ? 12 : rows <= 8 ? 8 : MAX (3.0, 80.0 / rows);
      lane->row_gap = lane->row_height >= 8 ? 2 : 1;
      lane->height = MAX (self->labels.lane_min,
                          2 * SG_TIMELINE_LANE_PAD + rows * lane->row_height +
                          (rows - 1) * lane->row_gap);
      lane->y = y;
      y += lane->height;
    }
  self->content_height = y;
}

void
sg_timeline_row_rect (SgTimeline *self,
                      int         slot,
                      guint       row,
                      double     *y,
                      double     *height)
{
  const SgTimelineLane *lane;

  g_assert (slot >= 0 && (guint) slot < self->lanes->len);
  lane = &g_array_index (self->lanes, SgTimelineLane, slot);
  *y = sg_timeline_content_top (self) + lane->y + SG_TIMELINE_LANE_PAD +
       MIN (row, lane->rows - 1) * (lane->row_height + lane->row_gap);
  *height = lane->row_height;
}

gboolean
sg_timeline_bar_rect (SgTimeline          *self,
                      const SgTimelineBar *bar,
                      double               now,
                      graphene_rect_t     *rect)
{
  double x0, x1, y, height;

  if (bar->row == SG_TIMELINE_NO_ROW || bar->slot < 0 || (guint) bar->slot >= self->lanes->len)
    return FALSE;

  x0 = sg_timeline_time_to_x (self, sg_timeline_bar_transfer_start (bar));
  x1 = sg_timeline_time_to_x (self, sg_timeline_bar_end_or (bar, now));
  sg_timeline_row_rect (self, bar->slot, bar->row, &y, &height);
  /* Even an instant stays visible. */
  graphene_rect_init (rect, x0, y, MAX (x1 - x0, 2.0), height);
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* Scrolling                                                                */

static void
update_adjustments (SgTimeline *self)
{
  double view_w = sg_timeline_view_width (self);
  double view_h = view_height (self);
  double content_w, value;

  compute_lanes (self);

  if (self->hadjustment != NULL)
    {
      content_w = self->fit ? view_w : MAX (view_w, now_ms (self) * self->scale);
      value = self->following ? content_w - view_w
                              : CLAMP (hvalue (self), 0, content_w - view_w);
      self->configuring = TRUE;
      gtk_adjustment_configure (self->hadjustment, value, 0, content_w, view_w * 0.1,
                                view_w * 0.9, view_w);
      self->configuring = FALSE;
    }

  if (self->vadjustment != NULL)
    {
      double content_h = MAX (self->content_height, view_h);

      self->configuring = TRUE;
      gtk_adjustment_configure (self->vadjustment, CLAMP (vvalue (self), 0, content_h - view_h),
                                0, content_h, 24, view_h * 0.9, view_h);
      self->configuring = FALSE;
    }
}

static void
on_adjustment_value_changed (GtkAdjustment *adjustment,
                             SgTimeline    *self)
{
  if (!self->configuring && adjustment == self->hadjustment)
    {
      /* The user scrolled: follow "now" again only back at the right end. */
      double end = gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment);

      self->following = gtk_adjustment_get_value (adjustment) >= end - 2;
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
set_adjustment (SgTimeline     *self,
                GtkAdjustment **slot,
                GtkAdjustment  *adjustment)
{
  if (adjustment == NULL)
    adjustment = gtk_adjustment_new (0, 0, 0, 0, 0, 0);
  if (*slot == adjustment)
    return;

  if (*slot != NULL)
    g_signal_handlers_disconnect_by_func (*slot, on_adjustment_value_changed, self);
  g_set_object (slot, g_object_ref_sink (adjustment));
  g_object_unref (adjustment);
  g_signal_connect (adjustment, "value-changed", G_CALLBACK (on_adjustment_value_changed), self);
  update_adjustments (self);
}

/* ------------------------------------------------------------------------ */
/* Redraws: at most once per frame                                          */

/* New events redraw at most 30 times a second; the clock alone (bars that
 * grow, "now" that moves) 10 times: smooth enough to watch, and the main
 * loop keeps time for the pool's pipes even on a slow machine. */
#define REDRAW_EVENTS_US  (G_USEC_PER_SEC / 30)
#define REDRAW_CLOCK_US   (G_USEC_PER_SEC / 10)

static gboolean
on_tick (GtkWidget     *widget,
         GdkFrameClock *frame_clock,
         gpointer       user_data)
{
  SgTimeline *self = SG_TIMELINE (widget);
  gboolean running = self->model != NULL && sg_timeline_model_get_running (self->model);
  gint64 now = gdk_frame_clock_get_frame_time (frame_clock);
  gint64 since = now - self->last_redraw_us;

  if (!self->dirty && !running)
    {
      self->tick_id = 0;
      return G_SOURCE_REMOVE;
    }

  if (since < (self->dirty ? REDRAW_EVENTS_US : REDRAW_CLOCK_US))
    return G_SOURCE_CONTINUE;

  self->dirty = FALSE;
  self->last_redraw_us = now;
  update_adjustments (self);
  gtk_widget_queue_draw (widget);
  return G_SOURCE_CONTINUE;
}

static void
schedule_redraw (SgTimeline *self)
{
  self->dirty = TRUE;
  if (self->tick_id == 0 && gtk_widget_get_mapped (GTK_WIDGET (self)))
    self->tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), on_tick, NULL, NULL);
}

static void
on_model_changed (SgTimelineModel *model,
                  SgTimeline      *self)
{
  /* A new run: back to the whole picture. */
  if (sg_timeline_model_get_n_bars (model) == 0 && sg_timeline_model_get_n_lives (model) == 0)
    {
      self->fit = TRUE;
      self->following = TRUE;
    }
  schedule_redraw (self);
}

/* ------------------------------------------------------------------------ */
/* Zoom                                                                     */

static void
zoom_at (SgTimeline *self,
         double      new_scale,
         double      anchor_x)
{
  double min_scale = fit_scale (self);
  double anchor_time = sg_timeline_x_to_time (self, anchor_x);
  double value;

  new_scale = MIN (new_scale, SG_TIMELINE_MAX_SCALE);
  if (new_scale <= min_scale * 1.001)
    {
      sg_timeline_zoom_fit (self);
      return;
    }

  self->fit = FALSE;
  self->scale = new_scale;
  self->following = FALSE;
  /* The instant under the pointer stays under the pointer. */
  value = anchor_time * new_scale - (anchor_x - self->labels.gutter);
  update_adjustments (self);
  if (self->hadjustment != NULL)
    gtk_adjustment_set_value (self->hadjustment, value);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
sg_timeline_zoom (SgTimeline *self,
                  double      factor)
{
  g_return_if_fail (SG_IS_TIMELINE (self));
  g_return_if_fail (factor > 0);

  zoom_at (self, sg_timeline_get_scale (self) * factor,
           self->labels.gutter + sg_timeline_view_width (self) / 2);
}

void
sg_timeline_zoom_fit (SgTimeline *self)
{
  g_return_if_fail (SG_IS_TIMELINE (self));

  self->fit = TRUE;
  self->following = TRUE;
  update_adjustments (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

gboolean
sg_timeline_get_fit (SgTimeline *self)
{
  g_return_val_if_fail (SG_IS_TIMELINE (self), TRUE);
  return self->fit;
}

static gboolean
on_scroll (GtkEventControllerScroll *controller,
           double                    dx,
           double                    dy,
           SgTimeline               *self)
{
  GdkModifierType state =
    gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (controller));
  double x = self->pointer_x >= 0 ? self->pointer_x
                                  : self->labels.gutter + sg_timeline_view_width (self) / 2;

  /* Plain scrolling belongs to the scrolled window. */
  if (!(state & GDK_CONTROL_MASK))
    return FALSE;

  zoom_at (self, sg_timeline_get_scale (self) * pow (1.25, -dy), MAX (x, self->labels.gutter));
  return TRUE;
}

static void
on_zoom_begin (GtkGesture       *gesture,
               GdkEventSequence *sequence,
               SgTimeline       *self)
{
  self->zoom_begin_scale = sg_timeline_get_scale (self);
}

static void
on_zoom_scale_changed (GtkGestureZoom *gesture,
                       double          scale,
                       SgTimeline     *self)
{
  double x, y;

  if (!gtk_gesture_get_bounding_box_center (GTK_GESTURE (gesture), &x, &y))
    x = self->labels.gutter + sg_timeline_view_width (self) / 2;
  zoom_at (self, self->zoom_begin_scale * scale, MAX (x, self->labels.gutter));
}

static void
zoom_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SgTimeline *self = SG_TIMELINE (widget);

  if (g_str_equal (action_name, "timeline.zoom-in"))
    sg_timeline_zoom (self, 1.5);
  else if (g_str_equal (action_name, "timeline.zoom-out"))
    sg_timeline_zoom (self, 1 / 1.5);
  else
    sg_timeline_zoom_fit (self);
}

/* ------------------------------------------------------------------------ */
/* Pointer                                                                  */

static const SgTimelineBar *
bar_at (SgTimeline *self,
        double      x,
        double      y)
{
  double now = now_ms (self);
  guint n;

  if (self->model == NULL || x < self->labels.gutter || y < self->labels.axis_height)
    return NULL;

  n = sg_timeline_model_get_n_bars (self->model);
  /* Newest first: a later attempt drawn over an earlier one wins. */
  for (guint i = n; i > 0; i--)
    {
      const SgTimelineBar *bar = sg_timeline_model_get_bar (self->model, i - 1);
      graphene_rect_t rect;

      if (sg_timeline_bar_rect (self, bar, now, &rect) &&
          graphene_rect_contains_point (graphene_rect_inset (&rect, -1.5, 0),
                                        &GRAPHENE_POINT_INIT (x, y)))
        return bar;
    }
  return NULL;
}

guint
sg_timeline_pick (SgTimeline *self,
                  double      x,
                  double      y)
{
  const SgTimelineBar *bar;

  g_return_val_if_fail (SG_IS_TIMELINE (self), 0);

  bar = bar_at (self, x, y);
  return bar != NULL ? bar->sprite_id : 0;
}

void
sg_timeline_hover_at (SgTimeline *self,
                      double      x,
                      double      y)
{
  guint id;

  g_return_if_fail (SG_IS_TIMELINE (self));

  id = x < 0 || y < 0 ? 0 : sg_timeline_pick (self, x, y);
  if (id == self->hovered_id)
    return;

  self->hovered_id = id;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_signal_emit (self, signals[SIGNAL_TASK_HOVERED], 0, id);
}

static void
on_motion (GtkEventControllerMotion *controller,
           double                    x,
           double                    y,
           SgTimeline               *self)
{
  self->pointer_x = x;
  sg_timeline_hover_at (self, x, y);
}

static void
on_leave (GtkEventControllerMotion *controller,
          SgTimeline               *self)
{
  self->pointer_x = -1;
  sg_timeline_hover_at (self, -1, -1);
}

static void
on_released (GtkGestureClick *gesture,
             int              n_press,
             double           x,
             double           y,
             SgTimeline      *self)
{
  guint id = sg_timeline_pick (self, x, y);

  if (id != 0)
    g_signal_emit (self, signals[SIGNAL_TASK_ACTIVATED], 0, id);
}

static char *
describe_life_at (SgTimeline *self,
                  double      x,
                  double      y)
{
  guint n = self->model != NULL ? sg_timeline_model_get_n_lives (self->model) : 0;

  for (guint i = 0; i < n; i++)
    {
      const SgTimelineLife *life = sg_timeline_model_get_life (self->model, i);
      double lane_y, lane_h;
      const SgTimelineLane *lane;

      if (life->slot < 0 || (guint) life->slot >= self->lanes->len)
        continue;
      lane = &g_array_index (self->lanes, SgTimelineLane, life->slot);
      lane_y = sg_timeline_content_top (self) + lane->y;
      lane_h = lane->height;
      if (y < lane_y || y > lane_y + lane_h)
        continue;

      if (life->died_ms >= 0 && fabs (sg_timeline_time_to_x (self, life->died_ms) - x) <= 5)
        {
          g_autofree char *when = sg_timeline_format_ms (life->died_ms);

          return g_strdup_printf (_("Helper process %d died at %s: what it had in flight was "
                                    "queued again"), (int) life->pid, when);
        }
      if (i > 0 && fabs (sg_timeline_time_to_x (self, life->spawned_ms) - x) <= 5 &&
          life->spawned_ms > 0)
        {
          g_autofree char *when = sg_timeline_format_ms (life->spawned_ms);

          return g_strdup_printf (_("Helper process %d started at %s"), (int) life->pid, when);
        }
    }
  return NULL;
}

static gboolean
sg_timeline_query_tooltip (GtkWidget  *widget,
                           int         x,
                           int         y,
                           gboolean    keyboard_mode,
                           GtkTooltip *tooltip)
{
  SgTimeline *self = SG_TIMELINE (widget);
  const SgTimelineBar *bar = bar_at (self, x, y);
  g_autofree char *text = NULL;

  if (bar != NULL)
    {
      graphene_rect_t rect;

      text = sg_timeline_describe_bar (self, bar);
      gtk_tooltip_set_markup (tooltip, text);
      if (sg_timeline_bar_rect (self, bar, now_ms (self), &rect))
        gtk_tooltip_set_tip_area (tooltip, &(GdkRectangle) {
                                    (int) floor (rect.origin.x), (int) floor (rect.origin.y),
                                    (int) ceil (rect.size.width), (int) ceil (rect.size.height) });
      return TRUE;
    }

  text = describe_life_at (self, x, y);
  if (text != NULL)
    {
      gtk_tooltip_set_text (tooltip, text);
      gtk_tooltip_set_tip_area (tooltip, &(GdkRectangle) { x - 5, y - 5, 10, 10 });
      return TRUE;
    }
  return FALSE;
}

/* ------------------------------------------------------------------------ */
/* Public                                                                   */

SgTimelineModel *
sg_timeline_get_model (SgTimeline *self)
{
  g_return_val_if_fail (SG_IS_TIMELINE (self), NULL);
  return self->model;
}

void
sg_timeline_set_model (SgTimeline      *self,
                       SgTimelineModel *model)
{
  g_return_if_fail (SG_IS_TIMELINE (self));
  g_return_if_fail (model == NULL || SG_IS_TIMELINE_MODEL (model));

  if (self->model == model)
    return;

  if (self->model != NULL)
    g_clear_signal_handler (&self->changed_id, self->model);
  g_set_object (&self->model, model);
  if (model != NULL)
    self->changed_id = g_signal_connect (model, "changed", G_CALLBACK (on_model_changed), self);

  self->fit = TRUE;
  self->following = TRUE;
  self->hovered_id = 0;
  schedule_redraw (self);
  update_adjustments (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODEL]);
}

guint
sg_timeline_get_highlighted_id (SgTimeline *self)
{
  g_return_val_if_fail (SG_IS_TIMELINE (self), 0);
  return self->highlighted_id;
}

void
sg_timeline_set_highlighted_id (SgTimeline *self,
                                guint       sprite_id)
{
  g_return_if_fail (SG_IS_TIMELINE (self));

  if (self->highlighted_id == sprite_id)
    return;
  self->highlighted_id = sprite_id;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HIGHLIGHTED_ID]);
}

gboolean
sg_timeline_get_bar_area (SgTimeline      *self,
                          guint            sprite_id,
                          graphene_rect_t *area)
{
  const SgTimelineBar *bar;

  g_return_val_if_fail (SG_IS_TIMELINE (self), FALSE);
  g_return_val_if_fail (area != NULL, FALSE);

  if (self->model == NULL)
    return FALSE;
  bar = sg_timeline_model_find_bar (self->model, sprite_id);
  compute_lanes (self);
  return bar != NULL && sg_timeline_bar_rect (self, bar, now_ms (self), area);
}

const char *
sg_timeline_get_placeholder (SgTimeline *self)
{
  g_return_val_if_fail (SG_IS_TIMELINE (self), NULL);

  /* While a run goes, its queue is drawn even before a helper starts. */
  if (self->model != NULL &&
      (sg_timeline_model_get_running (self->model) ||
       sg_timeline_model_get_n_bars (self->model) > 0 ||
       sg_timeline_model_get_n_lives (self->model) > 0))
    return NULL;
  /* A run that the cache served whole has no lanes either, for another reason. */
  if (self->model != NULL && sg_timeline_model_get_pool (self->model) != NULL &&
      sg_pool_get_all_from_cache (sg_timeline_model_get_pool (self->model)))
    return _("No process was needed: every sprite came from the cache");
  return _("Run the download: each helper process gets a lane here");
}

guint
sg_timeline_get_n_drawn (SgTimeline *self)
{
  g_return_val_if_fail (SG_IS_TIMELINE (self), 0);
  return self->n_drawn;
}

/* ------------------------------------------------------------------------ */
/* GtkWidget                                                                */

static void
sg_timeline_snapshot (GtkWidget   *widget,
                      GtkSnapshot *snapshot)
{
  sg_timeline_draw (SG_TIMELINE (widget), snapshot);
}

static void
sg_timeline_measure (GtkWidget      *widget,
                     GtkOrientation  orientation,
                     int             for_size,
                     int            *minimum,
                     int            *natural,
                     int            *minimum_baseline,
                     int            *natural_baseline)
{
  SgTimeline *self = SG_TIMELINE (widget);
  const SgTimelineLabels *labels = &self->labels;

  /* A change of font or text size comes through here (it resizes every
   * widget with text), and so does the first layout. */
  sg_timeline_measure_labels (self, &self->labels);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = (int) ceil (labels->gutter) + 120;
      *natural = (int) ceil (labels->gutter) + 720;
    }
  else
    {
      compute_lanes (self);
      *minimum = (int) ceil (labels->axis_height + labels->queue_height + labels->lane_min);
      *natural = (int) ceil (labels->axis_height + MAX (self->content_height,
                                                     labels->queue_height + 2 * labels->lane_min));
    }
}

static void
sg_timeline_size_allocate (GtkWidget *widget,
                           int        width,
                           int        height,
                           int        baseline)
{
  update_adjustments (SG_TIMELINE (widget));
}

static void
sg_timeline_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (sg_timeline_parent_class)->map (widget);
  schedule_redraw (SG_TIMELINE (widget));
}

static void
sg_timeline_unmap (GtkWidget *widget)
{
  SgTimeline *self = SG_TIMELINE (widget);

  if (self->tick_id != 0)
    {
      gtk_widget_remove_tick_callback (widget, self->tick_id);
      self->tick_id = 0;
    }
  GTK_WIDGET_CLASS (sg_timeline_parent_class)->unmap (widget);
}

/* ------------------------------------------------------------------------ */
/* GObject                                                                  */

static void
sg_timeline_dispose (GObject *object)
{
  SgTimeline *self = SG_TIMELINE (object);

  if (self->model != NULL)
    g_clear_signal_handler (&self->changed_id, self->model);
  g_clear_object (&self->model);
  if (self->hadjustment != NULL)
    g_signal_handlers_disconnect_by_func (self->hadjustment, on_adjustment_value_changed, self);
  if (self->vadjustment != NULL)
    g_signal_handlers_disconnect_by_func (self->vadjustment, on_adjustment_value_changed, self);
  g_clear_object (&self->hadjustment);
  g_clear_object (&self->vadjustment);

  G_OBJECT_CLASS (sg_timeline_parent_class)->dispose (object);
}

static void
sg_timeline_finalize (GObject *object)
{
  SgTimeline *self = SG_TIMELINE (object);

  g_array_unref (self->lanes);

  G_OBJECT_CLASS (sg_timeline_parent_class)->finalize (object);
}

static void
sg_timeline_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  SgTimeline *self = SG_TIMELINE (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      g_value_set_object (value, self->model);
      break;
    case PROP_HIGHLIGHTED_ID:
      g_value_set_uint (value, self->highlighted_id);
      break;
    case PROP_HADJUSTMENT:
      g_value_set_object (value, self->hadjustment);
      break;
    case PROP_VADJUSTMENT:
      g_value_set_object (value, self->vadjustment);
      break;
    case PROP_HSCROLL_POLICY:
      g_value_set_enum (value, self->hscroll_policy);
      break;
    case PROP_VSCROLL_POLICY:
      g_value_set_enum (value, self->vscroll_policy);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sg_timeline_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  SgTimeline *self = SG_TIMELINE (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      sg_timeline_set_model (self, g_value_get_object (value));
      break;
    case PROP_HIGHLIGHTED_ID:
      sg_timeline_set_highlighted_id (self, g_value_get_uint (value));
      break;
    case PROP_HADJUSTMENT:
      set_adjustment (self, &self->hadjustment, g_value_get_object (value));
      break;
    case PROP_VADJUSTMENT:
      set_adjustment (self, &self->vadjustment, g_value_get_object (value));
      break;
    case PROP_HSCROLL_POLICY:
      if (self->hscroll_policy != (guint) g_value_get_enum (value))
        {
          self->hscroll_policy = g_value_get_enum (value);
          gtk_widget_queue_resize (GTK_WIDGET (self));
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_VSCROLL_POLICY:
      if (self->vscroll_policy != (guint) g_value_get_enum (value))
        {
          self->vscroll_policy = g_value_get_enum (value);
          gtk_widget_queue_resize (GTK_WIDGET (self));
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sg_timeline_class_init (SgTimelineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sg_timeline_dispose;
  object_class->finalize = sg_timeline_finalize;
  object_class->get_property = sg_timeline_get_property;
  object_class->set_property = sg_timeline_set_property;

  widget_class->snapshot = sg_timeline_snapshot;
  widget_class->measure = sg_timeline_measure;
  widget_class->size_allocate = sg_timeline_size_allocate;
  widget_class->map = sg_timeline_map;
  widget_class->unmap = sg_timeline_unmap;
  widget_class->query_tooltip = sg_timeline_query_tooltip;

  properties[PROP_MODEL] =
    g_param_spec_object ("model", NULL, NULL, SG_TYPE_TIMELINE_MODEL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_HIGHLIGHTED_ID] =
    g_param_spec_uint ("highlighted-id", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_object_class_override_property (object_class, PROP_HADJUSTMENT, "hadjustment");
  g_object_class_override_property (object_class, PROP_VADJUSTMENT, "vadjustment");
  g_object_class_override_property (object_class, PROP_HSCROLL_POLICY, "hscroll-policy");
  g_object_class_override_property (object_class, PROP_VSCROLL_POLICY, "vscroll-policy");

  signals[SIGNAL_TASK_HOVERED] =
    g_signal_new ("task-hovered", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);
  signals[SIGNAL_TASK_ACTIVATED] =
    g_signal_new ("task-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);

  gtk_widget_class_install_action (widget_class, "timeline.zoom-in", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "timeline.zoom-out", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "timeline.zoom-fit", NULL, zoom_action);

  gtk_widget_class_set_css_name (widget_class, "timeline");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
sg_timeline_init (SgTimeline *self)
{
  GtkEventController *controller;
  GtkGesture *gesture;

  self->lanes = g_array_new (FALSE, TRUE, sizeof (SgTimelineLane));
  /* Until the first measure. */
  self->labels = (SgTimelineLabels) {
    .axis_height = SG_TIMELINE_AXIS_MIN, .tick_spacing = SG_TIMELINE_TICKS_MIN,
    .gutter = SG_TIMELINE_GUTTER_MIN, .title_height = 19, .detail_height = 16,
    .queue_height = SG_TIMELINE_QUEUE_MIN, .lane_min = SG_TIMELINE_LANE_MIN,
  };
  self->fit = TRUE;
  self->following = TRUE;
  self->scale = 0.2;
  self->pointer_x = -1;

  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);

  controller = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_VERTICAL |
                                                GTK_EVENT_CONTROLLER_SCROLL_DISCRETE);
  g_signal_connect (controller, "scroll", G_CALLBACK (on_scroll), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  controller = gtk_event_controller_motion_new ();
  g_signal_connect (controller, "motion", G_CALLBACK (on_motion), self);
  g_signal_connect (controller, "leave", G_CALLBACK (on_leave), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  gesture = gtk_gesture_click_new ();
  g_signal_connect (gesture, "released", G_CALLBACK (on_released), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (gesture));

  gesture = gtk_gesture_zoom_new ();
  g_signal_connect (gesture, "begin", G_CALLBACK (on_zoom_begin), self);
  g_signal_connect (gesture, "scale-changed", G_CALLBACK (on_zoom_scale_changed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (gesture));

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Timeline of the run"),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  _("One lane per helper process; one bar per task, split into "
                                    "its JSON transfer, parsing and sprite transfer"),
                                  -1);
}

GtkWidget *
sg_timeline_new (void)
{
  return g_object_new (SG_TYPE_TIMELINE, NULL);
}
