import Foundation
import LoaConformance
import LoaCore
import LoaTestSupport
import Testing

/// `loa conformance` (issue 20) as a vendor would run it: its own broker and key, the receiver under test
/// configured from the settings it writes. The reference receiver passes every rule; a receiver broken on
/// purpose (`--test-fault`) fails, and the kit names the rule it breaks.
@Suite("The conformance kit", .serialized)
struct ConformanceKitTests {
    /// Runs the kit against `loa receiver` (with `fault`, if any), for `rules` (all when empty); the kit's exit
    /// status, its outcomes and its stderr.
    static func check(
        fault: ReceiverFaultName? = nil,
        rules: [String] = []
    ) async throws -> (status: Int32?, outcomes: [RuleOutcome], stderr: String) {
        let directory = try TestBroker.makeTemporaryDirectory(prefix: "loa-conformance")
        let settings = "\(directory)/receiver.yaml"
        let journal = "\(directory)/receiver.jsonl"
        let kit = try LoaProcess(
            [
                "conformance", "--receiver", "rx-kiem-tra", "--settings", settings, "--journal", journal, "--wait",
                "60", "--json",
            ]
                + (rules.isEmpty ? [] : ["--rules"] + rules),
            directory: directory
        )
        defer { kit.kill() }
        try #require(
            await eventually(timeout: .seconds(20)) { FileManager.default.fileExists(atPath: settings) },
            "the kit wrote no settings: \(kit.stderr)"
        )
        let receiver = try LoaProcess(
            [
                "receiver", "--config", settings, "--audio-device", "null", "--playout-journal", journal,
                "--state-dir", "\(directory)/state",
            ] + (fault.map { ["--test-fault", $0.rawValue] } ?? []),
            directory: directory
        )
        defer { receiver.kill() }
        let status = await kit.waitForExit(timeout: .seconds(180))
        let outcomes = (try? JSONDecoder().decode([RuleOutcome].self, from: Data(kit.stdout.utf8))) ?? []
        return (status, outcomes, kit.stderr)
    }

    @Test func theReferenceReceiverPassesEveryRule() async throws {
        let (status, outcomes, stderr) = try await Self.check()
        for outcome in outcomes {
            print("conformance: \(outcome.rule.rawValue) \(outcome.verdict.rawValue): \(outcome.detail)")
        }
        #expect(status == 0, "\(stderr)")
        #expect(Set(outcomes.map(\.rule)) == Set(ConformanceRule.allCases), "every rule is checked")
        #expect(outcomes.allSatisfy { $0.verdict == .pass }, "\(outcomes.filter { $0.verdict != .pass })")
    }

    /// A fault, the rules run against it, and the rule it must fail.
    struct Broken: Sendable, CustomStringConvertible {
        let fault: ReceiverFaultName
        let rules: [String]
        let fails: ConformanceRule
        var description: String { fault.rawValue }
    }

    @Test(arguments: [
        Broken(fault: .ignoreSequence, rules: ["command.genuine", "command.replayed"], fails: .commandReplayed),
        Broken(fault: .trimPreSkip, rules: ["audio.plays", "audio.timing"], fails: .audioTiming),
        Broken(fault: .acceptReAimed, rules: ["audio.re-aimed"], fails: .audioReAimed),
    ])
    func aBrokenReceiverFailsNamingTheRule(_ broken: Broken) async throws {
        let (status, outcomes, stderr) = try await Self.check(fault: broken.fault, rules: broken.rules)
        for outcome in outcomes {
            print("conformance \(broken): \(outcome.rule.rawValue) \(outcome.verdict.rawValue): \(outcome.detail)")
        }
        #expect(status == Sysexits.data, "\(stderr)")
        #expect(outcomes.first { $0.rule == broken.fails }?.verdict == .fail, "\(outcomes)")
        #expect(stderr.contains(broken.fails.rawValue), "the kit names the rule: \(stderr)")
        // Only the broken rule fails: the others it ran still pass.
        #expect(outcomes.filter { $0.rule != broken.fails }.allSatisfy { $0.verdict == .pass }, "\(outcomes)")
    }
}

/// `loa receiver --test-fault`'s values, as the kit's tests name them.
enum ReceiverFaultName: String, Sendable {
    case ignoreSequence = "ignore-seq"
    case trimPreSkip = "trim-pre-skip"
    case acceptReAimed = "accept-re-aimed"
}
