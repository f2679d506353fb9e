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
  CELL_EXTRA,      /* horns: a fixed light or dark tone */
  CELL_BEAK,       /* beaks, snouts, bird feet */
} Cell;

typedef struct {
  double r, g, b;
} Rgb;

typedef struct {
  Rgb body, body_light, body_dark;
  Rgb accent, accent_dark;
  Rgb belly;
  Rgb outline;
  Rgb eye, shine, mouth, cheek, extra, beak;
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
  p->beak = shiny ? hsl (20, 0.85, 0.55) : hsl (42, 0.9, 0.58);
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

/* Body plans. */
typedef enum {
  PLAN_BLOB,        /* one round body, the face on it */
  PLAN_CHIBI,       /* a big head on a small body, arms and feet */
  PLAN_BIRD,        /* round body, spread wings, a beak */
  PLAN_BEAST,       /* a wide body on stubby legs, the head on top */
  PLAN_GHOST,       /* round top, a wavy hem, little arms */
  PLAN_CRAB,        /* a flat body, raised claws, eyes on stalks */
  N_PLANS
} Archetype;

enum { EARS_POINTY, EARS_ROUND, EARS_FLOPPY, EARS_HORNS, EARS_ANTENNAE, EARS_SPROUT, EARS_NONE, N_EARS };
enum { MOUTH_SMILE, MOUTH_CAT, MOUTH_OPEN, MOUTH_FANGS, MOUTH_SNOUT, N_MOUTHS };
enum { MARK_NONE, MARK_SPOTS, MARK_STRIPES, N_MARKS };
enum { TAIL_NONE, TAIL_PUFF, TAIL_SPIKE, N_TAILS };

typedef struct {
  Archetype archetype;
  double    head_cy, head_rx, head_ry;  /* the head, or the whole of a one-piece body */
  double    body_cy, body_rx, body_ry;  /* the lower body of two-piece plans */
  double    top;                        /* topmost row of the head */
  int       eye_x, eye_y, eye_w, eye_h; /* the left eye's top-left cell and size */
  int       mouth_y;
  int       ears, mouth, marks, tail;
  double    ear_x, ear_h;
  gboolean  belly, cheeks;
} Plan;

#define BASE (GRID - 2.0)   /* feet rest on this row, leaving room for the outline */

static void
plan_creature (guint  id,
               Plan  *pl)
{
  pl->archetype = sg_mock_hash (id, 1) % N_PLANS;
  pl->eye_w = 2 + (sg_mock_hash (id, 2) % 3 == 0);
  pl->eye_h = pl->eye_w + (int) (sg_mock_hash (id, 3) % 2);
  pl->ears = sg_mock_hash (id, 31) % N_EARS;
  pl->mouth = sg_mock_hash (id, 50) % N_MOUTHS;
  pl->marks = sg_mock_hash (id, 40) % N_MARKS;
  pl->tail = sg_mock_hash (id, 60) % N_TAILS;
  pl->belly = sg_mock_hash (id, 41) % 3 != 0;
  pl->cheeks = sg_mock_hash (id, 51) % 2 == 0;
  pl->ear_h = 3.0 + frac (id, 32) * 4.0;

  switch (pl->archetype)
    {
    case PLAN_BLOB:
      pl->head_rx = 8.5 + frac (id, 10) * 3.5;
      pl->head_ry = 6.5 + frac (id, 11) * 3.0;
      pl->head_cy = BASE - pl->head_ry;
      pl->eye_y = (int) (pl->head_cy - pl->head_ry * 0.35);
      break;

    case PLAN_CHIBI:
      pl->body_rx = 4.5 + frac (id, 12) * 2.5;
      pl->body_ry = 4.0 + frac (id, 13) * 1.5;
      pl->body_cy = BASE - 1.5 - pl->body_ry;
      pl->head_rx = 7.5 + frac (id, 10) * 3.0;
      pl->head_ry = 5.5 + frac (id, 11) * 2.0;
      pl->head_cy = pl->body_cy - pl->body_ry - pl->head_ry * 0.5;
      pl->eye_y = (int) (pl->head_cy - pl->eye_h * 0.5);
      break;

    case PLAN_BIRD:
      pl->head_rx = 6.5 + frac (id, 10) * 2.5;
      pl->head_ry = 7.0 + frac (id, 11) * 2.0;
      pl->head_cy = BASE - 1.5 - pl->head_ry;
      pl->eye_y = (int) (pl->head_cy - pl->head_ry * 0.45);
      pl->mouth = MOUTH_SNOUT;   /* a beak */
      if (pl->ears == EARS_FLOPPY || pl->ears == EARS_ROUND)
        pl->ears = EARS_SPROUT;  /* a crest */
      break;

    case PLAN_BEAST:
      pl->body_rx = 9.0 + frac (id, 12) * 3.0;
      pl->body_ry = 4.0 + frac (id, 13) * 1.5;
      pl->body_cy = BASE - 2.5 - pl->body_ry;
      pl->head_rx = 6.0 + frac (id, 10) * 2.0;
      pl->head_ry = 5.0 + frac (id, 11) * 1.5;
      pl->head_cy = pl->body_cy - pl->body_ry - pl->head_ry * 0.3;
      pl->eye_y = (int) (pl->head_cy - pl->eye_h * 0.6);
      break;

    case PLAN_GHOST:
      pl->head_rx = 7.5 + frac (id, 10) * 3.0;
      pl->head_ry = 7.0 + frac (id, 11) * 2.0;
      pl->head_cy = BASE - 3.5 - pl->head_ry * 0.8;
      pl->eye_y = (int) (pl->head_cy - pl->eye_h * 0.5);
      break;

    case PLAN_CRAB:
    case N_PLANS:
    default:
      pl->head_rx = 8.0 + frac (id, 10) * 2.5;
      pl->head_ry = 4.5 + frac (id, 11) * 1.5;
      pl->head_cy = BASE - 2.0 - pl->head_ry;
      /* eyes on stalks above the shell */
      pl->eye_y = (int) (pl->head_cy - pl->head_ry) - pl->eye_h - 1;
      pl->ears = EARS_NONE;
      if (pl->mouth == MOUTH_SNOUT)
        pl->mouth = MOUTH_SMILE;
      break;
    }

  pl->eye_y = MAX (pl->eye_y, 1);
  pl->top = pl->head_cy - pl->head_ry;
  /* two to four cells between the eyes, keeping them on the head; eyes
   * on stalks need room for their bulbs */
  if (pl->archetype == PLAN_CRAB)
    pl->eye_x = MID - pl->eye_w - 3;
  else
    pl->eye_x = MID - pl->eye_w - 1 - (int) (frac (id, 14) * MIN (2.0, pl->head_rx * 0.25));
  pl->mouth_y = pl->archetype == PLAN_CRAB ? (int) pl->head_cy - 1 : pl->eye_y + pl->eye_h;
  pl->ear_x = MID - 2.5 - frac (id, 30) * (pl->head_rx * 0.5);
}

/* Whether a cell is near the face, where markings would look like scars. */
static gboolean
in_face (const Plan *pl,
         int         x,
         int         y)
{
  return y >= pl->eye_y - 1 && y <= pl->mouth_y + 2 && x >= pl->eye_x - 2;
}

static void
draw_body (Board      *bd,
           const Plan *pl,
           gboolean    back)
{
  guint id = bd->id;

  switch (pl->archetype)
    {
    case PLAN_BLOB:
      ellipse (bd, MID, pl->head_cy, pl->head_rx, pl->head_ry, CELL_BODY, FALSE);
      rect (bd, MID - (int) (pl->head_rx * 0.6) - 1, (int) BASE - 1, 3, 1, CELL_BODY);
      break;

    case PLAN_CHIBI:
      ellipse (bd, MID, pl->body_cy, pl->body_rx, pl->body_ry, CELL_BODY, FALSE);
      rect (bd, MID - (int) pl->body_rx, (int) BASE - 2, 3, 2, CELL_BODY);
      ellipse (bd, MID - pl->body_rx + 0.2, pl->body_cy - 0.5, 1.8, 1.4, CELL_BODY, FALSE);
      ellipse (bd, MID, pl->head_cy, pl->head_rx, pl->head_ry, CELL_BODY, FALSE);
      break;

    case PLAN_BIRD:
      /* wings: a fan from the shoulder */
      triangle (bd, MID - 2, pl->head_cy - 2,
                MID - pl->head_rx - 4 - frac (id, 15) * 3, pl->head_cy - 4 - frac (id, 16) * 4,
                MID - pl->head_rx + 1, pl->head_cy + pl->head_ry * 0.6, CELL_ACCENT);
      ellipse (bd, MID, pl->head_cy, pl->head_rx, pl->head_ry, CELL_BODY, FALSE);
      rect (bd, MID - 3, (int) BASE - 2, 1, 2, CELL_BEAK);
      rect (bd, MID - 4, (int) BASE - 1, 3, 1, CELL_BEAK);
      break;

    case PLAN_BEAST:
      rect (bd, MID - (int) pl->body_rx + 1, (int) pl->body_cy + 1, 3, (int) (BASE - pl->body_cy - 1), CELL_BODY);
      rect (bd, MID - 5, (int) pl->body_cy + 1, 3, (int) (BASE - pl->body_cy - 1), CELL_BODY);
      ellipse (bd, MID, pl->body_cy, pl->body_rx, pl->body_ry, CELL_BODY, FALSE);
      ellipse (bd, MID, pl->head_cy, pl->head_rx, pl->head_ry, CELL_BODY, FALSE);
      break;

    case PLAN_GHOST:
      ellipse (bd, MID, pl->head_cy, pl->head_rx, pl->head_ry, CELL_BODY, FALSE);
      rect (bd, MID - (int) pl->head_rx, (int) pl->head_cy, (int) pl->head_rx,
            (int) (BASE - 1 - pl->head_cy), CELL_BODY);
      /* a wavy hem: notches along the bottom */
      for (int x = MID - (int) pl->head_rx; x < MID; x++)
        if (((MID - x) / 2) % 2 == 1)
          set_cell (bd, x, (int) BASE - 2, CELL_EMPTY);
      ellipse (bd, MID - pl->head_rx, pl->head_cy + 2, 2.0, 1.5, CELL_BODY, FALSE);
      break;

    case PLAN_CRAB:
    case N_PLANS:
    default:
      {
        double claw_x = MID - pl->head_rx - 0.5;
        double claw_y = pl->head_cy - pl->head_ry - 1.5;
        int stalk_x = pl->eye_x + pl->eye_w / 2;

        /* legs, arms, claws with a notch */
        for (int i = 0; i < 3; i++)
          rect (bd, MID - (int) pl->head_rx + 2 + i * 2, (int) pl->head_cy, 1, (int) (BASE - pl->head_cy), CELL_BODY);
        rect (bd, (int) claw_x, (int) claw_y, 1, (int) (pl->head_cy - claw_y), CELL_BODY);
        ellipse (bd, claw_x + 0.5, claw_y - 1.0, 2.6, 2.4, CELL_ACCENT, FALSE);
        rect (bd, (int) claw_x, (int) (claw_y - 3.0), 1, 2, CELL_EMPTY);
        ellipse (bd, MID, pl->head_cy, pl->head_rx, pl->head_ry, CELL_BODY, FALSE);
        rect (bd, stalk_x, pl->eye_y + pl->eye_h, 1, (int) pl->top - (pl->eye_y + pl->eye_h) + 1, CELL_BODY);
        /* the eyes sit in round white bulbs (plain bulbs, from behind) */
        ellipse (bd, pl->eye_x + pl->eye_w / 2.0, pl->eye_y + pl->eye_h / 2.0,
                 pl->eye_w / 2.0 + 1.2, pl->eye_h / 2.0 + 1.2, back ? CELL_BODY : CELL_BELLY, FALSE);
      }
      break;
    }
}

static void
draw_ears (Board      *bd,
           const Plan *pl)
{
  double top = pl->top + 1.0;
  double ex = pl->ear_x;
  double h = pl->ear_h;

  switch (pl->ears)
    {
    case EARS_POINTY: /* with coloured tips */
      triangle (bd, ex - 2.5, top + 2, ex + 2.5, top + 2, ex - 1, top - h, CELL_BODY);
      triangle (bd, ex - 1.6, top - h * 0.45, ex + 0.6, top - h * 0.45, ex - 1, top - h, CELL_ACCENT);
      break;
    case EARS_ROUND:
      ellipse (bd, ex - 1, top - 1, 2.6, 2.6, CELL_BODY, FALSE);
      ellipse (bd, ex - 1, top - 1, 1.2, 1.2, CELL_ACCENT, FALSE);
      break;
    case EARS_FLOPPY:
      ellipse (bd, ex - 0.5, top - h * 0.6, 1.8, h * 0.9, CELL_BODY, FALSE);
      break;
    case EARS_HORNS:
      triangle (bd, ex - 1.5, top + 1, ex + 1.5, top + 1, ex - 1.5, top - h * 0.7, CELL_EXTRA);
      break;
    case EARS_ANTENNAE: /* with a bobble */
      rect (bd, (int) ex, (int) (top - h), 1, (int) h + 1, CELL_OUTLINE);
      ellipse (bd, ex + 0.5, top - h - 0.5, 1.5, 1.5, CELL_ACCENT, FALSE);
      break;
    case EARS_SPROUT: /* a crest of leaves or feathers */
      triangle (bd, MID - 2, top + 1, MID + 0.01, top + 1, MID, top - h, CELL_ACCENT);
      triangle (bd, MID - 4, top + 1, MID - 1, top, MID - 4, top - h * 0.6, CELL_ACCENT);
      break;
    default:
      break;
    }
}

static void
draw_markings (Board      *bd,
               const Plan *pl,
               gboolean    back)
{
  guint id = bd->id;

  if (!back && pl->belly && pl->archetype != PLAN_CRAB)
    {
      /* a pale belly, low on one-piece bodies */
      gboolean one_piece = pl->body_rx == 0;
      double cy = one_piece ? pl->head_cy + pl->head_ry * 0.45 : pl->body_cy;
      double rx = (one_piece ? pl->head_rx : pl->body_rx) * 0.55;

      ellipse (bd, MID, cy, rx, rx * 0.75, CELL_BELLY, TRUE);
    }

  if (pl->marks == MARK_STRIPES)
    {
      /* bands across the crown (the back, seen from behind) */
      int last = back ? (int) pl->top + 7 : pl->eye_y - 2;

      for (int y = (int) pl->top + 1; y <= last && y < GRID; y += 2)
        for (int x = MID - 3; x < MID; x++)
          if (bd->cells[y][x] == CELL_BODY)
            bd->cells[y][x] = CELL_ACCENT;
    }
  else if (pl->marks == MARK_SPOTS)
    {
      /* a few round 2x2 spots, wherever the body has room */
      for (guint i = 0, placed = 0; i < 12 && placed < 3; i++)
        {
          int x = (int) (sg_mock_hash (id, 70 + i) % (MID - 1));
          int y = (int) (sg_mock_hash (id, 90 + i) % (GRID - 1));
          gboolean ok = TRUE;

          for (int dy = -1; dy <= 2 && ok; dy++)
            for (int dx = -1; dx <= 2 && ok; dx++)
              {
                int cx = x + dx, cy = y + dy;

                ok = cx >= 0 && cx < MID && cy >= 0 && cy < GRID &&
                     bd->cells[cy][cx] == CELL_BODY && (back || !in_face (pl, cx, cy));
              }
          if (!ok)
            continue;
          rect (bd, x, y, 2, 2, CELL_ACCENT);
          placed++;
        }
    }
}

static void
draw_face (Board      *bd,
           const Plan *pl)
{
  int y = pl->mouth_y;

  rect (bd, pl->eye_x, pl->eye_y, pl->eye_w, pl->eye_h, CELL_EYE);

  if (pl->cheeks)
    rect (bd, pl->eye_x - 1, pl->eye_y + pl->eye_h, 2, 1, CELL_CHEEK);

  switch (pl->mouth)
    {
    case MOUTH_SMILE:
      set_cell (bd, MID - 2, y, CELL_MOUTH);
      set_cell (bd, MID - 1, y + 1, CELL_MOUTH);
      break;
    case MOUTH_CAT: /* a "w" */
      set_cell (bd, MID - 3, y, CELL_MOUTH);
      set_cell (bd, MID - 2, y + 1, CELL_MOUTH);
      set_cell (bd, MID - 1, y, CELL_MOUTH);
      break;
    case MOUTH_OPEN:
      rect (bd, MID - 1, y, 1, 2, CELL_MOUTH);
      set_cell (bd, MID - 1, y + 1, CELL_CHEEK);  /* a tongue */
      break;
    case MOUTH_FANGS:
      set_cell (bd, MID - 3, y, CELL_MOUTH);
      rect (bd, MID - 2, y + 1, 2, 1, CELL_MOUTH);
      set_cell (bd, MID - 2, y + 2, CELL_SHINE);
      break;
    case MOUTH_SNOUT:
    default:
      triangle (bd, MID - 2, y - 0.5, MID + 0.01, y - 0.5, MID, y + 2.5, CELL_BEAK);
      break;
    }
}

static void
draw_tail (Board      *bd,
           const Plan *pl)
{
  /* Seen from behind, some creatures show a tail low on the back. */
  double cy = BASE - 3.0;

  switch (pl->tail)
    {
    case TAIL_PUFF:
      ellipse (bd, MID, cy, 2.6, 2.3, CELL_BELLY, FALSE);
      break;
    case TAIL_SPIKE:
      triangle (bd, MID - 2.5, cy + 1, MID + 0.01, cy + 1, MID, cy - 5, CELL_ACCENT);
      break;
    default:
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
    case CELL_BEAK:
      return edge_below ? p->body_dark : p->beak;
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
  plan_creature (id, &pl);

  /* back to front: ears behind the head, markings on the body, then the
   * face (or, from behind, the tail) */
  draw_ears (&bd, &pl);
  draw_body (&bd, &pl, back);
  draw_markings (&bd, &pl, back);
  if (back)
    draw_tail (&bd, &pl);
  else
    draw_face (&bd, &pl);
  mirror (&bd);
  add_outline (&bd);

  if (!back)
    {
      /* the glint, top-left in both eyes: light comes from one side */
      bd.cells[pl.eye_y][pl.eye_x] = CELL_SHINE;
      bd.cells[pl.eye_y][GRID - pl.eye_x - pl.eye_w] = CELL_SHINE;
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
