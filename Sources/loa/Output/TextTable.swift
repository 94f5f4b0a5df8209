/// A plain table for an 80-column terminal: columns padded to their widest cell, the last column cut
/// to fit. Widths count characters, so Vietnamese titles line up.
struct TextTable {
    var headers: [String]
    var rows: [[String]] = []
    var width = 80

    init(_ headers: String...) {
        self.headers = headers
    }

    mutating func add(_ cells: String...) {
        rows.append(cells)
    }

    func render() -> String {
        let all = [headers] + rows
        var widths = headers.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
        let fixed = widths.dropLast().reduce(0) { $0 + $1 + 2 }
        widths[widths.count - 1] = max(8, min(widths[widths.count - 1], width - fixed))
        return all.map { row in
            row.indices.map { column in
                let cell = row[column]
                let limit = widths[column]
                let cut = cell.count > limit ? String(cell.prefix(limit - 1)) + "…" : cell
                return column == row.count - 1 ? cut : cut + String(repeating: " ", count: limit - cut.count)
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }
}
