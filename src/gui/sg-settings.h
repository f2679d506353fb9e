/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The GSettings of the app (data/<app-id>.gschema.xml) and how they become
 * the options of a run. Command-line options are applied on top, for that
 * launch only (sg-application.c).
 */
#pragma once

#include <gio/gio.h>

#include "sg-run-options.h"

G_BEGIN_DECLS

/* The app's settings, or NULL (with a warning) when the schema is not
 * installed: the app then runs on the defaults. */
GSettings    *sg_settings_new               (void);
/* Options from @settings (NULL: the defaults). */
SgRunOptions *sg_settings_load_run_options  (GSettings *settings);

G_END_DECLS
