/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Preferences: the API address (validated), the default number of helper
 * processes and transfers, the strategy, and the sprite cache (its size and
 * "Clear cache"). Everything is written to GSettings; the next run uses it.
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define SG_TYPE_PREFERENCES_WINDOW (sg_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (SgPreferencesWindow, sg_preferences_window, SG, PREFERENCES_WINDOW,
                      AdwPreferencesWindow)

/* @cache_dir: the directory "Clear cache" empties (the resolved one). */
GtkWidget *sg_preferences_window_new (GSettings  *settings,
                                      const char *cache_dir);

G_END_DECLS
