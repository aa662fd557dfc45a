import Foundation
import Testing

@testable import KnockerKit

/// The README's configuration table must list every setting with its real default.
@Suite("README configuration table")
struct ReadmeConfigTableTests {
    @Test func everySettingIsDocumentedWithItsDefault() throws {
        let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("README.md")
        let text = try String(contentsOf: readme, encoding: .utf8)
        let rows = text.split(separator: "\n").filter { $0.hasPrefix("| `") }
        for key in ConfigKey.all {
            let row = rows.first { $0.hasPrefix("| `\(key.name)` |") }
            #expect(row != nil, "README.md has no configuration row for \(key.name)")
            guard let row else { continue }
            let cells = row.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            let documented = cells.last ?? ""
            if let value = key.defaultValue {
                #expect(
                    documented == "`\(value)`",
                    "README.md documents \(key.name)'s default as \(documented), not `\(value)`"
                )
            } else {
                #expect(!documented.hasPrefix("`"), "README.md gives \(key.name) a default, but it has none")
            }
        }
    }
}
