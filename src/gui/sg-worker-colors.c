/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sg-worker-colors"

#include "config.h"

#include "sg-worker-colors.h"

/* Keep in step with .worker-N in style.css. */
static const struct {
  const char *css_class;
  const char *hex;
} palette[SG_WORKER_N_COLORS] = {
  { "worker-0", "#3584e4" }, /* blue 3 */
  { "worker-1", "#2ec27e" }, /* green 4 */
  { "worker-2", "#e5a50a" }, /* yellow 5 */
  { "worker-3", "#ff7800" }, /* orange 3 */
  { "worker-4", "#e01b24" }, /* red 3 */
  { "worker-5", "#9141ac" }, /* purple 3 */
  { "worker-6", "#986a44" }, /* brown 3 */
  { "worker-7", "#77767b" }, /* dark 1 */
};

static guint
index_of (int slot)
{
  return slot < 0 ? 0 : (guint) slot % SG_WORKER_N_COLORS;
}

const char *
sg_worker_color_css_class (int slot)
{
  return palette[index_of (slot)].css_class;
}

void
sg_worker_color_get_rgba (int      slot,
                          GdkRGBA *rgba)
{
  g_return_if_fail (rgba != NULL);

  if (!gdk_rgba_parse (rgba, palette[index_of (slot)].hex))
    g_assert_not_reached ();
}

void
sg_worker_color_apply (GtkWidget *widget,
                       int        slot)
{
  const char *wanted;

  g_return_if_fail (GTK_IS_WIDGET (widget));

  wanted = slot >= 0 ? sg_worker_color_css_class (slot) : NULL;

  /* The class it already has is left alone: taking it off and putting it
   * back restyled the widget, and a worker row applies its colour at every
   * change of its worker (thousands of times in a run). */
  for (guint i = 0; i < SG_WORKER_N_COLORS; i++)
    if (g_strcmp0 (palette[i].css_class, wanted) != 0)
      gtk_widget_remove_css_class (widget, palette[i].css_class);
  if (wanted != NULL)
    gtk_widget_add_css_class (widget, wanted);
}
