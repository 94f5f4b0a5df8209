import Foundation

/// Runs a target over many generated inputs, timing each parse on its own: a crash ends the process (the
/// handler prints the input first), a parse slower than `hangLimit` is a hang.
public struct FuzzRunner: Sendable {
    public var seed: UInt64
    public var hangLimit: Duration

    public init(seed: UInt64, hangLimit: Duration = .seconds(1)) {
        self.seed = seed
        self.hangLimit = hangLimit
    }

    /// What one target's run found.
    public struct Report: Sendable {
        public var name: String
        public var inputs = 0
        public var accepted = 0
        public var hangs: [Int] = []
        public var slowest: Duration = .zero
        public var slowestIndex = 0
        /// Generating and parsing, wall clock.
        public var elapsed: Duration = .zero

        public var inputsPerSecond: Double {
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
            return seconds > 0 ? Double(inputs) / seconds : 0
        }
    }

    public func run(_ target: FuzzTarget, inputs: Int, from first: Int = 0) -> Report {
        var report = Report(name: target.name)
        let clock = ContinuousClock()
        let start = clock.now
        CrashReporter.willRun(target.name)
        for index in first..<(first + inputs) {
            let input = target.input(seed: seed, index: index)
            CrashReporter.willParse(index: index, bytes: input.bytes)
            let before = clock.now
            let accepted = target.parse(input)
            let took = clock.now - before
            report.inputs += 1
            if accepted { report.accepted += 1 }
            if took > report.slowest {
                report.slowest = took
                report.slowestIndex = index
            }
            if took > hangLimit {
                report.hangs.append(index)
                FileHandle.standardError.write(
                    Data(
                        "loa-fuzz: hang: \(target.name) input \(index) took \(took), base64 \(Data(input.bytes).base64EncodedString())\n"
                            .utf8
                    )
                )
            }
        }
        report.elapsed = clock.now - start
        return report
    }
}
