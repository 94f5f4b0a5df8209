import LoaFuzzing
import Testing

/// The smoke pass of `make fuzz` in every `make test`: the same generator over fewer inputs, with a fixed seed
/// so a failure here is the same on every machine. A crash ends the run; a hang fails it.
@Suite struct NetworkParserFuzzTests {
    static let seed: UInt64 = 14_05
    /// 50,000 in all: a few seconds of a debug build (Foundation's JSON decoding is most of the cost).
    static let inputs = 5_000

    @Test(arguments: NetworkParsers.all.map(\.name))
    func parserSurvivesGeneratedInputs(_ name: String) throws {
        let target = try #require(NetworkParsers.named(name))
        let report = FuzzRunner(seed: Self.seed).run(target, inputs: Self.inputs)
        #expect(report.inputs == Self.inputs)
        #expect(report.hangs.isEmpty, "inputs \(report.hangs) of seed \(Self.seed) took over 1 s")
        // A generator whose every mutant is refused never reaches the parsing behind the first check.
        #expect(report.accepted > 0)
    }
}
