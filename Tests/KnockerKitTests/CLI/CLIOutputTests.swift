import Testing

@testable import KnockerKit

@Suite struct CLIOutputTests {
    private let table = Table(
        headers: ["ID", "Name", "Last check"],
        rows: [["m1", "API", "200 OK"], ["m22", "Tab\there", "a\\b\nc"]]
    )

    @Test func alignedTable() {
        #expect(
            table.render(.table) == """
                ID   NAME      LAST CHECK
                m1   API       200 OK
                m22  Tab here  a\\b c

                """
        )
    }

    @Test func truncatesOnlyOnATerminal() {
        let wide = Table(headers: ["ID", "URL"], rows: [["m1", String(repeating: "x", count: 40)]])
        #expect(wide.render(.table, width: 20, isTerminal: true) == "ID  URL\nm1  xxxxxxxxxxxxxxx…\n")
        #expect(wide.render(.table, width: 20, isTerminal: false).contains(String(repeating: "x", count: 40)))
    }

    @Test func tsvEscapes() {
        #expect(table.render(.tsv) == "id\tname\tlast_check\nm1\tAPI\t200 OK\nm22\tTab\\there\ta\\\\b\\nc\n")
    }

    @Test func jsonObjects() {
        #expect(
            table.render(.json) == """
                [
                  {
                    "id": "m1",
                    "name": "API",
                    "last_check": "200 OK"
                  },
                  {
                    "id": "m22",
                    "name": "Tab\\there",
                    "last_check": "a\\\\b\\nc"
                  }
                ]

                """
        )
        #expect(Table(headers: ["A"]).render(.json) == "[]\n")
        #expect(Table.key("lastCheck") == "last_check")
        #expect(Table.key("HTTP Status") == "http_status")
    }

    @Test func encodableAsSortedPrettyJSON() throws {
        struct Item: Encodable {
            var zeta = 1
            var alpha = "a/b"
        }
        let (stream, read) = TextStream.buffer()
        try stream.writeJSON(Item())
        #expect(read() == "{\n  \"alpha\" : \"a/b\",\n  \"zeta\" : 1\n}\n")
    }

    @Test func formatFromArguments() async throws {
        let capture = ArgumentCapture()
        let root = CLITestTree.root(capture)
        func format(_ arguments: [String]) async throws -> OutputFormat {
            _ = await runCLI(["monitors", "list"] + arguments, root: root)
            return try OutputFormat.from(try #require(capture.last))
        }
        #expect(try await format([]) == .table)
        #expect(try await format(["--json"]) == .json)
        #expect(try await format(["-o", "tsv"]) == .tsv)
        #expect(try await format(["--output=json", "--json"]) == .json)
        await #expect(throws: UsageError.self) { try await format(["--output", "tsv", "--json"]) }
        _ = await runCLI(["monitors", "list"], root: root)
        let (pipe, _) = TextStream.buffer(isTerminal: false)
        let (terminal, _) = TextStream.buffer(isTerminal: true)
        #expect(try OutputFormat.from(try #require(capture.last), for: pipe) == .tsv)
        #expect(try OutputFormat.from(try #require(capture.last), for: terminal) == .table)
    }

    @Test func streamWritesTable() {
        let (stream, read) = TextStream.buffer()
        stream.write(Table(headers: ["A", "B"], rows: [["1", "2"]]), format: .tsv)
        #expect(read() == "a\tb\n1\t2\n")
    }
}
