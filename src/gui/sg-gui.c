/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sg-gui"

#include "config.h"

#include <glib/gi18n.h>
#include <gio/gio.h>

#include "sg-gui.h"
#include "sg-gui-resources.h"

void
sg_gui_init (void)
{
  static gsize initialized = 0;

  /* Registered by hand (--manual-register): an automatic constructor in a
   * static library is dropped by the linker unless something references
   * its object file. */
  if (g_once_init_enter (&initialized))
    {
      sg_gui_register_resource ();
      g_once_init_leave (&initialized, 1);
    }
}
