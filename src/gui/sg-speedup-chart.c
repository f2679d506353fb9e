/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sg-speedup-chart"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "sg-snapshot-util.h"
#include "sg-speedup-chart.h"

/* Room around the plot, in logical pixels. */
#define MARGIN_LEFT    64.0
#define MARGIN_RIGHT   64.0
#define MARGIN_TOP     40.0
#define MARGIN_BOTTOM  68.0

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

  sg_layout_set_chart_attributes (ctx->layout, small, bold);
  pango_layout_set_text (ctx->layout, text, -1);
  pango_layout_get_pixel_size (ctx->layout, &w, &h);
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

static void
sg_speedup_chart_snapshot (GtkWidget   *widget,
                           GtkSnapshot *snapshot)
{
  SgSpeedupChart *self = SG_SPEEDUP_CHART (widget);
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, NULL);
  g_autoptr(GArray) columns = columns_of (self->speedup);
  GtkStyleContext *context = gtk_widget_get_style_context (widget);
  double width = gtk_widget_get_width (widget);
  double height = gtk_widget_get_height (widget);
  double plot_x = MARGIN_LEFT, plot_y = MARGIN_TOP;
  double plot_w = MAX (1, width - MARGIN_LEFT - MARGIN_RIGHT);
  double plot_h = MAX (1, height - MARGIN_TOP - MARGIN_BOTTOM);
  double max_wall = 0, max_speedup = 1, column_w, wall_step, speedup_step;
  int n_steps;
  GdkRGBA grid, bar, bar_baseline, dim;
  gboolean have_speedup = FALSE;
  Ctx ctx = { snapshot, layout };

  gtk_style_context_get_color (context, &ctx.fg);
  if (!gtk_style_context_lookup_color (context, "accent_color", &ctx.accent))
    gdk_rgba_parse (&ctx.accent, "#1c71d8");
  grid = sg_rgba_with_alpha (&ctx.fg, 0.1);
  bar = sg_rgba_with_alpha (&ctx.accent, 0.22);
  bar_baseline = sg_rgba_with_alpha (&ctx.fg, 0.18);
  dim = sg_rgba_with_alpha (&ctx.fg, 0.65);

  if (columns->len == 0)
    {
      draw_empty (&ctx, width, height);
      return;
    }

  for (guint i = 0; i < columns->len; i++)
    {
      const Column *column = &g_array_index (columns, Column, i);

      max_wall = MAX (max_wall, column->wall_ms);
      if (!isnan (column->speedup))
        {
          max_speedup = MAX (max_speedup, column->speedup);
          have_speedup = TRUE;
        }
    }
  /* Both axes share the grid: as many round steps on each. */
  wall_step = nice_step (max_wall / 1000);
  speedup_step = nice_step (max_speedup);
  n_steps = (int) MAX (ceil (max_wall / 1000 / wall_step - 1e-9), ceil (max_speedup / speedup_step - 1e-9));
  n_steps = MAX (n_steps, 1);
  max_wall = wall_step * n_steps * 1000;
  max_speedup = speedup_step * n_steps;
  column_w = plot_w / columns->len;

  for (int i = 0; i <= n_steps; i++)
    {
      double y = plot_y + plot_h - plot_h * i / n_steps;
      g_autofree char *wall = g_strdup_printf (_("%g s"), wall_step * i);

      sg_snapshot_append_rect (snapshot, plot_x, round (y), plot_w, 1, &grid);
      append_text (&ctx, wall, plot_x - 8, y, 1, 0.5, &dim, TRUE, FALSE);
      if (have_speedup)
        {
          /* Translators: a speed-up factor on the chart's axis, e.g. "×2" */
          g_autofree char *factor = g_strdup_printf (_("×%g"), speedup_step * i);

          append_text (&ctx, factor, plot_x + plot_w + 8, y, 0, 0.5, &ctx.accent, TRUE, FALSE);
        }
    }

  /* Wall time: a bar per column, its value on top. */
  for (guint i = 0; i < columns->len; i++)
    {
      const Column *column = &g_array_index (columns, Column, i);
      double h = plot_h * column->wall_ms / max_wall;
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
      append_text (&ctx, column->label, x + bar_w / 2, plot_y + plot_h + 6, 0.5, 0, &ctx.fg,
                   FALSE, column->baseline);
      append_text (&ctx, seconds, x + bar_w / 2, plot_y + plot_h + 26, 0.5, 0, &dim, TRUE, FALSE);
    }

  /* Speed-up: a line through the columns, the factor beside each dot. */
  if (have_speedup)
    {
      double prev_x = -1, prev_y = -1;
      double one_y = plot_y + plot_h - plot_h / max_speedup;
      GdkRGBA faint = sg_rgba_with_alpha (&ctx.accent, 0.5);

      /* The baseline's level, ×1, dashed across the plot. */
      for (double x = plot_x; x < plot_x + plot_w; x += 9)
        sg_snapshot_append_rect (snapshot, x, round (one_y), MIN (5, plot_x + plot_w - x), 1,
                                 &faint);

      for (guint i = 0; i < columns->len; i++)
        {
          const Column *column = &g_array_index (columns, Column, i);
          double x = plot_x + column_w * (i + 0.5);
          double y;

          if (isnan (column->speedup))
            continue;
          y = plot_y + plot_h - plot_h * column->speedup / max_speedup;
          if (prev_x >= 0)
            sg_snapshot_append_line (snapshot, prev_x, prev_y, x, y, 2.5, &ctx.accent);
          prev_x = x;
          prev_y = y;
        }

      for (guint i = 0; i < columns->len; i++)
        {
          const Column *column = &g_array_index (columns, Column, i);
          double x = plot_x + column_w * (i + 0.5);
          double y;
          g_autofree char *factor = NULL;

          if (isnan (column->speedup))
            continue;
          y = plot_y + plot_h - plot_h * column->speedup / max_speedup;
          sg_snapshot_append_dot (snapshot, x, y, 5, &ctx.accent);
          /* Above and left of its dot: the line rises to the right. */
          factor = g_strdup_printf (_("×%.1f"), column->speedup);
          append_text (&ctx, factor, x - 6, y - 6, 1, 1, &ctx.accent, FALSE, TRUE);
        }
    }

  /* Axis titles and the legend. */
  append_text (&ctx, _("Number of processes"), plot_x + plot_w / 2, height - 4, 0.5, 1, &dim,
               TRUE, FALSE);
  append_text (&ctx, _("Wall time"), plot_x - 8, 8, 1, 0, &dim, TRUE, FALSE);
  if (have_speedup)
    append_text (&ctx, _("Speed-up"), plot_x + plot_w + 8, 8, 0, 0, &ctx.accent, TRUE, FALSE);
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
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 280;
      *natural = 560;
    }
  else
    {
      *minimum = 200;
      *natural = 300;
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
