/// A plain table: columns padded to their widest cell, two spaces apart, as wide as the terminal allows.
///
/// Widths count display columns (``DisplayWidth``), so Vietnamese titles, decomposed or not, line up, and CJK and
/// emoji take their two columns. When a line would be wider than ``width``, the free-text columns
/// (``shrinking``: the title; the last column unless told) give up columns, the widest first, down to
/// ``minimumShrunkWidth``, each cut cell ending in `…` and never cut inside a grapheme. Nothing is cut when the
/// table fits, or when ``width`` is nil (stdout is not a terminal, see ``TerminalWidth``).
struct TextTable {
    var headers: [String]
    var rows: [[String]] = []
    /// The widest a line may be, in display columns; nil: no limit.
    var width: Int? = TerminalWidth.standardOutput
    /// The columns that are cut when a line is too wide, by index.
    var shrinking: [Int]
    /// A shrunk column keeps at least this many columns (its whole text when shorter): a title cut shorter than
    /// this no longer says what it is, and a line that wraps is better than one that says nothing.
    var minimumShrunkWidth = 10

    static let separator = "  "

    /// A table with these headers; `shrinking` names the free-text columns to cut first when it is too wide
    /// (default: the last column).
    init(_ headers: String..., shrinking: [String] = []) {
        let named = shrinking.compactMap { headers.firstIndex(of: $0) }
        self.init(headers: headers, shrinking: named.isEmpty ? [headers.count - 1] : named)
    }

    /// A table with these headers, cutting the columns at indices `shrinking` when it is too wide.
    init(headers: [String], shrinking: [Int]) {
        self.headers = headers
        self.shrinking = shrinking
    }

    mutating func add(_ cells: String...) {
        rows.append(cells)
    }

    /// Each column's width: its widest cell, then the shrinking columns narrowed until a line fits ``width``.
    func columnWidths() -> [Int] {
        let all = [headers] + rows
        var widths = headers.indices.map { column in
            all.map { DisplayWidth.columns($0[column]) }.max() ?? 0
        }
        guard let width else { return widths }
        var excess = widths.reduce(0, +) + Self.separator.count * (widths.count - 1) - width
        while excess > 0 {
            // The widest column that may still give up a column.
            let candidates = shrinking.filter { widths[$0] > minimumShrunkWidth }
            guard let widest = candidates.max(by: { widths[$0] < widths[$1] }) else { break }
            let others = candidates.filter { $0 != widest }.map { widths[$0] }.max() ?? minimumShrunkWidth
            // Down to the next widest (so the two then shrink together), by no more than the excess.
            let step = min(excess, max(1, widths[widest] - max(others, minimumShrunkWidth)))
            widths[widest] -= step
            excess -= step
        }
        return widths
    }

    /// The table as lines; `paint` may decorate a body cell after it is cut and padded (colour), given its row
    /// (0 for the first body row) and column.
    func render(paint: (_ row: Int, _ column: Int, _ cell: String) -> String = { $2 }) -> String {
        let widths = columnWidths()
        let header = line(headers, widths: widths)
        let body = rows.enumerated().map { index, row in
            line(row, widths: widths) { column, cell in paint(index, column, cell) }
        }
        return ([header] + body).joined(separator: "\n")
    }

    private func line(
        _ row: [String],
        widths: [Int],
        paint: (_ column: Int, _ cell: String) -> String = { $1 }
    ) -> String {
        row.indices.map { column in
            let cut = DisplayWidth.truncated(row[column], to: widths[column])
            return paint(column, column == row.count - 1 ? cut : DisplayWidth.padded(cut, to: widths[column]))
        }.joined(separator: Self.separator)
    }
}
