/* fuzz-package.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "dossier-fuzz"

#include "config.h"

#include <stdint.h>

#include "fuzz-util.h"

/* libFuzzer target: the input is a zip file claiming to be a filing package.  It is
 * verified; one that verifies with no error is imported into a new database, which
 * is exported again, so that verification, unpacking and import all see hostile
 * input (docs/filing-package.md, "Input is treated as hostile").  Run it with
 * build-aux/run-fuzz.sh; see HACKING.md, "Fuzzing". */

int LLVMFuzzerInitialize (int    *argc,
                          char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_init ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *zip = fuzz_path ("input", ".zip");

  if (!g_file_set_contents (zip, (const char *)data, (gssize)size, &error))
    g_error ("Cannot write the input: %s", error->message);
  fuzz_round_trip (zip, TRUE);
  fuzz_clean ();
  return 0;
}
