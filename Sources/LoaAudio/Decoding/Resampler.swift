internal import CSampleRate

/// Streaming mono sample-rate conversion with libsamplerate. Feed it chunks; call ``finish(into:)`` once at the
/// end to flush the filter's tail. When the two rates are equal it copies.
final class Resampler {
    private let state: OpaquePointer?
    let ratio: Double
    private var output: [Float] = []

    init(from inputRate: Int, to outputRate: Int, quality: ResamplerQuality) throws(SampleRateError) {
        ratio = Double(outputRate) / Double(inputRate)
        guard inputRate != outputRate else {
            state = nil
            return
        }
        guard src_is_valid_ratio(ratio) != 0 else {
            // 6 is SRC_ERR_BAD_SRC_RATIO.
            throw SampleRateError(code: 6, operation: "convert \(inputRate) Hz to \(outputRate) Hz")
        }
        var error: Int32 = 0
        guard let state = src_new(quality.rawValue, 1, &error) else {
            throw SampleRateError(code: error, operation: "create a converter")
        }
        self.state = state
    }

    deinit { if let state { src_delete(state) } }

    /// Converts `input` and appends the result to `destination`.
    func process(_ input: [Float], into destination: inout [Float]) throws(SampleRateError) {
        guard let state else {
            destination.append(contentsOf: input)
            return
        }
        try run(state, input, endOfInput: false, into: &destination)
    }

    /// Flushes what the filter still holds into `destination`.
    func finish(into destination: inout [Float]) throws(SampleRateError) {
        guard let state else { return }
        // libsamplerate ignores a call whose input pointer is NULL, even with end_of_input set, and would keep its
        // last ~100 samples; so the flush passes a real (empty) buffer.
        try run(state, [0], endOfInput: true, into: &destination, frames: 0)
    }

    /// The one place that calls `src_process` and checks its code.
    private func run(
        _ state: OpaquePointer,
        _ input: [Float],
        endOfInput: Bool,
        into destination: inout [Float],
        frames: Int? = nil
    ) throws(SampleRateError) {
        let inputCount = frames ?? input.count
        let capacity = Int(Double(max(input.count, 256)) * ratio) + 512
        if output.count < capacity { output = [Float](repeating: 0, count: capacity) }
        var consumed = 0
        while true {
            let remaining = inputCount - consumed
            var generated = 0
            let code: Int32 = input.withUnsafeBufferPointer { source in
                output.withUnsafeMutableBufferPointer { out in
                    var data = SRC_DATA()
                    data.data_in = source.baseAddress.map { $0 + consumed }
                    data.input_frames = remaining
                    data.data_out = out.baseAddress
                    data.output_frames = out.count
                    data.src_ratio = ratio
                    data.end_of_input = endOfInput ? 1 : 0
                    let code = src_process(state, &data)
                    consumed += data.input_frames_used
                    generated = data.output_frames_gen
                    return code
                }
            }
            guard code == 0 else { throw SampleRateError(code: code, operation: "resample") }
            destination.append(contentsOf: output[0..<generated])
            // Done when all input is used and the converter had no more than it could give (not end of input),
            // or when the flush yields nothing more (end of input).
            if endOfInput ? generated == 0 : (consumed >= inputCount && generated < output.count) { return }
        }
    }
}
