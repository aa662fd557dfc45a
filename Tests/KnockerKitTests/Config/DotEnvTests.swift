import Testing

@testable import KnockerKit

@Suite("DotEnv")
struct DotEnvTests {
    @Test func parsesCommentsExportQuotesAndEscapes() throws {
        let text = """
            # a comment
            APP_NAME=knocker-test
            export DB_HOST = db.internal
            DB_PASSWORD='p@ss # not a comment'
            JWT_SECRET_KEY="line1\\nline2 \\"quoted\\""
            LOG_LEVEL=debug # trailing comment

            EMPTY=
            """
        let values = try DotEnv.parse(text)
        #expect(values["APP_NAME"] == "knocker-test")
        #expect(values["DB_HOST"] == "db.internal")
        #expect(values["DB_PASSWORD"] == "p@ss # not a comment")
        #expect(values["JWT_SECRET_KEY"] == "line1\nline2 \"quoted\"")
        #expect(values["LOG_LEVEL"] == "debug")
        #expect(values["EMPTY"] == "")
    }

    @Test func laterLinesWin() throws {
        #expect(try DotEnv.parse("A=1\nA=2\r\n")["A"] == "2")
    }

    @Test func reportsTheLineOfAMalformedEntry() {
        #expect(throws: DotEnv.ParseError(path: "x.env", line: 2, reason: "expected KEY=value")) {
            try DotEnv.parse("A=1\nnot a setting\n", path: "x.env")
        }
        #expect(throws: DotEnv.ParseError(path: ".env", line: 1, reason: "missing closing \"")) {
            try DotEnv.parse("A=\"open")
        }
        #expect(throws: DotEnv.ParseError(path: ".env", line: 1, reason: "'1A' is not a valid variable name")) {
            try DotEnv.parse("1A=x")
        }
    }
}
