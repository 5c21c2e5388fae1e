/*
 * convert.h - `mmusim convert IN OUT`: a trace from any readable format
 * (tracefmt.h) into din, lackey or mmt (docs/traces.md).
 */
#ifndef MMUSIM_CONVERT_H
#define MMUSIM_CONVERT_H

#include "tracefmt.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Reads IN (format in_fmt, TF_AUTO guesses), writes OUT in out_fmt (TF_AUTO:
 * from OUT's name: .din, .lackey, .mmt, optionally followed by .gz or .zst,
 * which compresses through gzip/zstd; "-" = standard output needs an
 * explicit format).  Returns 0, or 2 after a message (a malformed record
 * "IN:RECORD: message"; a record the target cannot express "IN:RECORD:
 * FORMAT cannot express ..."), having removed a partly written OUT.  Prints
 * nothing on success.  ChampSim and CloudSuite are input formats only.
 */
int trace_convert(const char *in, trace_format_t in_fmt, const char *out, trace_format_t out_fmt);

#ifdef __cplusplus
}
#endif
#endif
