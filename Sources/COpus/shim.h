#ifndef LOA_COPUS_SHIM_H
#define LOA_COPUS_SHIM_H
#include <opus/opus.h>

/* `opus_encoder_ctl` and `opus_decoder_ctl` are variadic and their requests are macros, and Swift can import
 * neither. These typed one-request wrappers exist only for that; each returns libopus's code (OPUS_OK or a
 * negative error). */

/// The corresponding C call is `opus_encoder_ctl(encoder, OPUS_SET_BITRATE(bitsPerSecond))`.
static inline int loa_opus_encoder_set_bitrate(OpusEncoder *encoder, opus_int32 bitsPerSecond) {
    return opus_encoder_ctl(encoder, OPUS_SET_BITRATE(bitsPerSecond));
}

/// The corresponding C call is `opus_encoder_ctl(encoder, OPUS_SET_VBR(enabled))`.
static inline int loa_opus_encoder_set_vbr(OpusEncoder *encoder, opus_int32 enabled) {
    return opus_encoder_ctl(encoder, OPUS_SET_VBR(enabled));
}

/// The corresponding C call is `opus_encoder_ctl(encoder, OPUS_SET_VBR_CONSTRAINT(constrained))`.
static inline int loa_opus_encoder_set_vbr_constraint(OpusEncoder *encoder, opus_int32 constrained) {
    return opus_encoder_ctl(encoder, OPUS_SET_VBR_CONSTRAINT(constrained));
}

/// The corresponding C call is `opus_encoder_ctl(encoder, OPUS_SET_COMPLEXITY(complexity))`.
static inline int loa_opus_encoder_set_complexity(OpusEncoder *encoder, opus_int32 complexity) {
    return opus_encoder_ctl(encoder, OPUS_SET_COMPLEXITY(complexity));
}

/// The corresponding C call is `opus_encoder_ctl(encoder, OPUS_SET_SIGNAL(signal))`.
static inline int loa_opus_encoder_set_signal(OpusEncoder *encoder, opus_int32 signal) {
    return opus_encoder_ctl(encoder, OPUS_SET_SIGNAL(signal));
}

/// The corresponding C call is `opus_encoder_ctl(encoder, OPUS_SET_MAX_BANDWIDTH(bandwidth))`.
static inline int loa_opus_encoder_set_max_bandwidth(OpusEncoder *encoder, opus_int32 bandwidth) {
    return opus_encoder_ctl(encoder, OPUS_SET_MAX_BANDWIDTH(bandwidth));
}

/// The corresponding C call is `opus_encoder_ctl(encoder, OPUS_SET_BANDWIDTH(bandwidth))`.
static inline int loa_opus_encoder_set_bandwidth(OpusEncoder *encoder, opus_int32 bandwidth) {
    return opus_encoder_ctl(encoder, OPUS_SET_BANDWIDTH(bandwidth));
}

/// The corresponding C call is `opus_encoder_ctl(encoder, OPUS_SET_INBAND_FEC(enabled))`.
static inline int loa_opus_encoder_set_inband_fec(OpusEncoder *encoder, opus_int32 enabled) {
    return opus_encoder_ctl(encoder, OPUS_SET_INBAND_FEC(enabled));
}

/// The corresponding C call is `opus_encoder_ctl(encoder, OPUS_SET_PACKET_LOSS_PERC(percent))`.
static inline int loa_opus_encoder_set_packet_loss_percent(OpusEncoder *encoder, opus_int32 percent) {
    return opus_encoder_ctl(encoder, OPUS_SET_PACKET_LOSS_PERC(percent));
}

/// The corresponding C call is `opus_encoder_ctl(encoder, OPUS_GET_LOOKAHEAD(&samples))`.
static inline int loa_opus_encoder_get_lookahead(OpusEncoder *encoder, opus_int32 *samples) {
    return opus_encoder_ctl(encoder, OPUS_GET_LOOKAHEAD(samples));
}

/// The corresponding C call is `opus_decoder_ctl(decoder, OPUS_GET_LAST_PACKET_DURATION(&samples))`.
static inline int loa_opus_decoder_get_last_packet_duration(OpusDecoder *decoder, opus_int32 *samples) {
    return opus_decoder_ctl(decoder, OPUS_GET_LAST_PACKET_DURATION(samples));
}
#endif
