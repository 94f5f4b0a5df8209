#ifndef LOA_CFFMPEG_SHIM_H
#define LOA_CFFMPEG_SHIM_H
#include <errno.h>
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/channel_layout.h>
#include <libavutil/error.h>
#include <libavutil/opt.h>
#include <libswresample/swresample.h>

// FFmpeg's error codes are function-like macros (AVERROR(e), FFERRTAG), which Swift cannot import.

/// AVERROR(EAGAIN): the decoder wants more input, or has no frame ready.
static inline int loa_averror_eagain(void) { return AVERROR(EAGAIN); }
/// AVERROR_EOF: the end of the stream, or a drained decoder.
static inline int loa_averror_eof(void) { return AVERROR_EOF; }
/// AVERROR_INVALIDDATA: a corrupt packet or frame.
static inline int loa_averror_invaliddata(void) { return AVERROR_INVALIDDATA; }
/// AVERROR_EXIT: a blocking call was cut short by the interrupt callback.
static inline int loa_averror_exit(void) { return AVERROR_EXIT; }

#endif
