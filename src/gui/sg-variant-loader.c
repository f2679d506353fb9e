/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sg-variant-loader"

#include "config.h"

#include <curl/curl.h>
#include <glib/gi18n.h>

#include "sg-variant-loader.h"

G_DEFINE_QUARK (sg-variant-error-quark, sg_variant_error)

typedef struct {
  GByteArray   *body;
  GCancellable *cancellable;
  gboolean      too_big;
} Transfer;

static size_t
on_write (char   *data,
          size_t  size,
          size_t  n,
          void   *user_data)
{
  Transfer *transfer = user_data;
  size_t len = size * n;

  /* The server may not announce a length: cap what we keep ourselves. */
  if (transfer->body->len + len > SG_VARIANT_MAX_BYTES)
    {
      transfer->too_big = TRUE;
      return 0;
    }
  g_byte_array_append (transfer->body, (const guint8 *) data, len);
  return len;
}

static int
on_progress (void       *user_data,
             curl_off_t  dltotal,
             curl_off_t  dlnow,
             curl_off_t  ultotal,
             curl_off_t  ulnow)
{
  Transfer *transfer = user_data;

  /* Non-zero aborts: the page was closed. */
  return g_cancellable_is_cancelled (transfer->cancellable) ? 1 : 0;
}

static void
load_in_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  const char *url = task_data;
  Transfer transfer = { g_byte_array_new (), cancellable, FALSE };
  char errbuf[CURL_ERROR_SIZE] = "";
  CURL *easy = curl_easy_init ();
  CURLcode code;
  long status = 0;

  if (easy == NULL)
    {
      g_byte_array_unref (transfer.body);
      g_task_return_new_error (task, SG_VARIANT_ERROR, SG_VARIANT_ERROR_TRANSFER,
                               _("Cannot start a transfer"));
      return;
    }

  curl_easy_setopt (easy, CURLOPT_URL, url);
  curl_easy_setopt (easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt (easy, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt (easy, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt (easy, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt (easy, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt (easy, CURLOPT_MAXREDIRS, 3L);
  curl_easy_setopt (easy, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t) SG_VARIANT_MAX_BYTES);
  curl_easy_setopt (easy, CURLOPT_CONNECTTIMEOUT_MS, 10000L);
  curl_easy_setopt (easy, CURLOPT_TIMEOUT_MS, 20000L);
  curl_easy_setopt (easy, CURLOPT_USERAGENT, "sprite-gallery/" PACKAGE_VERSION);
  curl_easy_setopt (easy, CURLOPT_WRITEFUNCTION, on_write);
  curl_easy_setopt (easy, CURLOPT_WRITEDATA, &transfer);
  curl_easy_setopt (easy, CURLOPT_XFERINFOFUNCTION, on_progress);
  curl_easy_setopt (easy, CURLOPT_XFERINFODATA, &transfer);
  curl_easy_setopt (easy, CURLOPT_NOPROGRESS, 0L);

  code = curl_easy_perform (easy);
  curl_easy_getinfo (easy, CURLINFO_RESPONSE_CODE, &status);
  curl_easy_cleanup (easy);

  if (g_cancellable_is_cancelled (cancellable))
    {
      g_byte_array_unref (transfer.body);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Cancelled"));
    }
  else if (transfer.too_big || code == CURLE_FILESIZE_EXCEEDED)
    {
      g_byte_array_unref (transfer.body);
      g_task_return_new_error (task, SG_VARIANT_ERROR, SG_VARIANT_ERROR_TRANSFER,
                               _("The image is larger than %u KiB"), SG_VARIANT_MAX_BYTES / 1024);
    }
  else if (code != CURLE_OK)
    {
      g_byte_array_unref (transfer.body);
      g_task_return_new_error (task, SG_VARIANT_ERROR, SG_VARIANT_ERROR_TRANSFER, "%s",
                               *errbuf != '\0' ? errbuf : curl_easy_strerror (code));
    }
  else if (status < 200 || status > 299)
    {
      g_byte_array_unref (transfer.body);
      g_task_return_new_error (task, SG_VARIANT_ERROR, SG_VARIANT_ERROR_TRANSFER,
                               _("The server answered HTTP %ld"), status);
    }
  else
    {
      g_task_return_pointer (task, g_byte_array_free_to_bytes (transfer.body),
                             (GDestroyNotify) g_bytes_unref);
    }
}

void
sg_variant_load_async (const char          *url,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  static gsize curl_ready = 0;
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, sg_variant_load_async);

  if (url == NULL ||
      (!g_str_has_prefix (url, "http://") && !g_str_has_prefix (url, "https://")))
    {
      g_task_return_new_error (task, SG_VARIANT_ERROR, SG_VARIANT_ERROR_BAD_URL,
                               _("Not an http or https address"));
      return;
    }

  /* Once, before any thread uses libcurl. */
  if (g_once_init_enter (&curl_ready))
    {
      curl_global_init (CURL_GLOBAL_DEFAULT);
      g_once_init_leave (&curl_ready, 1);
    }

  g_task_set_task_data (task, g_strdup (url), g_free);
  g_task_run_in_thread (task, load_in_thread);
}

GBytes *
sg_variant_load_finish (GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, sg_variant_load_async), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
