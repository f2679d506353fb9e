/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * sprite-gallery-dl: the livestream's job in a terminal. The same pool as
 * the GUI fetches the sprites; this program saves them as DIR/NNN-name.png.
 * Exit status: 0 every sprite saved, 1 some failed (or the run could not
 * finish), 2 bad usage.
 */
#define G_LOG_DOMAIN "sg-dl"

#include "config.h"

#include <errno.h>
#include <glib-unix.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <unistd.h>

#include "sg-dl-writer.h"
#include "sg-pool.h"

#define EXIT_SOME_FAILED 1
#define EXIT_USAGE       2

typedef struct {
  SgPool       *pool;
  GMainLoop    *loop;
  GCancellable *cancellable;
  char         *out_dir;
  gboolean      progress;      /* stdout is a terminal */
  guint         n_saved;
  guint         n_write_errors;
  char         *stop_reason;   /* why we cancelled, if we did */
  GError       *run_error;
  gboolean      run_ok;
} Dl;

static void
print_progress (Dl *dl)
{
  const SgRunOptions *options = sg_pool_get_options (dl->pool);
  guint done = sg_pool_get_n_done (dl->pool);
  guint failed = sg_pool_get_n_failed (dl->pool);
  guint total = options->count;
  guint width = 30;
  guint filled = total > 0 ? (done + failed) * width / total : width;
  g_autoptr(GString) bar = g_string_new (NULL);

  if (!dl->progress)
    return;

  for (guint i = 0; i < width; i++)
    g_string_append (bar, i < filled ? "█" : "░");

  /* \r and "erase line": one line that updates in place. */
  g_print ("\r\033[K%s %u/%u", bar->str, done + failed, total);
  if (failed > 0)
    g_print (g_dngettext (GETTEXT_PACKAGE, "  %u failed", "  %u failed", failed), failed);
  g_print ("  %.1f s", sg_pool_get_elapsed_ms (dl->pool) / 1000.0);
  fflush (stdout);
}

static void
end_progress_line (Dl *dl)
{
  if (dl->progress)
    g_print ("\r\033[K");
}

static void
on_sprite_done (SgPool   *pool,
                SgSprite *sprite,
                Dl       *dl)
{
  g_autoptr(GError) error = NULL;

  if (!sg_dl_write_file (dl->out_dir, sg_sprite_get_id (sprite), sg_sprite_get_name (sprite),
                         sg_sprite_get_png (sprite), &error))
    {
      end_progress_line (dl);
      g_printerr (_("Cannot save sprite #%u: %s\n"), sg_sprite_get_id (sprite), error->message);
      dl->n_write_errors++;
      sg_pool_fail_sprite (pool, sprite, error->message);
      return;
    }

  dl->n_saved++;
  sg_pool_mark_shown (pool, sprite);
  print_progress (dl);
}

static void
on_sprite_failed (SgPool   *pool,
                  SgSprite *sprite,
                  Dl       *dl)
{
  print_progress (dl);
}

static void
stop_with_reason (Dl         *dl,
                  const char *reason)
{
  if (dl->stop_reason == NULL)
    dl->stop_reason = g_strdup (reason);
  g_cancellable_cancel (dl->cancellable);
}

static void
on_paused (SgPool     *pool,
           const char *reason,
           Dl         *dl)
{
  /* Nobody is there to press "Resume": end the run and say why. */
  stop_with_reason (dl, reason);
}

static gboolean
on_signal (gpointer user_data)
{
  Dl *dl = user_data;

  stop_with_reason (dl, _("Interrupted"));
  return G_SOURCE_CONTINUE;
}

static void
on_run_finished (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Dl *dl = user_data;

  dl->run_ok = sg_pool_run_finish (SG_POOL (source), result, &dl->run_error);
  g_main_loop_quit (dl->loop);
}

static void
print_summary (Dl *dl)
{
  const SgRunOptions *options = sg_pool_get_options (dl->pool);
  GListModel *sprites = sg_pool_get_sprites (dl->pool);
  guint n = g_list_model_get_n_items (sprites);
  double seconds = sg_pool_get_elapsed_ms (dl->pool) / 1000.0;

  end_progress_line (dl);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SgSprite) sprite = g_list_model_get_item (sprites, i);

      if (sg_sprite_get_state (sprite) == SG_SPRITE_FAILED)
        g_printerr ("#%03u: %s\n", sg_sprite_get_id (sprite), sg_sprite_get_error (sprite));
    }

  g_print (g_dngettext (GETTEXT_PACKAGE,
                        "%u of %u sprite saved to %s in %.1f s",
                        "%u of %u sprites saved to %s in %.1f s", options->count),
           dl->n_saved, options->count, dl->out_dir, seconds);
  if (options->strategy == SG_STRATEGY_SEQUENTIAL)
    g_print (_(" (sequential)\n"));
  else
    g_print (_(" (%u processes × %u transfers, %s)\n"), options->workers, options->in_flight,
             sg_strategy_to_string (options->strategy));
}

static int
usage_error (const char *message)
{
  g_printerr ("sprite-gallery-dl: %s\n", message);
  return EXIT_USAGE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SgRunOptions) options = sg_run_options_new ();
  SgRunOptionsStorage storage = { 0 };
  g_autofree GOptionEntry *shared_entries = sg_run_options_entries (&storage);
  g_autofree char *out_dir = NULL;
  Dl dl = { 0 };
  int status;
  const GOptionEntry own_entries[] = {
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &out_dir,
      N_("Save the sprites in DIR (default: ./sprites)"), N_("DIR") },
    { NULL }
  };

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context,
                                _("Download Pokémon sprites with a pool of helper processes."));
  g_option_context_add_main_entries (context, shared_entries, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, own_entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);

  if (!g_option_context_parse (context, &argc, &argv, &error) ||
      !sg_run_options_apply (options, &storage, &error))
    {
      sg_run_options_storage_clear (&storage);
      return usage_error (error->message);
    }
  sg_run_options_storage_clear (&storage);

  if (argc > 1)
    {
      g_autofree char *message = g_strdup_printf (_("unexpected argument “%s”"), argv[1]);

      return usage_error (message);
    }

  if (out_dir == NULL)
    out_dir = g_strdup ("sprites");
  if (g_mkdir_with_parents (out_dir, 0755) != 0)
    {
      int saved_errno = errno;

      g_printerr (_("sprite-gallery-dl: cannot create %s: %s\n"), out_dir, g_strerror (saved_errno));
      return EXIT_SOME_FAILED;
    }

  dl.pool = sg_pool_new (options);
  dl.loop = g_main_loop_new (NULL, FALSE);
  dl.cancellable = g_cancellable_new ();
  dl.out_dir = g_steal_pointer (&out_dir);
  dl.progress = isatty (STDOUT_FILENO);

  g_signal_connect (dl.pool, "sprite-done", G_CALLBACK (on_sprite_done), &dl);
  g_signal_connect (dl.pool, "sprite-failed", G_CALLBACK (on_sprite_failed), &dl);
  g_signal_connect (dl.pool, "paused", G_CALLBACK (on_paused), &dl);
  g_unix_signal_add (SIGINT, on_signal, &dl);
  g_unix_signal_add (SIGTERM, on_signal, &dl);

  sg_pool_run_async (dl.pool, FALSE, dl.cancellable, on_run_finished, &dl);
  print_progress (&dl);
  g_main_loop_run (dl.loop);

  if (options->report_path != NULL)
    {
      g_autoptr(JsonObject) report = sg_pool_build_report (dl.pool);
      g_autoptr(GError) report_error = NULL;

      if (!sg_pool_write_report (dl.pool, report, options->report_path, &report_error))
        g_printerr ("sprite-gallery-dl: %s\n", report_error->message);
    }

  if (g_error_matches (dl.run_error, SG_POOL_ERROR, SG_POOL_ERROR_UNREACHABLE) ||
      g_error_matches (dl.run_error, SG_POOL_ERROR, SG_POOL_ERROR_SPAWN))
    {
      /* One clear line, not one error per sprite. */
      end_progress_line (&dl);
      g_printerr ("sprite-gallery-dl: %s\n", dl.run_error->message);
      status = EXIT_SOME_FAILED;
    }
  else
    {
      print_summary (&dl);
      if (dl.stop_reason != NULL)
        g_printerr ("sprite-gallery-dl: %s\n", dl.stop_reason);
      status = dl.run_ok && dl.n_write_errors == 0 ? EXIT_SUCCESS : EXIT_SOME_FAILED;
    }

  g_clear_error (&dl.run_error);
  g_free (dl.stop_reason);
  g_free (dl.out_dir);
  g_object_unref (dl.cancellable);
  g_main_loop_unref (dl.loop);
  g_object_unref (dl.pool);
  return status;
}
