import Testing

@testable import KnockerKit

@Suite struct CLIManualTests {
    @Test func manualPageSections() {
        let page = ManualPage.render(CLITestTree.root(), date: "June 1, 2025")
        let lines = page.split(separator: "\n").map(String.init)
        #expect(lines.contains(".Dd June 1, 2025"))
        #expect(lines.contains(".Dt KNOCKER 1"))
        #expect(lines.contains(".Os"))
        for section in ["NAME", "SYNOPSIS", "DESCRIPTION", "ENVIRONMENT", "EXIT STATUS"] {
            #expect(lines.contains(".Sh \(section)"), "\(section)")
        }
        #expect(lines.contains(".Nd \"Multi-region uptime monitoring.\""))
        #expect(lines.contains(".Op Fl -log-level Ar level"))
        #expect(lines.contains(".It Fl f , Fl -format Ar format"))
        #expect(lines.contains(".It Em monitors (alias: mon)"))
        #expect(lines.contains(".It Ev KNOCKER_REGION"))
        #expect(lines.contains(".It Ev KNOCKER_LOG_LEVEL"))
        #expect(lines.contains(".It 64"))
        #expect(!page.contains("misuse"))
        let opened = lines.filter { $0.hasPrefix(".Bl -tag -width 6n") }.count
        let closed = lines.filter { $0 == ".El" }.count
        #expect(opened == closed)
        #expect(opened >= 6)
    }

    @Test func manualFromCommandLine() async {
        let run = await runCLI(["--generate-manual"])
        #expect(run.code == 0)
        #expect(run.standardOutput.contains(".Sh EXIT STATUS\n"))
        #expect(!(await runCLI(["--help"])).standardOutput.contains("generate-manual"))
    }
}
