/// Rows of text with named columns, printable as an aligned table, TSV or JSON.
public struct Table: Sendable, Equatable {
    /// Column names as written, e.g. `"Last check"`; upper-cased in tables, snake-cased in JSON and TSV.
    public var headers: [String]
    /// One array per row; short rows are padded with empty cells.
    public var rows: [[String]]

    /// A table with `headers` and `rows`.
    public init(headers: [String], rows: [[String]] = []) {
        self.headers = headers
        self.rows = rows
    }

    /// Appends a row.
    public mutating func append(_ row: [String]) { rows.append(row) }

    /// The text for `format`, ending with a newline (empty JSON tables give `[]`).
    /// - Parameters:
    ///   - width: Screen width; cells are cut with `…` to fit only when `isTerminal`.
    ///   - isTerminal: Whether the text goes to a terminal.
    public func render(_ format: OutputFormat, width: Int = 80, isTerminal: Bool = false) -> String {
        switch format {
        case .table: aligned(width: isTerminal ? width : nil)
        case .tsv: tsv()
        case .json: json()
        }
    }

    /// `"Last check"` → `"last_check"`.
    public static func key(_ header: String) -> String {
        var result = ""
        var previousWasSeparator = true
        var previous: Character?
        for character in header {
            defer { previous = character }
            if character.isLetter || character.isNumber {
                if character.isUppercase, !previousWasSeparator, previous?.isLowercase == true {
                    result += "_"
                }
                result += character.lowercased()
                previousWasSeparator = false
            } else if !previousWasSeparator {
                result += "_"
                previousWasSeparator = true
            }
        }
        while result.hasSuffix("_") { result.removeLast() }
        return result
    }

    private var normalizedRows: [[String]] {
        rows.map { row in
            (0..<headers.count).map { $0 < row.count ? row[$0] : "" }
        }
    }

    /// Columns separated by two spaces; cells truncated with `…` when `width` is given and the table is wider.
    private func aligned(width: Int?) -> String {
        let all = [headers.map { $0.uppercased() }] + normalizedRows.map { $0.map(Self.singleLine) }
        var widths = headers.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
        if let width {
            let minimum = 4
            while widths.reduce(0, +) + 2 * max(widths.count - 1, 0) > width {
                guard let widest = widths.indices.max(by: { widths[$0] < widths[$1] }), widths[widest] > minimum
                else { break }
                widths[widest] -= 1
            }
        }
        var text = ""
        for row in all {
            var line = ""
            for (column, cell) in row.enumerated() {
                var shown = cell
                if shown.count > widths[column] { shown = String(shown.prefix(widths[column] - 1)) + "…" }
                line += shown
                if column < row.count - 1 {
                    line += String(repeating: " ", count: widths[column] - shown.count + 2)
                }
            }
            while line.hasSuffix(" ") { line.removeLast() }
            text += line + "\n"
        }
        return text
    }

    private func tsv() -> String {
        let all = [headers.map(Self.key)] + normalizedRows
        return all.map { row in row.map(Self.escapeTSV).joined(separator: "\t") + "\n" }.joined()
    }

    private func json() -> String {
        let keys = headers.map(Self.key)
        guard !rows.isEmpty else { return "[]\n" }
        let objects = normalizedRows.map { row in
            let fields = zip(keys, row).map { key, value in
                "    " + JSONText.quote(key) + ": " + JSONText.quote(value)
            }
            return "  {\n" + fields.joined(separator: ",\n") + "\n  }"
        }
        return "[\n" + objects.joined(separator: ",\n") + "\n]\n"
    }

    /// Tabs, newlines and backslashes written as `\t`, `\n`, `\\`.
    static func escapeTSV(_ cell: String) -> String {
        var result = ""
        for character in cell {
            switch character {
            case "\\": result += "\\\\"
            case "\t": result += "\\t"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            default: result.append(character)
            }
        }
        return result
    }

    /// Line breaks and tabs shown as spaces so a cell stays on its row.
    private static func singleLine(_ cell: String) -> String {
        String(cell.map { $0 == "\n" || $0 == "\t" || $0 == "\r" || $0 == "\r\n" ? " " : $0 })
    }
}
