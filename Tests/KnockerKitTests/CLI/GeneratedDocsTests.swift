import Foundation
import Testing

@testable import KnockerKit

/// man/knocker.1 and completions/* are generated from the command table; they must match it.
/// Regenerate them with scripts/generate-docs.
@Suite("Generated man page and completions")
struct GeneratedDocsTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    func committed(_ path: String) throws -> String {
        try String(contentsOf: Self.repository.appendingPathComponent(path), encoding: .utf8)
    }

    /// The text without the `.Dd` date line, which changes every day.
    func withoutDate(_ page: String) -> String {
        page.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.hasPrefix(".Dd ") }
            .joined(separator: "\n")
    }

    @Test func manPageIsCurrent() throws {
        let expected = ManualPage.render(Commands.root)
        #expect(withoutDate(try committed("man/knocker.1")) == withoutDate(expected), "run scripts/generate-docs")
    }

    @Test(arguments: [
        (CompletionShell.bash, "completions/knocker.bash"), (.zsh, "completions/_knocker"),
        (.fish, "completions/knocker.fish"),
    ])
    func completionScriptIsCurrent(shell: CompletionShell, path: String) throws {
        let expected = CompletionScripts.script(for: Commands.root, shell: shell)
        #expect(try committed(path) == expected, "run scripts/generate-docs")
    }
}
