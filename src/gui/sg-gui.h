/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * What every user of the GUI library does first: register its GResource
 * (templates, style sheet, shortcuts window). The program calls it from
 * main(); tests that build widgets without the application call it too.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

void sg_gui_init (void);

G_END_DECLS
