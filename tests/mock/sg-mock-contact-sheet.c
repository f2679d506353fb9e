/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * sg-mock-contact-sheet: draws the generated creatures side by side into one
 * PNG, to look at them (front, shiny, back and back shiny per creature):
 *
 *   sg-mock-contact-sheet sheet.png [FIRST [COUNT]]
 */
#define G_LOG_DOMAIN "sg-mock-contact-sheet"

#include "config.h"

#include <cairo.h>
#include <stdlib.h>
#include <string.h>

#include "sg-mock-api.h"

#define CELL 96
#define LABEL 14
#define COLUMNS 5

typedef struct {
  const guint8 *data;
  gsize         len;
  gsize         pos;
} Reader;

static cairo_status_t
read_bytes (void          *closure,
            unsigned char *data,
            unsigned int   length)
{
  Reader *r = closure;

  if (r->len - r->pos < length)
    return CAIRO_STATUS_READ_ERROR;
  memcpy (data, r->data + r->pos, length);
  r->pos += length;
  return CAIRO_STATUS_SUCCESS;
}

int
main (int   argc,
      char *argv[])
{
  guint first = argc > 2 ? (guint) strtoul (argv[2], NULL, 10) : 1;
  guint count = argc > 3 ? (guint) strtoul (argv[3], NULL, 10) : 30;
  guint rows;
  int width, height;
  cairo_surface_t *sheet;
  cairo_t *cr;
  cairo_status_t status;

  if (argc < 2 || first == 0 || count == 0 || count > 1000)
    {
      g_printerr ("usage: sg-mock-contact-sheet OUT.png [FIRST [COUNT]]\n");
      return 2;
    }

  rows = (count + COLUMNS - 1) / COLUMNS;
  width = COLUMNS * (4 * CELL + 8);
  height = (int) rows * (CELL + LABEL + 6);
  sheet = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  cr = cairo_create (sheet);
  /* a light checkerboard shows off the transparency */
  for (int y = 0; y < height; y += 8)
    for (int x = 0; x < width; x += 8)
      {
        double v = ((x / 8 + y / 8) % 2) ? 0.93 : 0.97;

        cairo_set_source_rgb (cr, v, v, v);
        cairo_rectangle (cr, x, y, 8, 8);
        cairo_fill (cr);
      }

  for (guint i = 0; i < count; i++)
    {
      guint id = first + i;
      int x0 = (int) (i % COLUMNS) * (4 * CELL + 8);
      int y0 = (int) (i / COLUMNS) * (CELL + LABEL + 6);
      g_autofree char *name = sg_mock_api_creature_name (id);
      g_autofree char *label = g_strdup_printf ("#%u %s", id, name);

      for (int v = 0; v < 4; v++)
        {
          g_autoptr(GBytes) png = sg_mock_api_draw_sprite (id, v % 2 == 1, v >= 2);
          Reader reader = { 0 };
          cairo_surface_t *sprite;

          reader.data = g_bytes_get_data (png, &reader.len);
          sprite = cairo_image_surface_create_from_png_stream (read_bytes, &reader);
          cairo_set_source_surface (cr, sprite, x0 + v * CELL, y0);
          cairo_paint (cr);
          cairo_surface_destroy (sprite);
        }
      cairo_set_source_rgb (cr, 0.2, 0.2, 0.2);
      cairo_move_to (cr, x0 + 4, y0 + CELL + LABEL - 2);
      cairo_set_font_size (cr, 12);
      cairo_show_text (cr, label);
    }

  cairo_destroy (cr);
  status = cairo_surface_write_to_png (sheet, argv[1]);
  cairo_surface_destroy (sheet);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_printerr ("sg-mock-contact-sheet: %s: %s\n", argv[1], cairo_status_to_string (status));
      return 1;
    }
  return 0;
}
