/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sg-timeline"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "sg-snapshot-util.h"
#include "sg-tile.h"
#include "sg-timeline-private.h"
#include "sg-worker-colors.h"

/* Shades of the worker's colour: transfers are waiting on the network,
 * parsing is the process's own CPU work, so it is the solid one. */
#define ALPHA_JSON    0.40
#define ALPHA_PARSE   1.00
#define ALPHA_SPRITE  0.70
#define ALPHA_ENDED   0.40  /* killed or stopped: the work was lost */

typedef struct {
  SgTimeline      *self;
  GtkSnapshot     *snapshot;
  PangoLayout     *layout;
  GdkRGBA          fg;
  GdkRGBA          accent;
  GdkRGBA          error;
  GdkRGBA          warning;
  double           now;
  gboolean         round_bars;
  double           width;
  double           height;
  graphene_rect_t  content;   /* where lanes are drawn */
} Ctx;

static void
named_color (GtkWidget  *widget,
             const char *name,
             const char *fallback,
             GdkRGBA    *color)
{
  GtkStyleContext *context = gtk_widget_get_style_context (widget);

  /* libadwaita's named colours follow the light or dark style. */
  if (!gtk_style_context_lookup_color (context, name, color))
    gdk_rgba_parse (color, fallback);
}

char *
sg_timeline_format_ms (double ms)
{
  if (ms < 0)
    return g_strdup ("—");
  if (ms < 1000)
    /* Translators: a duration in milliseconds */
    return g_strdup_printf (_("%.0f ms"), ms);
  /* Translators: a duration in seconds */
  return g_strdup_printf (_("%.2f s"), ms / 1000);
}

/* Plain text, not markup: a translation may hold any character, and
 * pango_layout_set_markup() would drop the chart attributes. */
static void
append_text (Ctx           *ctx,
             const char    *text,
             double         x,
             double         y,
             const GdkRGBA *color,
             gboolean       small,
             gboolean       bold)
{
  sg_layout_set_chart_attributes (ctx->layout, small, bold);
  pango_layout_set_text (ctx->layout, text, -1);
  sg_snapshot_append_layout_at (ctx->snapshot, ctx->layout, x, y, color);
}

/* The labels --------------------------------------------------------------- */

/* Where the label lines start: the queue's at the left edge, a lane's
 * after its colour dot. */
#define QUEUE_LABEL_X  12.0
#define LANE_LABEL_X   28.0
#define LABEL_TOP       6.0
#define LABEL_END_PAD  12.0
#define AXIS_TICK       7.0  /* the ticks at the bottom of the axis */

static char *
waiting_text (guint depth)
{
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u task waiting", "%u tasks waiting",
                                       depth),
                          depth);
}

static char *
lane_title (guint slot)
{
  /* Translators: a worker lane of the timeline, numbered from 1 */
  return g_strdup_printf (_("Process %u"), slot + 1);
}

static char *
killed_text (guint deaths)
{
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "killed %u time", "killed %u times",
                                       deaths),
                          deaths);
}

void
sg_timeline_measure_labels (SgTimeline       *self,
                            SgTimelineLabels *labels)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), NULL);
  /* Each label at its widest: a deep queue, two-digit process numbers,
   * a pid at the kernel's default limit, many deaths. */
  g_autofree char *waiting = waiting_text (8888);
  g_autofree char *title = lane_title (87);
  g_autofree char *pid = g_strdup_printf (_("pid %d"), 4194304);
  g_autofree char *killed = killed_text (88);
  /* Translators: a time on the timeline's axis, in seconds */
  g_autofree char *time = g_strdup_printf (_("%.*f s"), 3, 88.888);
  int w, h, title_height = 0, detail_height = 0;
  double widest = 0, lines;

  sg_layout_measure_chart_text (layout, _("Queue"), FALSE, TRUE, &w, &title_height);
  widest = MAX (widest, QUEUE_LABEL_X + w);
  sg_layout_measure_chart_text (layout, title, FALSE, TRUE, &w, &h);
  widest = MAX (widest, LANE_LABEL_X + w);
  title_height = MAX (title_height, h);
  sg_layout_measure_chart_text (layout, waiting, TRUE, FALSE, &w, &detail_height);
  widest = MAX (widest, QUEUE_LABEL_X + w);
  sg_layout_measure_chart_text (layout, pid, TRUE, FALSE, &w, &h);
  widest = MAX (widest, LANE_LABEL_X + w);
  detail_height = MAX (detail_height, h);
  sg_layout_measure_chart_text (layout, killed, TRUE, FALSE, &w, &h);
  widest = MAX (widest, LANE_LABEL_X + w);

  /* The times on the axis, over its ticks. */
  sg_layout_measure_chart_text (layout, time, TRUE, FALSE, &w, &h);
  labels->axis_height = MAX (SG_TIMELINE_AXIS_MIN, LABEL_TOP + h + AXIS_TICK);
  labels->tick_spacing = MAX (SG_TIMELINE_TICKS_MIN, w + 24);

  /* A title and one line under it: the queue and every lane hold that. */
  lines = LABEL_TOP + title_height + detail_height + 4;
  labels->gutter = MAX (SG_TIMELINE_GUTTER_MIN, ceil (widest + LABEL_END_PAD));
  labels->title_height = title_height;
  labels->detail_height = detail_height;
  labels->queue_height = MAX (SG_TIMELINE_QUEUE_MIN, ceil (lines));
  labels->lane_min = MAX (SG_TIMELINE_LANE_MIN, ceil (lines));
}

/* Two crossed strokes: a helper died here. */
static void
append_cross (Ctx           *ctx,
              double         cx,
              double         cy,
              double         size,
              const GdkRGBA *color)
{
  for (int i = 0; i < 2; i++)
    {
      gtk_snapshot_save (ctx->snapshot);
      gtk_snapshot_translate (ctx->snapshot, &GRAPHENE_POINT_INIT (cx, cy));
      gtk_snapshot_rotate (ctx->snapshot, i == 0 ? 45 : -45);
      sg_snapshot_append_rect (ctx->snapshot, -size / 2, -1.25, size, 2.5, color);
      gtk_snapshot_restore (ctx->snapshot);
    }
}

/* ------------------------------------------------------------------------ */
/* The time axis                                                            */

static double
tick_step_ms (double scale,
              double spacing)
{
  static const double steps[] = { 1, 2, 5 };
  double magnitude = 1;

  /* The first 1-2-5 step that leaves room for a label. */
  for (int i = 0; i < 12; i++, magnitude *= 10)
    for (guint j = 0; j < G_N_ELEMENTS (steps); j++)
      if (steps[j] * magnitude * scale >= spacing)
        return steps[j] * magnitude;
  return 1e12;
}

static void
draw_axis (Ctx *ctx)
{
  SgTimeline *self = ctx->self;
  double scale = sg_timeline_get_scale (self);
  double step = tick_step_ms (scale, self->labels.tick_spacing);
  double t0 = MAX (0, sg_timeline_x_to_time (self, ctx->content.origin.x));
  double t1 = sg_timeline_x_to_time (self, ctx->content.origin.x + ctx->content.size.width);
  int decimals = step >= 1000 ? 0 : step >= 100 ? 1 : step >= 10 ? 2 : 3;
  GdkRGBA grid = sg_rgba_with_alpha (&ctx->fg, 0.07);
  GdkRGBA tick = sg_rgba_with_alpha (&ctx->fg, 0.3);
  GdkRGBA label = sg_rgba_with_alpha (&ctx->fg, 0.65);

  sg_snapshot_append_rect (ctx->snapshot, 0, self->labels.axis_height - 1, ctx->width, 1, &grid);

  for (double t = floor (t0 / step) * step; t <= t1 + step; t += step)
    {
      double x = round (sg_timeline_time_to_x (self, t));
      g_autofree char *text = NULL;

      if (x < ctx->content.origin.x - 1 || x > ctx->content.origin.x + ctx->content.size.width)
        continue;

      gtk_snapshot_push_clip (ctx->snapshot, &ctx->content);
      sg_snapshot_append_rect (ctx->snapshot, x, ctx->content.origin.y, 1, ctx->content.size.height,
                               &grid);
      gtk_snapshot_pop (ctx->snapshot);

      sg_snapshot_append_rect (ctx->snapshot, x, self->labels.axis_height - AXIS_TICK, 1, 6,
                               &tick);
      /* Translators: a time on the timeline's axis, in seconds */
      text = t <= 0 ? g_strdup (_("0 s")) : g_strdup_printf (_("%.*f s"), decimals, t / 1000);
      if (x + 4 < ctx->width - 30)
        append_text (ctx, text, x + 4, 6, &label, TRUE, FALSE);
    }
}

/* ------------------------------------------------------------------------ */
/* The queue lane                                                           */

static void
draw_queue (Ctx *ctx)
{
  SgTimeline *self = ctx->self;
  SgTimelineModel *model = self->model;
  guint n = sg_timeline_model_get_n_queue_points (model);
  guint max_depth = MAX (1, sg_timeline_model_get_max_queue_depth (model));
  double top = sg_timeline_content_top (self);
  double base = top + self->labels.queue_height - 6;
  double full = self->labels.queue_height - 14;
  GdkRGBA area = sg_rgba_with_alpha (&ctx->fg, 0.16);
  GdkRGBA edge = sg_rgba_with_alpha (&ctx->fg, 0.45);
  double left = ctx->content.origin.x;
  double right = left + ctx->content.size.width;
  double bucket_x = -1, bucket_end = -1;
  guint bucket_depth = 0, depth = 0;

  for (guint i = 0; i < n; i++)
    {
      double t, t_next, x0, x1;

      sg_timeline_model_get_queue_point (model, i, &t, &depth);
      if (i + 1 < n)
        sg_timeline_model_get_queue_point (model, i + 1, &t_next, NULL);
      else
        t_next = ctx->now;

      x0 = MAX (sg_timeline_time_to_x (self, t), left);
      x1 = MIN (sg_timeline_time_to_x (self, t_next), right);
      if (x1 <= x0)
        continue;

      /* Steps thinner than a pixel merge into one at their deepest. */
      if (bucket_x >= 0 && x1 - bucket_x < 1)
        {
          bucket_depth = MAX (bucket_depth, depth);
          bucket_end = x1;
          continue;
        }
      if (bucket_x >= 0)
        {
          double h = full * bucket_depth / max_depth;

          sg_snapshot_append_rect (ctx->snapshot, bucket_x, base - h, bucket_end - bucket_x, h,
                                   &area);
          sg_snapshot_append_rect (ctx->snapshot, bucket_x, base - h, bucket_end - bucket_x,
                                   bucket_depth > 0 ? 1.5 : 0, &edge);
        }
      bucket_x = x0;
      bucket_end = x1;
      bucket_depth = depth;
    }
  if (bucket_x >= 0)
    {
      double h = full * bucket_depth / max_depth;

      sg_snapshot_append_rect (ctx->snapshot, bucket_x, base - h, bucket_end - bucket_x, h, &area);
      sg_snapshot_append_rect (ctx->snapshot, bucket_x, base - h, bucket_end - bucket_x,
                               bucket_depth > 0 ? 1.5 : 0, &edge);
    }
}

static void
draw_queue_label (Ctx *ctx)
{
  SgTimelineModel *model = ctx->self->model;
  guint n = sg_timeline_model_get_n_queue_points (model);
  double top = sg_timeline_content_top (ctx->self);
  GdkRGBA dim = sg_rgba_with_alpha (&ctx->fg, 0.6);
  g_autofree char *detail = NULL;
  guint depth = 0;

  if (n > 0)
    sg_timeline_model_get_queue_point (model, n - 1, NULL, &depth);
  detail = waiting_text (depth);

  append_text (ctx, _("Queue"), QUEUE_LABEL_X, top + LABEL_TOP, &ctx->fg, FALSE, TRUE);
  append_text (ctx, detail, QUEUE_LABEL_X, top + LABEL_TOP + ctx->self->labels.title_height,
               &dim, TRUE, FALSE);
}

/* ------------------------------------------------------------------------ */
/* Worker lanes                                                             */

static void
append_phase (Ctx                   *ctx,
              const graphene_rect_t *rect,
              double                 from_ms,
              double                 to_ms,
              const GdkRGBA         *color,
              double                 alpha)
{
  double x0 = MAX (sg_timeline_time_to_x (ctx->self, from_ms), rect->origin.x);
  double x1 = MIN (sg_timeline_time_to_x (ctx->self, to_ms), rect->origin.x + rect->size.width);
  GdkRGBA shade = sg_rgba_with_alpha (color, alpha);

  sg_snapshot_append_rect (ctx->snapshot, x0, rect->origin.y, x1 - x0, rect->size.height, &shade);
}

static void
append_dashes (Ctx           *ctx,
               double         x0,
               double         x1,
               double         y,
               const GdkRGBA *color)
{
  x0 = MAX (x0, ctx->content.origin.x);
  x1 = MIN (x1, ctx->content.origin.x + ctx->content.size.width);
  for (double x = x0; x < x1; x += 7)
    sg_snapshot_append_rect (ctx->snapshot, x, y - 1, MIN (4, x1 - x), 2, color);
}

static void
draw_bar (Ctx                 *ctx,
          const SgTimelineBar *bar)
{
  SgTimeline *self = ctx->self;
  double end = sg_timeline_bar_end_or (bar, ctx->now);
  gboolean lost = bar->outcome == SG_TIMELINE_OUTCOME_KILLED ||
                  bar->outcome == SG_TIMELINE_OUTCOME_STOPPED;
  double dim = lost ? ALPHA_ENDED : 1.0;
  gboolean marked = bar->sprite_id != 0 &&
                    (bar->sprite_id == self->highlighted_id || bar->sprite_id == self->hovered_id);
  graphene_rect_t rect;
  GskRoundedRect round_rect;
  GdkRGBA color;

  if (!sg_timeline_bar_rect (self, bar, ctx->now, &rect))
    return;
  if (rect.origin.x > ctx->content.origin.x + ctx->content.size.width ||
      rect.origin.x + rect.size.width < ctx->content.origin.x ||
      rect.origin.y > ctx->content.origin.y + ctx->content.size.height ||
      rect.origin.y + rect.size.height < ctx->content.origin.y)
    return;

  self->n_drawn++;
  sg_worker_color_get_rgba (bar->slot, &color);

  /* A hair of space between neighbours on a row. */
  if (rect.size.width > 4)
    rect.size.width -= 1;

  /* Rounded ends cost a mask each: with hundreds of bars in view, plain
   * rectangles keep a frame cheap (and they are small anyway). */
  if (ctx->round_bars)
    {
      gsk_rounded_rect_init_from_rect (&round_rect, &rect, MIN (3, rect.size.width / 2));
      gtk_snapshot_push_rounded_clip (ctx->snapshot, &round_rect);
    }
  if (bar->json_ms < 0)
    {
      append_phase (ctx, &rect, bar->started_ms, end, &color, ALPHA_SPRITE * dim);
    }
  else
    {
      append_phase (ctx, &rect, bar->json_ms, bar->parse_ms >= 0 ? bar->parse_ms : end, &color,
                    ALPHA_JSON * dim);
      if (bar->parse_ms >= 0)
        append_phase (ctx, &rect, bar->parse_ms, bar->sprite_ms >= 0 ? bar->sprite_ms : end,
                      &color, ALPHA_PARSE * dim);
      if (bar->sprite_ms >= 0)
        append_phase (ctx, &rect, bar->sprite_ms, end, &color, ALPHA_SPRITE * dim);
    }

  /* How the attempt ended, at its end. */
  switch (bar->outcome)
    {
    case SG_TIMELINE_OUTCOME_RETRY:
      sg_snapshot_append_rect (ctx->snapshot, rect.origin.x + rect.size.width - 3, rect.origin.y, 3,
                               rect.size.height, &ctx->warning);
      break;
    case SG_TIMELINE_OUTCOME_FAILED:
    case SG_TIMELINE_OUTCOME_KILLED:
      sg_snapshot_append_rect (ctx->snapshot, rect.origin.x + rect.size.width - 3, rect.origin.y, 3,
                               rect.size.height, &ctx->error);
      break;
    default:
      break;
    }
  if (ctx->round_bars)
    gtk_snapshot_pop (ctx->snapshot);

  if (marked)
    {
      GdkRGBA wait = sg_rgba_with_alpha (&ctx->fg, 0.55);
      GskRoundedRect outline;

      /* Its wait in the queue, and a ring around the bar. */
      append_dashes (ctx, sg_timeline_time_to_x (self, bar->queued_ms), rect.origin.x - 2,
                     rect.origin.y + rect.size.height / 2, &wait);
      gsk_rounded_rect_init_from_rect (&outline, graphene_rect_inset (&rect, -2, -2), 4);
      gtk_snapshot_append_border (ctx->snapshot, &outline, (float[4]) { 2, 2, 2, 2 },
                                  (GdkRGBA[4]) { ctx->accent, ctx->accent, ctx->accent,
                                                 ctx->accent });
    }
}

static void
draw_lives (Ctx                  *ctx,
            guint                 slot,
            const SgTimelineLane *lane,
            double                lane_y)
{
  SgTimelineModel *model = ctx->self->model;
  guint n = sg_timeline_model_get_n_lives (model);
  gboolean first = TRUE;
  GdkRGBA color;

  sg_worker_color_get_rgba (slot, &color);

  for (guint i = 0; i < n; i++)
    {
      const SgTimelineLife *life = sg_timeline_model_get_life (model, i);
      gboolean respawn;
      double x0, x1;
      GdkRGBA band = sg_rgba_with_alpha (&color, 0.08);

      if (life->slot != (int) slot)
        continue;
      respawn = !first;
      first = FALSE;

      x0 = MAX (sg_timeline_time_to_x (ctx->self, life->spawned_ms), ctx->content.origin.x);
      x1 = sg_timeline_time_to_x (ctx->self, life->ended_ms >= 0 ? life->ended_ms : ctx->now);
      /* The process's life: its band. */
      sg_snapshot_append_rect (ctx->snapshot, x0, lane_y + 2, x1 - x0, lane->height - 3, &band);

      if (respawn)
        {
          /* Respawned: a diamond in its colour where the new one began. */
          double x = sg_timeline_time_to_x (ctx->self, life->spawned_ms);
          GdkRGBA line = sg_rgba_with_alpha (&color, 0.7);

          sg_snapshot_append_rect (ctx->snapshot, x - 0.5, lane_y + 2, 1, lane->height - 3, &line);
          gtk_snapshot_save (ctx->snapshot);
          gtk_snapshot_translate (ctx->snapshot, &GRAPHENE_POINT_INIT (x, lane_y + 7));
          gtk_snapshot_rotate (ctx->snapshot, 45);
          sg_snapshot_append_rect (ctx->snapshot, -3.5, -3.5, 7, 7, &color);
          gtk_snapshot_restore (ctx->snapshot);
        }
    }
}

static void
draw_deaths (Ctx                  *ctx,
             guint                 slot,
             const SgTimelineLane *lane,
             double                lane_y)
{
  SgTimelineModel *model = ctx->self->model;
  guint n = sg_timeline_model_get_n_lives (model);

  for (guint i = 0; i < n; i++)
    {
      const SgTimelineLife *life = sg_timeline_model_get_life (model, i);
      double x;

      if (life->slot != (int) slot || life->died_ms < 0)
        continue;

      /* A red line through the lane, a cross on top. */
      x = sg_timeline_time_to_x (ctx->self, life->died_ms);
      sg_snapshot_append_rect (ctx->snapshot, x - 1, lane_y + 2, 2, lane->height - 3, &ctx->error);
      append_cross (ctx, x, lane_y + 8, 11, &ctx->error);
    }
}

static void
draw_lane_label (Ctx                  *ctx,
                 guint                 slot,
                 const SgTimelineLane *lane,
                 double                lane_y)
{
  SgTimelineModel *model = ctx->self->model;
  guint n = sg_timeline_model_get_n_lives (model);
  GdkRGBA dim = sg_rgba_with_alpha (&ctx->fg, 0.6);
  const SgTimelineLabels *labels = &ctx->self->labels;
  GdkRGBA color;
  g_autofree char *title = NULL;
  g_autofree char *pid_text = NULL;
  double y = LABEL_TOP;
  GPid pid = 0;
  guint deaths = 0;

  for (guint i = 0; i < n; i++)
    {
      const SgTimelineLife *life = sg_timeline_model_get_life (model, i);

      if (life->slot != (int) slot)
        continue;
      pid = life->pid;
      if (life->died_ms >= 0)
        deaths++;
    }

  sg_worker_color_get_rgba (slot, &color);
  sg_snapshot_append_dot (ctx->snapshot, 17, lane_y + LABEL_TOP + labels->title_height / 2, 5,
                          &color);

  title = lane_title (slot);
  append_text (ctx, title, LANE_LABEL_X, lane_y + y, &ctx->fg, FALSE, TRUE);
  y += labels->title_height;

  /* Each line under the title only where the lane is tall enough for it. */
  if (lane->height >= y + labels->detail_height)
    {
      pid_text = pid != 0 ? g_strdup_printf (_("pid %d"), (int) pid) : g_strdup ("");
      append_text (ctx, pid_text, LANE_LABEL_X, lane_y + y, &dim, TRUE, FALSE);
      y += labels->detail_height;
    }
  if (deaths > 0 && lane->height >= y + labels->detail_height)
    {
      g_autofree char *died = killed_text (deaths);

      append_text (ctx, died, LANE_LABEL_X, lane_y + y, &ctx->error, TRUE, FALSE);
    }
}

static void
draw_lanes (Ctx *ctx)
{
  SgTimeline *self = ctx->self;
  double top = sg_timeline_content_top (self);
  GdkRGBA separator = sg_rgba_with_alpha (&ctx->fg, 0.1);
  GdkRGBA stripe = sg_rgba_with_alpha (&ctx->fg, 0.025);
  guint n_bars = sg_timeline_model_get_n_bars (self->model);

  /* Backgrounds and lifetimes under the bars. */
  gtk_snapshot_push_clip (ctx->snapshot, &ctx->content);
  for (guint i = 0; i < self->lanes->len; i++)
    {
      const SgTimelineLane *lane = &g_array_index (self->lanes, SgTimelineLane, i);
      double y = top + lane->y;

      if (y > ctx->height || y + lane->height < self->labels.axis_height)
        continue;
      if (i % 2 == 0)
        sg_snapshot_append_rect (ctx->snapshot, ctx->content.origin.x, y, ctx->content.size.width,
                                 lane->height, &stripe);
      draw_lives (ctx, i, lane, y);
    }

  for (guint i = 0; i < n_bars; i++)
    draw_bar (ctx, sg_timeline_model_get_bar (self->model, i));

  for (guint i = 0; i < self->lanes->len; i++)
    {
      const SgTimelineLane *lane = &g_array_index (self->lanes, SgTimelineLane, i);
      double y = top + lane->y;

      if (y > ctx->height || y + lane->height < self->labels.axis_height)
        continue;
      draw_deaths (ctx, i, lane, y);
    }
  gtk_snapshot_pop (ctx->snapshot);

  /* Labels and separators across the whole width, below the axis. */
  gtk_snapshot_push_clip (ctx->snapshot,
                          &GRAPHENE_RECT_INIT (0, self->labels.axis_height, ctx->width,
                                               MAX (0, ctx->height - self->labels.axis_height)));
  draw_queue_label (ctx);
  for (guint i = 0; i < self->lanes->len; i++)
    {
      const SgTimelineLane *lane = &g_array_index (self->lanes, SgTimelineLane, i);
      double y = top + lane->y;

      if (y > ctx->height || y + lane->height < self->labels.axis_height)
        continue;
      sg_snapshot_append_rect (ctx->snapshot, 0, y, ctx->width, 1, &separator);
      draw_lane_label (ctx, i, lane, y);
    }
  gtk_snapshot_pop (ctx->snapshot);
}

static void
draw_now (Ctx *ctx)
{
  double x = sg_timeline_time_to_x (ctx->self, ctx->now);
  double axis = ctx->self->labels.axis_height;

  if (x < ctx->content.origin.x || x > ctx->content.origin.x + ctx->content.size.width + 1)
    return;
  sg_snapshot_append_rect (ctx->snapshot, round (x) - 1, axis - AXIS_TICK, 2,
                           ctx->height - axis + AXIS_TICK, &ctx->accent);
}

static void
draw_placeholder (Ctx        *ctx,
                  const char *text)
{
  const SgTimelineLabels *labels = &ctx->self->labels;
  GdkRGBA dim = sg_rgba_with_alpha (&ctx->fg, 0.55);
  int w, h;

  /* Laid out once: measured to centre it, then drawn as it is. */
  sg_layout_measure_chart_text (ctx->layout, text, FALSE, FALSE, &w, &h);
  sg_snapshot_append_layout_at (ctx->snapshot, ctx->layout,
                                ctx->content.origin.x + (ctx->content.size.width - w) / 2,
                                labels->axis_height + labels->queue_height + 12, &dim);
}

void
sg_timeline_draw (SgTimeline  *self,
                  GtkSnapshot *snapshot)
{
  GtkWidget *widget = GTK_WIDGET (self);
  GtkStyleContext *context = gtk_widget_get_style_context (widget);
  const char *placeholder = sg_timeline_get_placeholder (self);
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, NULL);
  Ctx ctx = {
    .self = self,
    .snapshot = snapshot,
    .layout = layout,
    .now = self->model != NULL ? sg_timeline_model_get_now_ms (self->model) : 0,
    .width = gtk_widget_get_width (widget),
    .height = gtk_widget_get_height (widget),
  };

  /* As many bars as in the last frame, give or take. */
  ctx.round_bars = self->n_drawn < 250;
  self->n_drawn = 0;
  gtk_style_context_get_color (context, &ctx.fg);
  named_color (widget, "accent_color", "#1c71d8", &ctx.accent);
  named_color (widget, "error_color", "#c01c28", &ctx.error);
  named_color (widget, "warning_color", "#9c6e03", &ctx.warning);
  graphene_rect_init (&ctx.content, self->labels.gutter, self->labels.axis_height,
                      MAX (0, ctx.width - self->labels.gutter),
                      MAX (0, ctx.height - self->labels.axis_height));

  draw_axis (&ctx);
  if (placeholder != NULL)
    {
      draw_placeholder (&ctx, placeholder);
      return;
    }

  gtk_snapshot_push_clip (snapshot, &ctx.content);
  draw_queue (&ctx);
  gtk_snapshot_pop (snapshot);
  draw_lanes (&ctx);
  if (sg_timeline_model_get_running (self->model))
    draw_now (&ctx);
}

/* ------------------------------------------------------------------------ */
/* Tooltip                                                                  */

static const char *
outcome_text (SgTimelineOutcome outcome)
{
  switch (outcome)
    {
    case SG_TIMELINE_OUTCOME_RUNNING: return _("In progress");
    case SG_TIMELINE_OUTCOME_DONE: return _("Done");
    case SG_TIMELINE_OUTCOME_RETRY: return _("Failed, retried later");
    case SG_TIMELINE_OUTCOME_FAILED: return _("Failed");
    case SG_TIMELINE_OUTCOME_KILLED: return _("Its helper died: queued again");
    case SG_TIMELINE_OUTCOME_STOPPED: return _("Stopped");
    default: return "";
    }
}

char *
sg_timeline_describe_bar (SgTimeline          *self,
                          const SgTimelineBar *bar)
{
  double now = sg_timeline_model_get_now_ms (self->model);
  double end = sg_timeline_bar_end_or (bar, now);
  double start = sg_timeline_bar_transfer_start (bar);
  const char *api_name = sg_timeline_model_get_sprite_name (self->model, bar->sprite_id);
  g_autofree char *name = sg_tile_display_name (api_name);
  g_autofree char *title = name != NULL ? g_strdup_printf ("#%03u %s", bar->sprite_id, name)
                                        : g_strdup_printf ("#%03u", bar->sprite_id);
  g_autofree char *wait = sg_timeline_format_ms (start - bar->queued_ms);
  g_autofree char *json = sg_timeline_format_ms (bar->json_ms < 0 ? -1
                                                 : (bar->parse_ms >= 0 ? bar->parse_ms : end) -
                                                   bar->json_ms);
  g_autofree char *parse = sg_timeline_format_ms (bar->parse_ms < 0 ? -1
                                                  : (bar->sprite_ms >= 0 ? bar->sprite_ms : end) -
                                                    bar->parse_ms);
  g_autofree char *sprite = sg_timeline_format_ms (bar->sprite_ms < 0 ? -1 : end - bar->sprite_ms);
  g_autofree char *total = sg_timeline_format_ms (end - start);
  GString *text = g_string_new (NULL);
  g_autofree char *plain = NULL;
  g_autofree char *markup_title = NULL;
  g_autofree char *markup_rest = NULL;

  if (bar->attempt > 1)
    {
      g_autofree char *attempt = g_strdup_printf (_("attempt %u"), bar->attempt);

      g_string_append_printf (text, " — %s", attempt);
    }
  g_string_append_c (text, '\n');
  /* Translators: the helper process that ran a task, and its lane */
  g_string_append_printf (text, _("Helper process %d (process %d)"), (int) bar->pid, bar->slot + 1);
  g_string_append_c (text, '\n');
  g_string_append_printf (text, "%s: %s\n", _("Waited in the queue"), wait);
  g_string_append_printf (text, "%s: %s\n", _("JSON transfer"), json);
  g_string_append_printf (text, "%s: %s\n", _("Parsing"), parse);
  g_string_append_printf (text, "%s: %s\n", _("Sprite transfer"), sprite);
  g_string_append_printf (text, "%s (%s)", outcome_text (bar->outcome), total);

  /* Names come from the network: everything is escaped. */
  plain = g_string_free (text, FALSE);
  markup_title = g_markup_escape_text (title, -1);
  markup_rest = g_markup_escape_text (plain, -1);
  return g_strdup_printf ("<b>%s</b>%s", markup_title, markup_rest);
}
