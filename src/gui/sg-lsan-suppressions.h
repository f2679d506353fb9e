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

#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>

/* "detect_leaks=0" in $ASAN_OPTIONS? This runs while the sanitizer starts,
 * before the C library has set `environ` and before getenv(), open() or
 * strstr() may be called through the sanitizer's interceptors: so it reads
 * /proc/self/environ with raw system calls, uninstrumented, into a buffer on
 * its stack (an environment larger than that keeps the default). */
__attribute__ ((no_sanitize ("address", "undefined")))
static int
sg_asan_leaks_off (void)
{
  static const char key[] = "ASAN_OPTIONS=";
  static const char off[] = "detect_leaks=0";
  char buf[32768];
  long fd, len = 0, n;

  fd = syscall (SYS_openat, AT_FDCWD, "/proc/self/environ", O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return 0;
  while (len < (long) sizeof buf - 1 &&
         (n = syscall (SYS_read, fd, buf + len, sizeof buf - 1 - len)) > 0)
    len += n;
  syscall (SYS_close, fd);
  buf[len] = '\0';

  /* NUL-separated NAME=VALUE entries */
  for (long at = 0; at < len; )
    {
      const char *s = buf + at;
      long i;

      for (i = 0; key[i] != '\0' && s[i] == key[i]; i++)
        ;
      if (key[i] == '\0')
        for (const char *v = s + i; *v != '\0'; v++)
          {
            long j;

            for (j = 0; off[j] != '\0' && v[j] == off[j]; j++)
              ;
            if (off[j] == '\0')
              return 1;
          }

      while (at < len && buf[at] != '\0')
        at++;
      at++;
    }
  return 0;
}

const char *
__asan_default_options (void)
{
  /* System libraries have no frame pointers: without the slow unwinder a
   * leak's stack stops at the first library frame, and neither the
   * suppressions below nor a reader can tell whose leak it is. But the slow
   * unwinder runs on every malloc, and drawing a window (cairo) mallocs so
   * much that a GUI run slows to a crawl (runs time out): with leak
   * detection off, as for the suites that open windows, there is no reason
   * to pay for it. */
  if (sg_asan_leaks_off ())
    return "";
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
