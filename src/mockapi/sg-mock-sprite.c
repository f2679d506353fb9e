/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sg-mock-sprite"

#include "config.h"

#include <cairo.h>
#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "sg-mock-creatures.h"
#include "sg-mock-sprite.h"

/*
 * A creature is painted on a GRID x GRID board of "cells" (one cell = SCALE
 * pixels, which gives the chunky look of old handheld sprites), left half
 * first, then mirrored. Every choice comes from sg_mock_hash (id, salt).
 */
#define GRID  32
#define SCALE (SG_MOCK_SPRITE_SIZE / GRID)
#define MID   (GRID / 2)

typedef enum {
  CELL_EMPTY,
  CELL_BODY,
  CELL_ACCENT,     /* spots, stripes, ear tips, crest */
  CELL_BELLY,
  CELL_EYE,
  CELL_SHINE,      /* the white glint in an eye */
  CELL_MOUTH,
  CELL_CHEEK,
  CELL_OUTLINE,
  CELL_EXTRA,      /* horns, claws, beak: a fixed light or dark tone */
} Cell;

typedef struct {
  double r, g, b;
} Rgb;

typedef struct {
  Rgb body, body_light, body_dark;
  Rgb accent, accent_dark;
  Rgb belly;
  Rgb outline;
  Rgb eye, shine, mouth, cheek, extra;
} Palette;

typedef struct {
  guint8 cells[GRID][GRID];
  guint  id;
} Board;

/* Each type has a home hue (degrees) so that the gallery reads well: fire
 * creatures are warm, water ones blue, and so on. */
static const double type_hues[SG_MOCK_N_TYPES] = {
  35,   /* normal: tan */
  15,   /* fighting */
  200,  /* flying */
  285,  /* poison */
  30,   /* ground */
  40,   /* rock */
  85,   /* bug */
  265,  /* ghost */
  210,  /* steel */
  12,   /* fire */
  210,  /* water */
  115,  /* grass */
  52,   /* electric */
  320,  /* psychic */
  185,  /* ice */
  245,  /* dragon */
  250,  /* dark */
  335,  /* fairy */
};
static const double type_saturation[SG_MOCK_N_TYPES] = {
  0.35, 0.55, 0.45, 0.5, 0.45, 0.25, 0.6, 0.4, 0.15, 0.8, 0.7, 0.6,
  0.9, 0.6, 0.5, 0.6, 0.3, 0.6,
};

static Rgb
hsl (double h,
     double s,
     double l)
{
  double c, x, m, r = 0, g = 0, b = 0;

  h = fmod (fmod (h, 360.0) + 360.0, 360.0);
  s = CLAMP (s, 0.0, 1.0);
  l = CLAMP (l, 0.0, 1.0);
  c = (1.0 - fabs (2.0 * l - 1.0)) * s;
  x = c * (1.0 - fabs (fmod (h / 60.0, 2.0) - 1.0));
  m = l - c / 2.0;

  if (h < 60)       { r = c; g = x; }
  else if (h < 120) { r = x; g = c; }
  else if (h < 180) { g = c; b = x; }
  else if (h < 240) { g = x; b = c; }
  else if (h < 300) { r = x; b = c; }
  else              { r = c; b = x; }

  return (Rgb) { r + m, g + m, b + m };
}

static double
frac (guint id,
      guint salt)
{
  return (sg_mock_hash (id, salt) & 0xffff) / 65535.0;
}

static void
make_palette (guint    id,
              gboolean shiny,
              Palette *p)
{
  int type, second;
  double hue, sat, light, accent_hue;

  sg_mock_creature_types (id, &type, &second);
  hue = type_hues[type] + (frac (id, 200) - 0.5) * 40.0;
  sat = type_saturation[type] + (frac (id, 201) - 0.5) * 0.2;
  light = 0.52 + (frac (id, 202) - 0.5) * 0.16;

  /* The accent comes from the second type if any, else a harmony. */
  if (second >= 0)
    accent_hue = type_hues[second];
  else
    accent_hue = hue + (frac (id, 203) < 0.5 ? 35.0 : 180.0);

  if (shiny)
    {
      /* A shiny is the same creature in another colour scheme. */
      hue += 120.0 + frac (id, 204) * 120.0;
      accent_hue += 150.0;
      sat = MAX (sat, 0.45);
    }

  p->body = hsl (hue, sat, light);
  p->body_light = hsl (hue - 8, sat, light + 0.14);
  p->body_dark = hsl (hue + 10, sat + 0.05, light - 0.16);
  p->accent = hsl (accent_hue, MAX (0.5, sat), 0.5);
  p->accent_dark = hsl (accent_hue + 10, MAX (0.5, sat), 0.36);
  p->belly = hsl (hue + 20, 0.55, 0.86);
  p->outline = hsl (hue + 15, MIN (0.6, sat + 0.1), 0.14);
  p->eye = hsl (hue, 0.3, 0.1);
  p->shine = (Rgb) { 1.0, 1.0, 1.0 };
  p->mouth = hsl (350, 0.5, 0.25);
  p->cheek = hsl (350, 0.8, 0.72);
  p->extra = frac (id, 205) < 0.5 ? hsl (45, 0.4, 0.92) : hsl (hue, 0.25, 0.25);
}

/* Shapes, on the left half (x < MID); the board is mirrored afterwards. */

static void
set_cell (Board *bd,
          int    x,
          int    y,
          Cell   c)
{
  if (x >= 0 && x < MID && y >= 0 && y < GRID)
    bd->cells[y][x] = c;
}

/* An ellipse centred on the vertical axis shifted by @dx (cells). */
static void
ellipse (Board  *bd,
         double  cx,
         double  cy,
         double  rx,
         double  ry,
         Cell    c,
         gboolean only_filled)
{
  for (int y = 0; y < GRID; y++)
    for (int x = 0; x < MID; x++)
      {
        double ex = (x + 0.5 - cx) / rx;
        double ey = (y + 0.5 - cy) / ry;

        if (ex * ex + ey * ey > 1.0)
          continue;
        if (only_filled && bd->cells[y][x] == CELL_EMPTY)
          continue;
        bd->cells[y][x] = c;
      }
}

static gboolean
in_triangle (double px, double py,
             double ax, double ay,
             double bx, double by,
             double cx, double cy)
{
  double d1 = (px - bx) * (ay - by) - (ax - bx) * (py - by);
  double d2 = (px - cx) * (by - cy) - (bx - cx) * (py - cy);
  double d3 = (px - ax) * (cy - ay) - (cx - ax) * (py - ay);
  gboolean neg = d1 < 0 || d2 < 0 || d3 < 0;
  gboolean pos = d1 > 0 || d2 > 0 || d3 > 0;

  return !(neg && pos);
}

static void
triangle (Board  *bd,
          double  ax, double ay,
          double  bx, double by,
          double  cx, double cy,
          Cell    c)
{
  for (int y = 0; y < GRID; y++)
    for (int x = 0; x < MID; x++)
      if (in_triangle (x + 0.5, y + 0.5, ax, ay, bx, by, cx, cy))
        bd->cells[y][x] = c;
}

static void
rect (Board *bd,
      int    x0,
      int    y0,
      int    w,
      int    h,
      Cell   c)
{
  for (int y = y0; y < y0 + h; y++)
    for (int x = x0; x < x0 + w; x++)
      set_cell (bd, x, y, c);
}

typedef struct {
  int    archetype;
  double head_cy, head_rx, head_ry;     /* the head, or the whole body of a blob */
  double body_cy, body_rx, body_ry;
  double top;                           /* topmost body row, for ears */
  double eye_y, eye_x;                  /* eye centre, left eye */
  int    eye_size;
} Plan;

/* Body plans. */
enum {
  PLAN_BLOB,        /* one round body, face on it */
  PLAN_CHIBI,       /* big head on a small body with feet */
  PLAN_BIRD,        /* round body, wings, beak */
  PLAN_BEAST,       /* wide body on four stubby legs, head on top */
  PLAN_GHOST,       /* round top, wavy skirt */
  N_PLANS
};

static void
draw_silhouette (Board *bd,
                 Plan  *pl)
{
  guint id = bd->id;
  double base = GRID - 2.0;   /* feet rest here, leaving room for the outline */

  switch (pl->archetype)
    {
    case PLAN_BLOB:
      pl->head_rx = 8.5 + frac (id, 10) * 4.0;
      pl->head_ry = 7.0 + frac (id, 11) * 3.0;
      pl->head_cy = base - pl->head_ry;
      ellipse (bd, MID, pl->head_cy, pl->head_rx, pl->head_ry, CELL_BODY, FALSE);
      /* little feet */
      rect (bd, MID - (int) (pl->head_rx * 0.6) - 1, (int) base - 1, 3, 1, CELL_BODY);
      pl->top = pl->head_cy - pl->head_ry;
      pl->eye_y = pl->head_cy - pl->head_ry * 0.15;
      pl->eye_x = MID - 2.5 - frac (id, 12) * pl->head_rx * 0.35;
      break;

    case PLAN_CHIBI:
      pl->body_rx = 4.5 + frac (id, 10) * 2.5;
      pl->body_ry = 4.5 + frac (id, 11) * 1.5;
      pl->body_cy = base - 1.5 - pl->body_ry;
      pl->head_rx = 7.5 + frac (id, 13) * 3.0;
      pl->head_ry = 6.0 + frac (id, 14) * 2.0;
      pl->head_cy = pl->body_cy - pl->body_ry - pl->head_ry * 0.55;
      ellipse (bd, MID, pl->body_cy, pl->body_rx, pl->body_ry, CELL_BODY, FALSE);
      /* feet and arms */
      rect (bd, MID - (int) pl->body_rx, (int) base - 2, 3, 2, CELL_BODY);
      ellipse (bd, MID - pl->body_rx + 0.2, pl->body_cy - 0.5, 1.8, 1.4, CELL_BODY, FALSE);
      ellipse (bd, MID, pl->head_cy, pl->head_rx, pl->head_ry, CELL_BODY, FALSE);
      pl->top = pl->head_cy - pl->head_ry;
      pl->eye_y = pl->head_cy + 0.5;
      pl->eye_x = MID - 2.5 - frac (id, 12) * pl->head_rx * 0.3;
      break;

    case PLAN_BIRD:
      pl->head_rx = 6.5 + frac (id, 10) * 2.5;
      pl->head_ry = 7.0 + frac (id, 11) * 2.0;
      pl->head_cy = base - 1.5 - pl->head_ry;
      /* wings: a triangle fanning out from the shoulder */
      triangle (bd, MID - 2, pl->head_cy - 2,
                MID - pl->head_rx - 4 - frac (id, 15) * 3, pl->head_cy - 4 - frac (id, 16) * 4,
                MID - pl->head_rx + 1, pl->head_cy + pl->head_ry * 0.6, CELL_ACCENT);
      ellipse (bd, MID, pl->head_cy, pl->head_rx, pl->head_ry, CELL_BODY, FALSE);
      /* feet */
      rect (bd, MID - 3, (int) base - 2, 1, 2, CELL_EXTRA);
      rect (bd, MID - 4, (int) base - 1, 3, 1, CELL_EXTRA);
      pl->top = pl->head_cy - pl->head_ry;
      pl->eye_y = pl->head_cy - pl->head_ry * 0.3;
      pl->eye_x = MID - 2.5 - frac (id, 12) * 1.5;
      break;

    case PLAN_BEAST:
      pl->body_rx = 9.0 + frac (id, 10) * 3.0;
      pl->body_ry = 4.5 + frac (id, 11) * 1.5;
      pl->body_cy = base - 2.5 - pl->body_ry;
      pl->head_rx = 6.0 + frac (id, 13) * 2.0;
      pl->head_ry = 5.0 + frac (id, 14) * 1.5;
      pl->head_cy = pl->body_cy - pl->body_ry - pl->head_ry * 0.35;
      /* legs */
      rect (bd, MID - (int) pl->body_rx + 1, (int) (pl->body_cy + 1), 3, (int) (base - pl->body_cy - 1), CELL_BODY);
      rect (bd, MID - 5, (int) (pl->body_cy + 1), 3, (int) (base - pl->body_cy - 1), CELL_BODY);
      ellipse (bd, MID, pl->body_cy, pl->body_rx, pl->body_ry, CELL_BODY, FALSE);
      ellipse (bd, MID, pl->head_cy, pl->head_rx, pl->head_ry, CELL_BODY, FALSE);
      pl->top = pl->head_cy - pl->head_ry;
      pl->eye_y = pl->head_cy;
      pl->eye_x = MID - 2.5 - frac (id, 12) * 1.2;
      break;

    case PLAN_GHOST:
    default:
      pl->head_rx = 7.5 + frac (id, 10) * 3.0;
      pl->head_ry = 7.5 + frac (id, 11) * 2.0;
      pl->head_cy = base - 4 - pl->head_ry * 0.8;
      ellipse (bd, MID, pl->head_cy, pl->head_rx, pl->head_ry, CELL_BODY, FALSE);
      rect (bd, MID - (int) pl->head_rx, (int) pl->head_cy, (int) pl->head_rx, (int) (base - 1 - pl->head_cy), CELL_BODY);
      /* a wavy hem: notches along the bottom */
      for (int x = MID - (int) pl->head_rx; x < MID; x++)
        if (((MID - x) / 2) % 2 == 1)
          set_cell (bd, x, (int) base - 2, CELL_EMPTY);
      /* little arms */
      ellipse (bd, MID - pl->head_rx, pl->head_cy + 2, 2.0, 1.5, CELL_BODY, FALSE);
      pl->top = pl->head_cy - pl->head_ry;
      pl->eye_y = pl->head_cy;
      pl->eye_x = MID - 2.5 - frac (id, 12) * 1.5;
      break;
    }
}

static void
draw_ears (Board *bd,
           Plan  *pl)
{
  guint id = bd->id;
  double top = pl->top + 1.0;
  double ear_x = MID - 2.5 - frac (id, 30) * (pl->head_rx * 0.5);
  int kind = sg_mock_hash (id, 31) % 7;
  double h = 3.0 + frac (id, 32) * 4.0;

  switch (kind)
    {
    case 0: /* pointy ears with coloured tips */
      triangle (bd, ear_x - 2.5, top + 2, ear_x + 2.5, top + 2, ear_x - 1, top - h, CELL_BODY);
      triangle (bd, ear_x - 1.6, top - h * 0.45, ear_x + 0.6, top - h * 0.45, ear_x - 1, top - h, CELL_ACCENT);
      break;
    case 1: /* round ears */
      ellipse (bd, ear_x - 1, top - 1, 2.6, 2.6, CELL_BODY, FALSE);
      ellipse (bd, ear_x - 1, top - 1, 1.2, 1.2, CELL_ACCENT, FALSE);
      break;
    case 2: /* long floppy ears */
      ellipse (bd, ear_x - 0.5, top - h * 0.6, 1.8, h * 0.9, CELL_BODY, FALSE);
      break;
    case 3: /* small horns */
      triangle (bd, ear_x - 1.5, top + 1, ear_x + 1.5, top + 1, ear_x - 1.5, top - h * 0.7, CELL_EXTRA);
      break;
    case 4: /* antenna with a bobble */
      rect (bd, (int) ear_x, (int) (top - h), 1, (int) h + 1, CELL_OUTLINE);
      ellipse (bd, ear_x + 0.5, top - h - 0.5, 1.5, 1.5, CELL_ACCENT, FALSE);
      break;
    case 5: /* a central crest / sprout */
      triangle (bd, MID - 2, top + 1, MID + 0.01, top + 1, MID, top - h, CELL_ACCENT);
      triangle (bd, MID - 4, top + 1, MID - 1, top, MID - 4, top - h * 0.6, CELL_ACCENT);
      break;
    default: /* no ears */
      break;
    }
}

static void
draw_markings (Board   *bd,
               Plan    *pl,
               gboolean back)
{
  guint id = bd->id;
  int kind = sg_mock_hash (id, 40) % 4;

  if (!back && sg_mock_hash (id, 41) % 3 != 0)
    {
      /* a pale belly / face patch */
      double cy = pl->archetype == PLAN_BLOB || pl->archetype == PLAN_GHOST || pl->archetype == PLAN_BIRD
                  ? pl->head_cy + pl->head_ry * 0.45 : pl->body_cy;
      double rx = (pl->archetype == PLAN_BLOB || pl->archetype == PLAN_GHOST || pl->archetype == PLAN_BIRD
                   ? pl->head_rx : pl->body_rx) * 0.55;

      ellipse (bd, MID, cy, rx, rx * 0.75, CELL_BELLY, TRUE);
    }

  switch (kind)
    {
    case 0: /* spots on the sides */
      for (int i = 0; i < 3; i++)
        {
          int x = MID - 3 - (int) (frac (id, 42 + i) * pl->head_rx);
          int y = (int) (pl->head_cy - pl->head_ry * 0.6 + frac (id, 45 + i) * pl->head_ry * 1.4);

          if (x >= 0 && x < MID && y >= 0 && y < GRID && bd->cells[y][x] == CELL_BODY)
            {
              set_cell (bd, x, y, CELL_ACCENT);
              if (x + 1 < MID && bd->cells[y][x + 1] == CELL_BODY)
                set_cell (bd, x + 1, y, CELL_ACCENT);
            }
        }
      break;
    case 1: /* stripes on the forehead / back */
      for (int y = (int) pl->top + 1; y < (int) pl->top + 6; y += 2)
        for (int x = MID - 3; x < MID; x++)
          if (bd->cells[y][x] == CELL_BODY)
            bd->cells[y][x] = CELL_ACCENT;
      break;
    default:
      break;
    }
}

static void
draw_face (Board *bd,
           Plan  *pl)
{
  guint id = bd->id;
  int ex = (int) pl->eye_x;
  int ey = (int) pl->eye_y;
  int size = pl->eye_size;
  int mouth = sg_mock_hash (id, 50) % 4;

  /* eyes: a dark block, taller than wide, with a glint added after mirroring */
  rect (bd, ex - size + 1, ey - size, size, size + 1, CELL_EYE);

  if (sg_mock_hash (id, 51) % 2 == 0)
    rect (bd, ex - size - 1, ey + 2, 2, 1, CELL_CHEEK);

  switch (mouth)
    {
    case 0: /* small smile */
      set_cell (bd, MID - 2, ey + 2, CELL_MOUTH);
      set_cell (bd, MID - 1, ey + 3, CELL_MOUTH);
      break;
    case 1: /* "w" cat mouth */
      set_cell (bd, MID - 2, ey + 2, CELL_MOUTH);
      set_cell (bd, MID - 1, ey + 3, CELL_MOUTH);
      set_cell (bd, MID - 3, ey + 3, CELL_MOUTH);
      break;
    case 2: /* open mouth */
      rect (bd, MID - 1, ey + 2, 1, 2, CELL_MOUTH);
      break;
    default: /* beak / snout */
      triangle (bd, MID - 2, ey + 1, MID + 0.01, ey + 1, MID, ey + 4, CELL_EXTRA);
      break;
    }
}

static void
mirror (Board *bd)
{
  for (int y = 0; y < GRID; y++)
    for (int x = 0; x < MID; x++)
      bd->cells[y][GRID - 1 - x] = bd->cells[y][x];
}

static void
add_outline (Board *bd)
{
  guint8 copy[GRID][GRID];

  memcpy (copy, bd->cells, sizeof copy);
  for (int y = 0; y < GRID; y++)
    for (int x = 0; x < GRID; x++)
      {
        if (copy[y][x] != CELL_EMPTY)
          continue;
        /* 4-neighbourhood: a 1-cell line that follows the silhouette */
        if ((x > 0 && copy[y][x - 1] != CELL_EMPTY && copy[y][x - 1] != CELL_OUTLINE) ||
            (x < GRID - 1 && copy[y][x + 1] != CELL_EMPTY && copy[y][x + 1] != CELL_OUTLINE) ||
            (y > 0 && copy[y - 1][x] != CELL_EMPTY && copy[y - 1][x] != CELL_OUTLINE) ||
            (y < GRID - 1 && copy[y + 1][x] != CELL_EMPTY && copy[y + 1][x] != CELL_OUTLINE))
          bd->cells[y][x] = CELL_OUTLINE;
      }
}

static Rgb
cell_colour (const Board   *bd,
             const Palette *p,
             int            x,
             int            y)
{
  Cell c = bd->cells[y][x];
  gboolean edge_above = y == 0 || bd->cells[y - 1][x] == CELL_OUTLINE || bd->cells[y - 1][x] == CELL_EMPTY;
  gboolean edge_below = y == GRID - 1 || bd->cells[y + 1][x] == CELL_OUTLINE;

  switch (c)
    {
    case CELL_BODY:
      /* rim light on top, shade underneath: reads as a round body */
      if (edge_above)
        return p->body_light;
      if (edge_below || (y + 2 < GRID && bd->cells[y + 2][x] == CELL_OUTLINE))
        return p->body_dark;
      return p->body;
    case CELL_ACCENT:
      return edge_below ? p->accent_dark : p->accent;
    case CELL_BELLY:
      return p->belly;
    case CELL_EYE:
      return p->eye;
    case CELL_SHINE:
      return p->shine;
    case CELL_MOUTH:
      return p->mouth;
    case CELL_CHEEK:
      return p->cheek;
    case CELL_EXTRA:
      return p->extra;
    case CELL_OUTLINE:
    case CELL_EMPTY:
    default:
      return p->outline;
    }
}

static cairo_status_t
write_png_chunk (void                *closure,
                 const unsigned char *data,
                 unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

GBytes *
sg_mock_sprite_draw (guint    id,
                     gboolean shiny,
                     gboolean back)
{
  Board bd = { .id = id };
  Plan pl = { 0 };
  Palette pal;
  cairo_surface_t *surface;
  cairo_t *cr;
  GByteArray *png;
  cairo_status_t status;

  make_palette (id, shiny, &pal);

  pl.archetype = sg_mock_hash (id, 1) % N_PLANS;
  pl.eye_size = 2 + sg_mock_hash (id, 2) % 2;
  draw_ears (&bd, &pl);
  draw_silhouette (&bd, &pl);
  /* ears were drawn before the plan set the top: draw again now it is known */
  memset (bd.cells, 0, sizeof bd.cells);
  draw_ears (&bd, &pl);
  draw_silhouette (&bd, &pl);
  draw_markings (&bd, &pl, back);
  if (!back)
    draw_face (&bd, &pl);
  mirror (&bd);
  add_outline (&bd);

  if (!back)
    {
      /* the glint, top-left in both eyes, as light comes from one side */
      int ex = (int) pl.eye_x - pl.eye_size + 1;
      int ey = (int) pl.eye_y - pl.eye_size;

      bd.cells[ey][ex] = CELL_SHINE;
      bd.cells[ey][GRID - 1 - ex - (pl.eye_size - 1)] = CELL_SHINE;
    }

  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, SG_MOCK_SPRITE_SIZE, SG_MOCK_SPRITE_SIZE);
  cr = cairo_create (surface);
  cairo_set_antialias (cr, CAIRO_ANTIALIAS_NONE);
  for (int y = 0; y < GRID; y++)
    for (int x = 0; x < GRID; x++)
      {
        Rgb c;

        if (bd.cells[y][x] == CELL_EMPTY)
          continue;
        c = cell_colour (&bd, &pal, x, y);
        cairo_set_source_rgb (cr, c.r, c.g, c.b);
        cairo_rectangle (cr, x * SCALE, y * SCALE, SCALE, SCALE);
        cairo_fill (cr);
      }
  cairo_destroy (cr);

  png = g_byte_array_sized_new (2048);
  status = cairo_surface_write_to_png_stream (surface, write_png_chunk, png);
  cairo_surface_destroy (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    g_error ("Could not encode a sprite: %s", cairo_status_to_string (status));

  return g_byte_array_free_to_bytes (png);
}
