/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sg-speedup-chart"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "sg-snapshot-util.h"
#include "sg-speedup-chart.h"

/* Room around the plot, in logical pixels, at least: more when the labels
 * need it. */
#define MARGIN_LEFT    64.0
#define MARGIN_RIGHT   64.0
#define MARGIN_TOP     40.0
#define MARGIN_BOTTOM  68.0
#define AXIS_GAP        8.0  /* between an axis and its labels */
#define EDGE_PAD        4.0  /* between a label and the widget's edge */
#define TITLE_Y         8.0  /* the axis titles, on top */
#define LABEL_GAP       6.0  /* between the plot and a column's label */
#define DOT_GAP         6.0  /* between a speed-up dot and its factor */

struct _SgSpeedupChart
{
  GtkWidget     parent_instance;

  SgRunHistory *history;
  gulong        items_changed_id;
  SgSpeedup    *speedup;
};

G_DEFINE_FINAL_TYPE (SgSpeedupChart, sg_speedup_chart, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_HISTORY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* "850 ms", "12.3 s": short runs need their milliseconds. */
static char *
format_duration (double ms)
{
  if (ms < 1000)
    /* Translators: a duration in milliseconds */
    return g_strdup_printf (_("%.0f ms"), ms);
  /* Translators: a duration in seconds */
  return g_strdup_printf (_("%.1f s"), ms / 1000);
}

/* One column: the baseline or a number of processes. */
typedef struct {
  const char *label;
  char       *owned_label;
  double      wall_ms;
  double      speedup;    /* NAN: none */
  gboolean    baseline;
} Column;

static void
column_clear (gpointer data)
{
  g_free (((Column *) data)->owned_label);
}

static GArray *
columns_of (SgSpeedup *speedup)
{
  GArray *columns = g_array_new (FALSE, TRUE, sizeof (Column));

  g_array_set_clear_func (columns, column_clear);
  if (speedup == NULL)
    return columns;

  if (speedup->baseline != NULL && speedup->baseline_is_sequential)
    {
      Column column = {
        .label = C_("chart column", "Sequential"),
        .wall_ms = sg_run_record_get_wall_ms (speedup->baseline),
        .speedup = 1.0,
        .baseline = TRUE,
      };

      g_array_append_val (columns, column);
    }

  /* Only sequential runs so far: the baseline is all there is. */
  if (g_strcmp0 (speedup->strategy, "sequential") == 0)
    return columns;

  for (guint i = 0; i < speedup->points->len; i++)
    {
      const SgSpeedupPoint *point = &g_array_index (speedup->points, SgSpeedupPoint, i);
      Column column = {
        .owned_label = g_strdup_printf ("%u", point->processes),
        .wall_ms = point->wall_ms,
        .speedup = point->speedup,
        .baseline = !speedup->baseline_is_sequential && point->record == speedup->baseline,
      };

      column.label = column.owned_label;
      g_array_append_val (columns, column);
    }
  return columns;
}

/* ------------------------------------------------------------------------ */
/* Drawing                                                                  */

typedef struct {
  GtkSnapshot *snapshot;
  PangoLayout *layout;
  GdkRGBA      fg;
  GdkRGBA      accent;
} Ctx;

/* Text placed by its anchor: @xalign/@yalign 0 (left/top) to 1. */
static void
append_text (Ctx           *ctx,
             const char    *text,
             double         x,
             double         y,
             double         xalign,
             double         yalign,
             const GdkRGBA *color,
             gboolean       small,
             gboolean       bold)
{
  int w, h;

  sg_layout_measure_chart_text (ctx->layout, text, small, bold, &w, &h);
  sg_snapshot_append_layout_at (ctx->snapshot, ctx->layout, x - w * xalign, y - h * yalign,
                                color);
}

/* A 1-2-5 step that cuts @value into at most four parts. */
static double
nice_step (double value)
{
  double magnitude = pow (10, floor (log10 (MAX (value / 4, 1e-9))));
  static const double steps[] = { 1, 2, 5, 10 };

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    if (steps[i] * magnitude * 4 >= value)
      return steps[i] * magnitude;
  return 10 * magnitude;
}

static void
draw_empty (Ctx    *ctx,
            double  width,
            double  height)
{
  GdkRGBA dim = sg_rgba_with_alpha (&ctx->fg, 0.55);

  append_text (ctx, _("No comparable runs yet"), width / 2, height / 2 - 12, 0.5, 1, &ctx->fg,
               FALSE, TRUE);
  append_text (ctx, _("Press “Compare” or run without the cache with a few numbers of processes"),
               width / 2, height / 2, 0.5, 0, &dim, TRUE, FALSE);
}

/* Where everything goes: the axes' scale, and the plot inside margins wide
 * enough for the labels around it at the widget's text size (large text,
 * a longer translation). */
typedef struct {
  GArray          *columns;
  gboolean         have_speedup;
  int              n_steps;       /* grid lines above zero */
  double           wall_step;     /* seconds per grid step */
  double           speedup_step;  /* × per grid step */
  double           max_wall;      /* ms at the top of the plot */
  double           max_speedup;
  double           label_height;  /* a column's label, under the plot */
  graphene_rect_t  plot;
} ChartLayout;

static void
chart_layout_clear (ChartLayout *chart)
{
  g_clear_pointer (&chart->columns, g_array_unref);
}

static char *
wall_label (double seconds)
{
  /* Translators: a time on the chart's axis, in seconds */
  return g_strdup_printf (_("%g s"), seconds);
}

static char *
factor_label (double factor)
{
  /* Translators: a speed-up factor on the chart's axis, e.g. "×2" */
  return g_strdup_printf (_("×%g"), factor);
}

static char *
point_label (double speedup)
{
  return g_strdup_printf (_("×%.1f"), speedup);
}

static void
chart_layout (SgSpeedupChart *self,
              PangoLayout    *layout,
              double          width,
              double          height,
              ChartLayout    *chart)
{
  double max_wall = 0, max_speedup = 1;
  double left_text = 0, right_text = 0;
  int w, h, normal_height, small_height, bold_height;
  double left, right, top, bottom;

  chart->columns = columns_of (self->speedup);
  chart->have_speedup = FALSE;
  for (guint i = 0; i < chart->columns->len; i++)
    {
      const Column *column = &g_array_index (chart->columns, Column, i);

      max_wall = MAX (max_wall, column->wall_ms);
      if (!isnan (column->speedup))
        {
          max_speedup = MAX (max_speedup, column->speedup);
          chart->have_speedup = TRUE;
        }
    }
  /* Both axes share the grid: as many round steps on each. */
  chart->wall_step = nice_step (max_wall / 1000);
  chart->speedup_step = nice_step (max_speedup);
  chart->n_steps = (int) MAX (ceil (max_wall / 1000 / chart->wall_step - 1e-9),
                              ceil (max_speedup / chart->speedup_step - 1e-9));
  chart->n_steps = MAX (chart->n_steps, 1);
  chart->max_wall = chart->wall_step * chart->n_steps * 1000;
  chart->max_speedup = chart->speedup_step * chart->n_steps;

  /* The widest label on each side, its axis title included. */
  sg_layout_measure_chart_text (layout, _("Wall time"), TRUE, FALSE, &w, &small_height);
  left_text = w;
  sg_layout_measure_chart_text (layout, _("Speed-up"), TRUE, FALSE, &w, &h);
  right_text = w;
  for (int i = 0; i <= chart->n_steps; i++)
    {
      g_autofree char *wall = wall_label (chart->wall_step * i);
      g_autofree char *factor = factor_label (chart->speedup_step * i);

      sg_layout_measure_chart_text (layout, wall, TRUE, FALSE, &w, &h);
      left_text = MAX (left_text, w);
      sg_layout_measure_chart_text (layout, factor, TRUE, FALSE, &w, &h);
      right_text = MAX (right_text, w);
    }
  sg_layout_measure_chart_text (layout, "×8.8", FALSE, TRUE, &w, &bold_height);
  sg_layout_measure_chart_text (layout, "8", FALSE, FALSE, &w, &normal_height);

  left = MAX (MARGIN_LEFT, AXIS_GAP + left_text + EDGE_PAD);
  right = MAX (MARGIN_RIGHT, AXIS_GAP + right_text + EDGE_PAD);
  /* The axis titles, and a factor over a dot at the very top. */
  top = MAX (MARGIN_TOP, ceil (MAX (TITLE_Y + small_height, DOT_GAP + bold_height) + 12));
  /* A column's label and time, then the axis title. */
  bottom = MAX (MARGIN_BOTTOM, ceil (LABEL_GAP + normal_height + 1 + small_height + 6 +
                                     small_height + EDGE_PAD));

  chart->label_height = normal_height;
  graphene_rect_init (&chart->plot, left, top, MAX (1, width - left - right),
                      MAX (1, height - top - bottom));
}

static void
sg_speedup_chart_snapshot (GtkWidget   *widget,
                           GtkSnapshot *snapshot)
{
  SgSpeedupChart *self = SG_SPEEDUP_CHART (widget);
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, NULL);
  GtkStyleContext *context = gtk_widget_get_style_context (widget);
  double width = gtk_widget_get_width (widget);
  double height = gtk_widget_get_height (widget);
  ChartLayout chart = { 0, };
  double plot_x, plot_y, plot_w, plot_h, column_w;
  GdkRGBA grid, bar, bar_baseline, dim;
  Ctx ctx = { snapshot, layout };

  gtk_style_context_get_color (context, &ctx.fg);
  if (!gtk_style_context_lookup_color (context, "accent_color", &ctx.accent))
    gdk_rgba_parse (&ctx.accent, "#1c71d8");
  grid = sg_rgba_with_alpha (&ctx.fg, 0.1);
  bar = sg_rgba_with_alpha (&ctx.accent, 0.22);
  bar_baseline = sg_rgba_with_alpha (&ctx.fg, 0.18);
  dim = sg_rgba_with_alpha (&ctx.fg, 0.65);

  chart_layout (self, layout, width, height, &chart);
  if (chart.columns->len == 0)
    {
      draw_empty (&ctx, width, height);
      chart_layout_clear (&chart);
      return;
    }
  plot_x = chart.plot.origin.x;
  plot_y = chart.plot.origin.y;
  plot_w = chart.plot.size.width;
  plot_h = chart.plot.size.height;
  column_w = plot_w / chart.columns->len;

  for (int i = 0; i <= chart.n_steps; i++)
    {
      double y = plot_y + plot_h - plot_h * i / chart.n_steps;
      g_autofree char *wall = wall_label (chart.wall_step * i);

      sg_snapshot_append_rect (snapshot, plot_x, round (y), plot_w, 1, &grid);
      append_text (&ctx, wall, plot_x - AXIS_GAP, y, 1, 0.5, &dim, TRUE, FALSE);
      if (chart.have_speedup)
        {
          g_autofree char *factor = factor_label (chart.speedup_step * i);

          append_text (&ctx, factor, plot_x + plot_w + AXIS_GAP, y, 0, 0.5, &ctx.accent, TRUE,
                       FALSE);
        }
    }

  /* Wall time: a bar per column, its value on top. */
  for (guint i = 0; i < chart.columns->len; i++)
    {
      const Column *column = &g_array_index (chart.columns, Column, i);
      double h = plot_h * column->wall_ms / chart.max_wall;
      double bar_w = MIN (72, column_w * 0.6);
      double x = plot_x + column_w * i + (column_w - bar_w) / 2;
      g_autofree char *seconds = format_duration (column->wall_ms);
      GskRoundedRect round_rect;

      gsk_rounded_rect_init (&round_rect, &GRAPHENE_RECT_INIT (x, plot_y + plot_h - h, bar_w, h),
                             &GRAPHENE_SIZE_INIT (4, 4), &GRAPHENE_SIZE_INIT (4, 4),
                             &GRAPHENE_SIZE_INIT (0, 0), &GRAPHENE_SIZE_INIT (0, 0));
      gtk_snapshot_push_rounded_clip (snapshot, &round_rect);
      sg_snapshot_append_rect (snapshot, x, plot_y + plot_h - h, bar_w, h,
                               column->baseline ? &bar_baseline : &bar);
      gtk_snapshot_pop (snapshot);

      /* Under the axis: how many processes, and how long it took. */
      append_text (&ctx, column->label, x + bar_w / 2, plot_y + plot_h + LABEL_GAP, 0.5, 0,
                   &ctx.fg, FALSE, column->baseline);
      append_text (&ctx, seconds, x + bar_w / 2,
                   plot_y + plot_h + LABEL_GAP + chart.label_height + 1, 0.5, 0, &dim, TRUE,
                   FALSE);
    }

  /* Speed-up: a line through the columns, the factor beside each dot. */
  if (chart.have_speedup)
    {
      double prev_x = -1, prev_y = -1;
      double one_y = plot_y + plot_h - plot_h / chart.max_speedup;
      GdkRGBA faint = sg_rgba_with_alpha (&ctx.accent, 0.5);

      /* The baseline's level, ×1, dashed across the plot. */
      for (double x = plot_x; x < plot_x + plot_w; x += 9)
        sg_snapshot_append_rect (snapshot, x, round (one_y), MIN (5, plot_x + plot_w - x), 1,
                                 &faint);

      for (guint i = 0; i < chart.columns->len; i++)
        {
          const Column *column = &g_array_index (chart.columns, Column, i);
          double x = plot_x + column_w * (i + 0.5);
          double y;

          if (isnan (column->speedup))
            continue;
          y = plot_y + plot_h - plot_h * column->speedup / chart.max_speedup;
          if (prev_x >= 0)
            sg_snapshot_append_line (snapshot, prev_x, prev_y, x, y, 2.5, &ctx.accent);
          prev_x = x;
          prev_y = y;
        }

      for (guint i = 0; i < chart.columns->len; i++)
        {
          const Column *column = &g_array_index (chart.columns, Column, i);
          double x = plot_x + column_w * (i + 0.5);
          double y;
          g_autofree char *factor = NULL;

          if (isnan (column->speedup))
            continue;
          y = plot_y + plot_h - plot_h * column->speedup / chart.max_speedup;
          sg_snapshot_append_dot (snapshot, x, y, 5, &ctx.accent);
          /* Above and left of its dot: the line rises to the right. */
          factor = point_label (column->speedup);
          append_text (&ctx, factor, x - DOT_GAP, y - DOT_GAP, 1, 1, &ctx.accent, FALSE, TRUE);
        }
    }

  /* Axis titles and the legend. */
  append_text (&ctx, _("Number of processes"), plot_x + plot_w / 2, height - EDGE_PAD, 0.5, 1,
               &dim, TRUE, FALSE);
  append_text (&ctx, _("Wall time"), plot_x - AXIS_GAP, TITLE_Y, 1, 0, &dim, TRUE, FALSE);
  if (chart.have_speedup)
    append_text (&ctx, _("Speed-up"), plot_x + plot_w + AXIS_GAP, TITLE_Y, 0, 0, &ctx.accent,
                 TRUE, FALSE);
  chart_layout_clear (&chart);
}

gboolean
sg_speedup_chart_get_plot_area (SgSpeedupChart  *self,
                                graphene_rect_t *area)
{
  g_autoptr(PangoLayout) layout = NULL;
  ChartLayout chart = { 0, };
  gboolean drawn;

  g_return_val_if_fail (SG_IS_SPEEDUP_CHART (self), FALSE);
  g_return_val_if_fail (area != NULL, FALSE);

  layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), NULL);
  chart_layout (self, layout, gtk_widget_get_width (GTK_WIDGET (self)),
                gtk_widget_get_height (GTK_WIDGET (self)), &chart);
  *area = chart.plot;
  drawn = chart.columns->len > 0;
  chart_layout_clear (&chart);
  return drawn;
}

static void
sg_speedup_chart_measure (GtkWidget      *widget,
                          GtkOrientation  orientation,
                          int             for_size,
                          int            *minimum,
                          int            *natural,
                          int            *minimum_baseline,
                          int            *natural_baseline)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, NULL);
  int w, line_height;
  double text_scale;

  /* As much larger as the text is (19 px: a line at the default size). */
  sg_layout_measure_chart_text (layout, "8", FALSE, FALSE, &w, &line_height);
  text_scale = MAX (1.0, line_height / 19.0);
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = (int) ceil (280 * text_scale);
      *natural = (int) ceil (560 * text_scale);
    }
  else
    {
      *minimum = (int) ceil (200 * text_scale);
      *natural = (int) ceil (300 * text_scale);
    }
}

/* ------------------------------------------------------------------------ */
/* The history                                                              */

static void
recompute (SgSpeedupChart *self)
{
  g_clear_pointer (&self->speedup, sg_speedup_free);
  if (self->history != NULL)
    self->speedup = sg_run_history_compute_speedup (self->history);
  gtk_widget_queue_draw (GTK_WIDGET (self));

  {
    g_autofree char *description = sg_speedup_chart_describe (self);

    gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description, -1);
  }
}

static void
on_items_changed (GListModel     *model,
                  guint           position,
                  guint           removed,
                  guint           added,
                  SgSpeedupChart *self)
{
  recompute (self);
}

SgRunHistory *
sg_speedup_chart_get_history (SgSpeedupChart *self)
{
  g_return_val_if_fail (SG_IS_SPEEDUP_CHART (self), NULL);
  return self->history;
}

void
sg_speedup_chart_set_history (SgSpeedupChart *self,
                              SgRunHistory   *history)
{
  g_return_if_fail (SG_IS_SPEEDUP_CHART (self));
  g_return_if_fail (history == NULL || SG_IS_RUN_HISTORY (history));

  if (self->history == history)
    return;

  if (self->history != NULL)
    g_clear_signal_handler (&self->items_changed_id, self->history);
  g_set_object (&self->history, history);
  if (history != NULL)
    self->items_changed_id = g_signal_connect (history, "items-changed",
                                               G_CALLBACK (on_items_changed), self);
  recompute (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HISTORY]);
}

const SgSpeedup *
sg_speedup_chart_get_speedup (SgSpeedupChart *self)
{
  g_return_val_if_fail (SG_IS_SPEEDUP_CHART (self), NULL);
  return self->speedup;
}

char *
sg_speedup_chart_describe (SgSpeedupChart *self)
{
  SgSpeedup *speedup;
  const char *strategy;
  g_autofree char *series = NULL;

  g_return_val_if_fail (SG_IS_SPEEDUP_CHART (self), NULL);

  speedup = self->speedup;
  if (speedup == NULL || (speedup->points->len == 0 && speedup->baseline == NULL))
    return g_strdup (_("Every run without the cache, with no failures, adds a column"));

  if (g_strcmp0 (speedup->strategy, "sequential") == 0)
    return g_strdup (_("Only sequential runs so far: run with a few processes to compare"));

  strategy = g_strcmp0 (speedup->strategy, "chunks") == 0 ? _("Chunks (like Pool.map)")
                                                           : _("Queue");
  /* Translators: "Queue, 4 transfers per process" */
  series = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s, %u transfer per process",
                                         "%s, %u transfers per process", speedup->in_flight),
                            strategy, speedup->in_flight);
  if (speedup->baseline == NULL)
    /* Translators: %s is the series, e.g. "Queue, 4 transfers per process" */
    return g_strdup_printf (_("%s. No baseline yet: run sequentially or with one process"), series);
  if (speedup->baseline_is_sequential)
    {
      g_autofree char *seconds = format_duration (sg_run_record_get_wall_ms (speedup->baseline));

      /* Translators: "Queue, 4 transfers per process, against the sequential run (31.2 s)" */
      return g_strdup_printf (_("%s, against the sequential run (%s)"), series, seconds);
    }
  /* Translators: "Queue, 4 transfers per process, against its 1-process run" */
  return g_strdup_printf (_("%s, against its 1-process run"), series);
}

/* ------------------------------------------------------------------------ */
/* GObject                                                                  */

static void
sg_speedup_chart_dispose (GObject *object)
{
  SgSpeedupChart *self = SG_SPEEDUP_CHART (object);

  if (self->history != NULL)
    g_clear_signal_handler (&self->items_changed_id, self->history);
  g_clear_object (&self->history);
  g_clear_pointer (&self->speedup, sg_speedup_free);

  G_OBJECT_CLASS (sg_speedup_chart_parent_class)->dispose (object);
}

static void
sg_speedup_chart_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  SgSpeedupChart *self = SG_SPEEDUP_CHART (object);

  switch (prop_id)
    {
    case PROP_HISTORY:
      g_value_set_object (value, self->history);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sg_speedup_chart_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  SgSpeedupChart *self = SG_SPEEDUP_CHART (object);

  switch (prop_id)
    {
    case PROP_HISTORY:
      sg_speedup_chart_set_history (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sg_speedup_chart_class_init (SgSpeedupChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sg_speedup_chart_dispose;
  object_class->get_property = sg_speedup_chart_get_property;
  object_class->set_property = sg_speedup_chart_set_property;

  widget_class->snapshot = sg_speedup_chart_snapshot;
  widget_class->measure = sg_speedup_chart_measure;

  properties[PROP_HISTORY] =
    g_param_spec_object ("history", NULL, NULL, SG_TYPE_RUN_HISTORY,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "speedupchart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
sg_speedup_chart_init (SgSpeedupChart *self)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Wall time and speed-up by number of processes"), -1);
}

GtkWidget *
sg_speedup_chart_new (void)
{
  return g_object_new (SG_TYPE_SPEEDUP_CHART, NULL);
}
