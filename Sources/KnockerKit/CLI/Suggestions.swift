/// "Did you mean …?" for mistyped option and command names.
enum Suggestions {
    /// The candidate closest to `typed`: within edit distance 2, or sharing a prefix with it. `nil` when none is
    /// close.
    static func closest(to typed: String, among candidates: [String]) -> String? {
        var best: (candidate: String, distance: Int)?
        for candidate in candidates where candidate != typed {
            let distance = editDistance(typed, candidate)
            let isPrefix = !typed.isEmpty && (candidate.hasPrefix(typed) || typed.hasPrefix(candidate))
            guard distance <= 2 || isPrefix else { continue }
            if let current = best, current.distance <= distance { continue }
            best = (candidate, distance)
        }
        return best?.candidate
    }

    /// Levenshtein distance, with an adjacent transposition counted as one edit.
    static func editDistance(_ lhs: String, _ rhs: String) -> Int {
        let a = Array(lhs)
        let b = Array(rhs)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var table = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { table[i][0] = i }
        for j in 0...b.count { table[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var value = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    value = min(value, table[i - 2][j - 2] + 1)
                }
                table[i][j] = value
            }
        }
        return table[a.count][b.count]
    }
}

/// Word wrapping for help and usage text.
enum TextWrap {
    /// Wraps `text` so that no line is longer than `width` (unless a single word is), every line starting with
    /// `indent` spaces. Runs of spaces collapse; an empty text gives one line of indentation.
    static func wrap(_ text: String, width: Int, indent: Int = 0) -> [String] {
        let pad = String(repeating: " ", count: indent)
        var lines: [String] = []
        var line = pad
        var lineHasWord = false
        for word in text.split(separator: " ") {
            if lineHasWord && line.count + 1 + word.count > width {
                lines.append(line)
                line = pad + word
            } else {
                line += (lineHasWord ? " " : "") + word
            }
            lineHasWord = true
        }
        lines.append(line)
        return lines
    }

    /// Wraps each line of `text` (kept as a paragraph break) separately.
    static func wrapParagraphs(_ text: String, width: Int, indent: Int = 0) -> [String] {
        text.split(separator: "\n", omittingEmptySubsequences: false).flatMap { paragraph in
            paragraph.isEmpty ? [""] : wrap(String(paragraph), width: width, indent: indent)
        }
    }

    /// `prefix` followed by `text` wrapped to `width`, continuation lines indented by the prefix's length
    /// (`USAGE: ` and `Usage: ` both hang by 7).
    static func hanging(_ prefix: String, _ text: String, width: Int) -> String {
        var lines = wrap(text, width: width, indent: prefix.count)
        lines[0] = prefix + lines[0].dropFirst(prefix.count)
        return lines.joined(separator: "\n")
    }
}
