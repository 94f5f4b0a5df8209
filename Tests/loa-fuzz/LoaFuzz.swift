import Foundation
import LoaFuzzing

/// `make fuzz`: every parser of network input over a million generated inputs each (issue 14, item 5).
/// A developer's tool with three options, so it reads them by hand rather than pull argument-parser into its
/// release build.
///
///     loa-fuzz [--inputs N] [--seed S] [--parser NAME] [--index I]
///
/// `--index` parses that one input of that parser alone and prints it: the way to rerun a reported failure.
@main
struct LoaFuzz {
    static func main() {
        var options: [String: String] = [:]
        var arguments = CommandLine.arguments.dropFirst()
        while let name = arguments.popFirst() {
            guard name.hasPrefix("--"), let value = arguments.popFirst() else {
                fail("expected --option value, got \(name)")
            }
            options[String(name.dropFirst(2))] = value
        }
        let inputs: Int = number(options, "inputs") ?? 1_000_000
        let seed: UInt64 = number(options, "seed") ?? UInt64.random(in: 0...UInt64(UInt32.max))
        var targets = NetworkParsers.all
        if let name = options["parser"] {
            guard let target = NetworkParsers.named(name) else {
                fail("no parser \(name); the parsers: \(NetworkParsers.all.map(\.name).joined(separator: ", "))")
            }
            targets = [target]
        }
        let runner = FuzzRunner(seed: seed)
        CrashReporter.install()
        if let index: Int = number(options, "index") {
            for target in targets {
                let input = target.input(seed: seed, index: index)
                say("\(target.name) input \(index) of seed \(seed): \(Data(input.bytes).base64EncodedString())")
                say(String(decoding: input.bytes, as: UTF8.self))
                let report = runner.run(target, inputs: 1, from: index)
                say("accepted: \(report.accepted == 1), parsed in \(microseconds(report.slowest)) µs")
            }
            return
        }
        say("loa-fuzz: seed \(seed), \(inputs) inputs per parser, a hang is a parse over 1 s")
        say("| Parser | Reader | Inputs | Accepted | Crashes | Hangs | Slowest | Inputs/s |")
        say("|---|---|---:|---:|---:|---:|---:|---:|")
        var hangs = 0
        for target in targets {
            let report = runner.run(target, inputs: inputs)
            hangs += report.hangs.count
            say(
                "| \(target.name) | \(target.reader) | \(report.inputs) | \(report.accepted) | 0 | \(report.hangs.count) "
                    + "| \(microseconds(report.slowest)) µs (input \(report.slowestIndex)) "
                    + "| \(String(format: "%.0f", report.inputsPerSecond)) |"
            )
        }
        if hangs > 0 { fail("\(hangs) hangs") }
    }

    static func microseconds(_ duration: Duration) -> String {
        let value = Double(duration.components.seconds) * 1e6 + Double(duration.components.attoseconds) * 1e-12
        return String(format: "%.0f", value)
    }

    /// Unbuffered, so the lines before a crash are on screen.
    static func say(_ line: String) { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }

    static func number<T: FixedWidthInteger>(_ options: [String: String], _ name: String) -> T? {
        guard let text = options[name] else { return nil }
        guard let value = T(text) else { fail("--\(name) takes a number, not \(text)") }
        return value
    }

    static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("loa-fuzz: \(message)\n".utf8))
        exit(1)
    }
}
