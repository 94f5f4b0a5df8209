import Foundation
import LoaCore
import Testing

@testable import loa

/// The CLI's tables (issue 18): as wide as the terminal says, cut only when too wide, by display columns, never
/// inside a grapheme, whether Vietnamese comes precomposed or decomposed.
@Suite("loa's text tables")
struct TextTableTests {
    static let title = "Thông báo lịch tiêm chủng vắc-xin sởi cho trẻ em dưới 5 tuổi tại trạm y tế xã"
    /// The same title decomposed (NFD), as some phones send it: every accent a scalar of its own.
    static let decomposedTitle = title.decomposedStringWithCanonicalMapping
    static let emojiTitle = "📢 Khẩn: bão số 3 🇻🇳 đổ bộ, bà con 👨‍👩‍👧 vào nơi an toàn ❤️ 台風"

    /// A listing like `loa schedule next`'s: the title in the middle, free text after it.
    static func table(_ titles: [String], width: Int?) -> TextTable {
        var table = TextTable("TIME", "TITLE", "TARGETS", "PRIORITY", shrinking: ["TITLE", "TARGETS"])
        table.width = width
        for title in titles { table.add("05:00", title, "Thôn Đông, Thôn Tây", "normal") }
        return table
    }

    /// The kept part of a cut cell is whole graphemes of `original`: the same characters, the same scalars.
    static func isWholeGraphemes(_ cut: String, of original: String) -> Bool {
        guard cut.hasSuffix("…") else { return false }
        let kept = Array(cut.dropLast())
        let prefix = Array(original.prefix(kept.count))
        return kept == prefix
            && zip(kept, prefix).allSatisfy { Array($0.unicodeScalars) == Array($1.unicodeScalars) }
    }

    @Test func theWidthIsColumnsThenTheTerminalThenNoLimit() {
        #expect(TerminalWidth.resolve(environment: ["COLUMNS": "132"], terminalColumns: 80) == 132)
        #expect(TerminalWidth.resolve(environment: ["COLUMNS": "wide"], terminalColumns: 80) == 80)
        #expect(TerminalWidth.resolve(environment: ["COLUMNS": "0"], terminalColumns: 100) == 100)
        #expect(TerminalWidth.resolve(environment: [:], terminalColumns: nil) == nil)
    }

    @Test func displayColumnsCountGraphemesNotScalars() {
        #expect(Self.decomposedTitle.unicodeScalars.count > Self.title.unicodeScalars.count)
        #expect(DisplayWidth.columns(Self.title) == Self.title.count)
        #expect(DisplayWidth.columns(Self.decomposedTitle) == Self.title.count)
        #expect(DisplayWidth.columns("Thôn Động") == 9)
        #expect(DisplayWidth.columns("台風") == 4)
        for emoji in ["📢", "🇻🇳", "👨‍👩‍👧", "❤️"] { #expect(DisplayWidth.columns(emoji) == 2, "\(emoji)") }
        #expect(DisplayWidth.columns("❤") == 1, "text presentation without the selector")
    }

    @Test func nothingIsCutWhenItFitsOrWhenThereIsNoLimit() {
        for width in [nil, 200] as [Int?] {
            let rendered = Self.table([Self.title, Self.decomposedTitle, Self.emojiTitle], width: width).render()
            #expect(!rendered.contains("…"), "\(rendered)")
            #expect(rendered.contains(Self.title))
            #expect(rendered.contains(Self.decomposedTitle))
            #expect(rendered.contains(Self.emojiTitle))
        }
    }

    @Test func theEmojiTitleIsCutAtAWideCharacter() {
        // 15 columns: `📢 Khẩn: bão s` is 14, so the cut falls right after `s` and before nothing wide; at 5 the
        // flag, the emoji and the letters stay whole.
        #expect(DisplayWidth.truncated(Self.emojiTitle, to: 15) == "📢 Khẩn: bão s…")
        #expect(DisplayWidth.truncated(Self.emojiTitle, to: 3) == "📢…")
        #expect(DisplayWidth.truncated(Self.emojiTitle, to: 2) == "…", "the emoji does not fit beside the ellipsis")
        #expect(DisplayWidth.truncated("Bão số 3 🇻🇳", to: 10) == "Bão số 3 …", "the flag is never split")
        #expect(DisplayWidth.truncated(Self.decomposedTitle, to: 8).unicodeScalars.count > 8)
    }

    @Test(arguments: [40, 50, 57, 64, 71, 80, 99])
    func aTooWideTableCutsTheTitleBetweenGraphemes(width: Int) throws {
        let titles = [Self.title, Self.decomposedTitle, Self.emojiTitle]
        let table = Self.table(titles, width: width)
        let widths = table.columnWidths()
        let lines = table.render().split(separator: "\n").map(String.init)
        #expect(lines.count == 4)
        for line in lines { #expect(DisplayWidth.columns(line) <= width, "\(width): \(line)") }
        for (line, title) in zip(lines.dropFirst(), titles) {
            // The title cell: after `05:00` and the separator, as wide as its column.
            let cut = try #require(String(line.dropFirst(7)).components(separatedBy: "  Thôn Đông").first)
                .trimmingCharacters(in: .whitespaces)
            if DisplayWidth.columns(title) <= widths[1] {
                #expect(cut == title, "\(width): a title that fits its column is whole")
            } else {
                #expect(
                    Self.isWholeGraphemes(cut, of: title),
                    "\(width): '\(cut)' is not whole graphemes of '\(title)'"
                )
                #expect(DisplayWidth.columns(cut) <= widths[1])
                #expect(DisplayWidth.columns(cut) >= widths[1] - 1, "at most a wide character short")
            }
            // Every row's next column starts at the same display column.
            let before = try #require(line.range(of: "Thôn Đông"))
            #expect(DisplayWidth.columns(line[..<before.lowerBound]) == 7 + widths[1] + 2, "\(line)")
        }
    }

    @Test func theTitleShrinksBeforeTheHamletsAndNotBelowItsMinimum() {
        let table = Self.table([Self.title], width: 80)
        let widths = table.columnWidths()
        #expect(widths[2] == DisplayWidth.columns("Thôn Đông, Thôn Tây"), "the hamlets keep their names")
        let lineWidth: Int = widths.reduce(0, +) + 6  // three separators
        #expect(lineWidth == 80)
        let cramped = Self.table([Self.title], width: 20).columnWidths()
        #expect(cramped[1] == table.minimumShrunkWidth && cramped[2] == table.minimumShrunkWidth)
    }

    @Test func aWideTerminalShowsWholeTitlesInTheScheduleNextTable() throws {
        var occurrence = Occurrence(
            scheduleID: "sch-0a1b2c3d",
            plannedAt: Date(timeIntervalSince1970: 1_796_594_400),
            local: try LocalDateTime(parsing: "2026-12-07 05:00"),
            priority: .normal,
            targets: .zones(["thon-dong", "thon-tay"])
        )
        occurrence.title = Self.decomposedTitle
        occurrence.lengthMilliseconds = 272_400
        let inventory = SiteInventory(zones: [
            Zone(id: "thon-dong", name: "Thôn Đông"), Zone(id: "thon-tay", name: "Thôn Tây"),
        ])
        var table = ScheduleCommand.Next.table([occurrence], inventory: inventory)
        table.width = 160
        let lines = table.render().split(separator: "\n").map(String.init)
        #expect(
            lines[0].hasPrefix("DATE" + String(repeating: " ", count: 12) + "TIME   LENGTH  TITLE  "),
            "\(lines[0])"
        )
        let header = try #require(lines[0].range(of: "TARGETS"))
        let row = try #require(lines[1].range(of: "Thôn Đông"))
        #expect(
            DisplayWidth.columns(lines[0][..<header.lowerBound]) == DisplayWidth.columns(lines[1][..<row.lowerBound])
        )
        #expect(
            lines[1]
                == "Mon 2026-12-07  05:00  4m32s   \(Self.decomposedTitle)  Thôn Đông, Thôn Tây  normal    sch-0a1b2c3d"
        )
        occurrence.lengthMilliseconds = nil
        #expect(ScheduleCommand.Next.table([occurrence], inventory: inventory).rows[0][2] == "—")
    }
}
