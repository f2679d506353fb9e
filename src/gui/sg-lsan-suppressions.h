/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * For sanitizer builds (-Db_sanitize=address): leaks that belong to system
 * libraries, not to us, so LeakSanitizer reports only ours. Include this
 * once per program (it defines functions the sanitizer runtime looks up).
 */
#pragma once

#if defined(__SANITIZE_ADDRESS__)
const char *__asan_default_options (void);
const char *__lsan_default_suppressions (void);

const char *
__asan_default_options (void)
{
  /* System libraries have no frame pointers: without the slow unwinder a
   * leak's stack stops at the first library frame, and neither the
   * suppressions below nor a reader can tell whose leak it is. */
  return "fast_unwind_on_malloc=0";
}

const char *
__lsan_default_suppressions (void)
{
  return
    /* fontconfig's configuration and font caches live until exit */
    "leak:libfontconfig.so\n"
    /* Mesa's EGL/GLX set-up (GTK probes GL when it opens the display) */
    "leak:gdk_display_prepare_gl\n"
    /* GTK 4.8's PNG loader loses its libpng state on a broken image */
    "leak:gdk_texture_new_from_bytes\n";
}
#endif
