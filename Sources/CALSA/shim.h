#ifndef LOA_CALSA_SHIM_H
#define LOA_CALSA_SHIM_H
#include <alsa/asoundlib.h>

/// alsa-lib prints its diagnostics to stderr through a variadic handler, and Swift cannot define a
/// variadic C function. This no-op handler and its setter exist only so Loa can silence that chatter
/// unless debug logging is on.
static void loa_alsa_discard_error(const char *file, int line, const char *function, int err,
                                   const char *fmt, ...) {
    (void)file; (void)line; (void)function; (void)err; (void)fmt;
}

/// Silences (1) or restores (0) alsa-lib's stderr diagnostics. The corresponding C function is
/// `snd_lib_error_set_handler`.
static inline int loa_alsa_set_quiet(int quiet) {
    return snd_lib_error_set_handler(quiet ? loa_alsa_discard_error : NULL);
}
#endif
