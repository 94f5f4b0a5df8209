import ArgumentParser
import LoaCore

/// Where to play: zones, receivers, or everywhere.
struct TargetOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Zones (hamlets) to play in, comma-separated: ids or names (\"Thôn Đông\").",
            valueName: "Z1,Z2"
        )
    )
    var zones: String?

    @Option(help: ArgumentHelp("Receivers to play on, comma-separated: ids or names.", valueName: "R1,R2"))
    var receivers: String?

    @Flag(help: "Play on every receiver of the commune.")
    var all = false

    func validate() throws {
        let given = [zones != nil, receivers != nil, all].filter { $0 }.count
        guard given == 1 else {
            throw ValidationError("say where to play: exactly one of --zones, --receivers or --all")
        }
    }

    var targets: Targets {
        if let zones { return .zones(Self.list(zones)) }
        if let receivers { return .receivers(Self.list(receivers)) }
        return .all
    }

    static func list(_ text: String) -> [String] {
        text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}
