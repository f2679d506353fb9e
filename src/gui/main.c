/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sprite-gallery"

#include "config.h"

#include <locale.h>
#include <signal.h>

#include <glib/gi18n.h>

#include "sg-application.h"
#include "sg-gui.h"
#include "sg-lsan-suppressions.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(SgApplication) app = NULL;
  const char *localedir;
  int status;

  setlocale (LC_ALL, "");
  /* `meson devenv` points this at the build directory's compiled
   * translations, so the uninstalled app speaks the user's language too. */
  localedir = g_getenv ("SPRITE_GALLERY_LOCALEDIR");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL && *localedir != '\0' ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* A helper that dies mid-write must not take us with it: writing to its
   * stdin then fails with EPIPE, which the pool handles. */
  signal (SIGPIPE, SIG_IGN);

  sg_gui_init ();

  app = sg_application_new ();
  status = g_application_run (G_APPLICATION (app), argc, argv);
  if (status == 0)
    status = sg_application_get_exit_status (app);

  return status;
}
