internal import CFFmpeg
import LoaCore

/// One connection to a relayed stream, decoded to 48 kHz mono `Float`: HTTP or Icecast carrying MP3 or AAC (ADTS),
/// or an HLS playlist (`.m3u8`), opened with FFmpeg's libavformat, decoded with libavcodec and converted with
/// libswresample.
///
/// Every blocking call (connecting, reading, an HLS demuxer waiting for its next segment) is bounded twice: by
/// FFmpeg's own socket timeouts (`timeout`, `rw_timeout`) and by ``RelayInterrupt``, FFmpeg's interrupt callback,
/// which also lets another thread cut a call short.
///
/// Not thread-safe: one connection, one thread; only its ``RelayInterrupt`` is shared.
final class RelayConnection {
    /// The stream's URL without credentials, for errors and logs.
    let displayURL: String
    /// The decoder's name, e.g. `mp3float` or `aac`.
    private(set) var codecName = ""
    /// The stream's own sample rate and channels, before conversion.
    private(set) var sourceRate = 0
    private(set) var sourceChannels = 0
    /// Whether the input is an HLS playlist (fed a segment at a time, so it may be silent for a segment's length).
    private(set) var isPlaylist = false

    private let interrupt: RelayInterrupt
    private let readTimeout: Duration
    private var format: UnsafeMutablePointer<AVFormatContext>?
    private var decoder: UnsafeMutablePointer<AVCodecContext>?
    private var resampler: OpaquePointer?
    /// The input the resampler was made for: a stream may change format (an HLS variant, a new Icecast source).
    private var resamplerInput: (format: Int32, rate: Int32, channels: Int32)?
    private var packet: UnsafeMutablePointer<AVPacket>?
    private var frame: UnsafeMutablePointer<AVFrame>?
    private var streamIndex: Int32 = -1
    private var draining = false

    /// The rate and layout every relay is converted to: the stream format's.
    static let outputRate = AudioClip.streamSampleRate
    /// Beyond the read timeout, how long an HLS read may wait: the demuxer sleeps a target duration (often 6 to
    /// 10 s) between playlist reloads; a playlist that stops growing ends after `m3u8_hold_counters` reloads.
    static let playlistAllowance: Duration = .seconds(20)

    /// Opens `url` and its first audio stream's decoder. Blocks for at most about twice `readTimeout` (unless
    /// cancelled sooner through `interrupt`).
    ///
    /// Every stored property has its value before the first call that can fail, so a throw runs `deinit`, which
    /// closes whatever was opened (a failed attempt must not leave its socket behind: a relay retries for hours).
    init(url: String, readTimeout: Duration, interrupt: RelayInterrupt) throws(RelayError) {
        Self.initialiseOnce
        displayURL = Self.redacted(url)
        self.interrupt = interrupt
        self.readTimeout = readTimeout
        let callback: @convention(c) (UnsafeMutableRawPointer?) -> Int32 = { opaque in
            guard let opaque else { return 0 }
            return Unmanaged<RelayInterrupt>.fromOpaque(opaque).takeUnretainedValue().shouldStop() ? 1 : 0
        }
        guard let context = avformat_alloc_context() else {
            throw RelayError(url: displayURL, operation: "open", message: "out of memory")
        }
        context.pointee.interrupt_callback = AVIOInterruptCB(
            callback: callback,
            opaque: Unmanaged.passUnretained(interrupt).toOpaque()
        )
        format = context

        let microseconds =
            readTimeout.components.seconds * 1_000_000
            + readTimeout.components.attoseconds / 1_000_000_000_000
        var options: OpaquePointer? = nil
        defer { av_dict_free(&options) }
        // Socket timeouts, so a silent server ends a call even without the interrupt.
        av_dict_set(&options, "rw_timeout", "\(microseconds)", 0)
        av_dict_set(&options, "timeout", "\(microseconds)", 0)
        // Only the network: a playlist must not make FFmpeg read local files or run other protocols.
        av_dict_set(&options, "protocol_whitelist", "http,https,tcp,tls,crypto,httpproxy", 0)
        // HLS: end (and reconnect) after three reloads of a playlist that no longer grows, not a thousand.
        av_dict_set(&options, "m3u8_hold_counters", "3", 0)
        av_dict_set(&options, "user_agent", "Loa relay", 0)

        interrupt.arm(readTimeout * 2)
        var code = avformat_open_input(&format, url, nil, &options)
        try Self.check(code, "open", displayURL, interrupt)
        code = avformat_find_stream_info(format, nil)
        try Self.check(code, "read the stream information of", displayURL, interrupt)

        var codec: UnsafePointer<AVCodec>? = nil
        code = av_find_best_stream(format, AVMEDIA_TYPE_AUDIO, -1, -1, &codec, 0)
        guard code >= 0, let codec else {
            throw RelayError(url: displayURL, operation: "find audio in", message: "no audio stream", code: code)
        }
        streamIndex = code
        let parameters = context.pointee.streams[Int(streamIndex)]!.pointee.codecpar!
        guard let decoder = avcodec_alloc_context3(codec) else {
            throw RelayError(url: displayURL, operation: "decode", message: "out of memory")
        }
        self.decoder = decoder
        try Self.check(avcodec_parameters_to_context(decoder, parameters), "decode", displayURL, interrupt)
        try Self.check(avcodec_open2(decoder, codec, nil), "decode", displayURL, interrupt)
        packet = av_packet_alloc()
        frame = av_frame_alloc()
        guard packet != nil, frame != nil else {
            throw RelayError(url: displayURL, operation: "decode", message: "out of memory")
        }
        codecName = String(cString: codec.pointee.name)
        sourceRate = Int(parameters.pointee.sample_rate)
        sourceChannels = Int(parameters.pointee.ch_layout.nb_channels)
        isPlaylist = String(cString: context.pointee.iformat.pointee.name).contains("hls")
    }

    /// The longest a read may block: the read timeout, and for a playlist the wait for its next segment too.
    private var stallTimeout: Duration { isPlaylist ? readTimeout + Self.playlistAllowance : readTimeout }

    deinit { close() }

    /// The next chunk of decoded audio (48 kHz mono, any length above zero), or nil at the end of the stream.
    /// Blocks until audio is decoded, the stream ends, or a read stalls for the timeout (then it throws).
    func read() throws(RelayError) -> [Float]? {
        guard let decoder, let frame, let packet, let format else { return nil }
        while true {
            let received = avcodec_receive_frame(decoder, frame)
            if received == 0 {
                defer { av_frame_unref(frame) }
                let samples = try convert(frame)
                if !samples.isEmpty { return samples }
                continue
            }
            if received == loa_averror_eof() { return nil }
            if received != loa_averror_eagain() {
                // A corrupt frame in a long stream is skipped, not fatal.
                if received == loa_averror_invaliddata() { continue }
                try Self.check(received, "decode", displayURL, interrupt)
            }
            if draining { return nil }
            interrupt.arm(stallTimeout)
            let code = av_read_frame(format, packet)
            if code == loa_averror_eof() {
                draining = true
                avcodec_send_packet(decoder, nil)
                continue
            }
            try Self.check(code, "read", displayURL, interrupt)
            defer { av_packet_unref(packet) }
            guard packet.pointee.stream_index == streamIndex else { continue }
            let sent = avcodec_send_packet(decoder, packet)
            if sent < 0 && sent != loa_averror_invaliddata() && sent != loa_averror_eagain() {
                try Self.check(sent, "decode", displayURL, interrupt)
            }
        }
    }

    /// Cuts a blocking ``read()`` short from another thread (it throws), and every later call on the same
    /// ``RelayInterrupt``.
    func interruptBlockingCalls() { interrupt.cancel() }

    /// Releases FFmpeg's contexts. Idempotent.
    func close() {
        av_frame_free(&frame)
        av_packet_free(&packet)
        avcodec_free_context(&decoder)
        swr_free(&resampler)
        avformat_close_input(&format)
    }

    /// One decoded frame, converted to 48 kHz mono `Float` (the resampler made or remade for its format).
    private func convert(_ frame: UnsafeMutablePointer<AVFrame>) throws(RelayError) -> [Float] {
        let input = (
            format: frame.pointee.format, rate: frame.pointee.sample_rate,
            channels: frame.pointee.ch_layout.nb_channels
        )
        if resampler == nil || resamplerInput.map({ $0 != input }) ?? true {
            swr_free(&resampler)
            var inputLayout = AVChannelLayout()
            if frame.pointee.ch_layout.order == AV_CHANNEL_ORDER_UNSPEC {
                av_channel_layout_default(&inputLayout, input.channels)
            } else {
                av_channel_layout_copy(&inputLayout, &frame.pointee.ch_layout)
            }
            defer { av_channel_layout_uninit(&inputLayout) }
            var outputLayout = AVChannelLayout()
            av_channel_layout_default(&outputLayout, 1)
            let code = swr_alloc_set_opts2(
                &resampler,
                &outputLayout,
                AV_SAMPLE_FMT_FLT,
                Int32(Self.outputRate),
                &inputLayout,
                AVSampleFormat(input.format),
                input.rate,
                0,
                nil
            )
            try Self.check(code, "convert the audio of", displayURL, interrupt)
            try Self.check(swr_init(resampler), "convert the audio of", displayURL, interrupt)
            resamplerInput = input
        }
        let capacity = Int(swr_get_out_samples(resampler, frame.pointee.nb_samples))
        guard capacity > 0 else { return [] }
        var output = [Float](repeating: 0, count: capacity)
        let converted = output.withUnsafeMutableBytes { bytes in
            var planes: [UnsafeMutablePointer<UInt8>?] = [bytes.baseAddress?.assumingMemoryBound(to: UInt8.self)]
            return planes.withUnsafeMutableBufferPointer { planes in
                swr_convert(
                    resampler,
                    planes.baseAddress,
                    Int32(capacity),
                    UnsafeMutablePointer<UnsafePointer<UInt8>?>(OpaquePointer(frame.pointee.extended_data)),
                    frame.pointee.nb_samples
                )
            }
        }
        try Self.check(converted, "convert the audio of", displayURL, interrupt)
        output.removeLast(capacity - Int(converted))
        return output
    }

    // MARK: - FFmpeg's return codes

    /// The one place that checks FFmpeg's return codes: a negative one becomes a ``RelayError`` with FFmpeg's
    /// message, or the stall the interrupt saw.
    private static func check(
        _ code: Int32,
        _ operation: String,
        _ url: String,
        _ interrupt: RelayInterrupt
    ) throws(RelayError) {
        guard code < 0 else { return }
        if interrupt.isCancelled {
            throw RelayError(url: url, operation: operation, message: "interrupted", code: code)
        }
        if code == loa_averror_exit() && interrupt.expired {
            throw RelayError(
                url: url,
                operation: operation,
                message: "no data before the timeout (stalled)",
                code: code
            )
        }
        throw RelayError(url: url, operation: operation, message: message(code), code: code)
    }

    /// FFmpeg's text for an error code. The corresponding C function is `av_strerror`.
    static func message(_ code: Int32) -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard av_strerror(code, &buffer, buffer.count) == 0 else { return "FFmpeg error \(code)" }
        return String(decoding: buffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Network set-up, and FFmpeg's own logging silenced, once per process: every failure reaches Loa's log
    /// once, through ``RelayError``, and FFmpeg's lines on stderr could name a URL with its credentials.
    private static let initialiseOnce: Void = {
        avformat_network_init()
        av_log_set_level(AV_LOG_QUIET)
    }()

    /// `url` without `user:password@`, so credentials never reach a log.
    static func redacted(_ url: String) -> String {
        guard let scheme = url.range(of: "://") else { return url }
        let rest = url[scheme.upperBound...]
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? rest.endIndex
        guard let at = rest[..<authorityEnd].lastIndex(of: "@") else { return url }
        return String(url[..<scheme.upperBound]) + rest[rest.index(after: at)...]
    }
}
