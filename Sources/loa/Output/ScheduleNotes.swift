import Foundation

/// What the daemon says about a schedule besides the schedule: its problems (a target a reload removed), shown
/// under a listing with a `!` on the row; and the warnings about its text, on stderr so that `--json` output
/// stays clean.
enum ScheduleNotes {
    /// The mark on a row whose schedule has problems.
    static let mark = " !"

    /// `cell` marked when `problems` has any.
    static func marked(_ cell: String, _ problems: [String]?) -> String {
        (problems ?? []).isEmpty ? cell : cell + mark
    }

    /// One line per problem, `! sch-…: receiver rx-x is no longer in the inventory`, with what to do; nil
    /// when there is none.
    static func problems(_ items: [(id: String, problems: [String]?)]) -> String? {
        var lines: [String] = []
        var seen = Set<String>()
        for item in items where seen.insert(item.id).inserted {
            for problem in item.problems ?? [] { lines.append("! \(item.id): \(problem)") }
        }
        guard !lines.isEmpty else { return nil }
        lines.append(
            "It airs to nobody there. Remove it (loa schedule rm ID) and add it again with the zones or receivers "
                + "there are now."
        )
        return lines.joined(separator: "\n")
    }

    /// Prints each warning on stderr as `loa: warning: …`.
    static func warn(_ warnings: [String]?) {
        for warning in warnings ?? [] {
            FileHandle.standardError.write(Data("loa: warning: \(warning)\n".utf8))
        }
    }
}
