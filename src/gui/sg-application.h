/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The application: command line (the shared run options plus
 * --quit-when-done and --demo), GSettings, the pool, the window, and the
 * app actions (preferences, about, quit).
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* Exit statuses (DESIGN.md): every sprite arrived / some did not / bad usage. */
#define SG_EXIT_OK        0
#define SG_EXIT_SOME_FAILED 1
#define SG_EXIT_USAGE     2

#define SG_TYPE_APPLICATION (sg_application_get_type ())
G_DECLARE_FINAL_TYPE (SgApplication, sg_application, SG, APPLICATION, AdwApplication)

SgApplication *sg_application_new             (void);
/* The status the process should exit with once g_application_run()
 * returned 0 (--quit-when-done sets it). */
int            sg_application_get_exit_status (SgApplication *self);

G_END_DECLS
