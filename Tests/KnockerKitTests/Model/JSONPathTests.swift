import Foundation
import Testing

@testable import KnockerKit

extension ModelTests {
    @Suite("JSON path")
    struct JSONPathTests {
        @Test func parsesSteps() throws {
            #expect(try JSONPath.parse("$").steps == [])
            #expect(try JSONPath.parse("$.a.b[0].c").steps == [.key("a"), .key("b"), .index(0), .key("c")])
            #expect(
                try JSONPath.parse(#"$["content-type"]['it\'s'][12]"#).steps == [
                    .key("content-type"), .key("it's"), .index(12),
                ]
            )
            #expect(try JSONPath.parse(#"$["a \"q\" \\ b"]"#).steps == [.key(#"a "q" \ b"#)])
            #expect(
                try JSONPath.parse("$.snake_case.kebab-case._x").steps == [
                    .key("snake_case"), .key("kebab-case"), .key("_x"),
                ]
            )
            #expect(try JSONPath.parse("$[0][1]").steps == [.index(0), .index(1)])
        }

        @Test func describesCanonically() throws {
            #expect(try JSONPath.parse("$['a'][0]['b c']").description == #"$.a[0]["b c"]"#)
            #expect(JSONPath(steps: [.key("1x"), .key(#"q"x"#)]).description == #"$["1x"]["q\"x"]"#)
        }

        @Test(arguments: [
            ("", "must not be empty; start with $", 0),
            ("a.b", "must start with $", 0),
            ("$.", "expected a name after \".\" at offset 2, found the end", 2),
            ("$..a", "expected a name after \".\" at offset 2, found \".\"", 2),
            ("$.1a", "a name after \".\" must not start with a digit or \"-\" at offset 2; use [n] or [\"key\"]", 2),
            ("$a", "expected \".\" or \"[\" at offset 1, found \"a\"", 1),
            ("$[", "unclosed [ at offset 1", 1),
            ("$[0", "expected ] at offset 3", 3),
            ("$[-1]", "expected an index or a quoted key at offset 2", 2),
            ("$[*]", "wildcards are not supported at offset 2", 2),
            ("$['a]", "unterminated quoted key at offset 2", 2),
            (#"$["a\n"]"#, "bad escape at offset 4; use \\\", \\' or \\\\", 4),
            ("$.a b", "expected \".\" or \"[\" at offset 3, found \" \"", 3),
        ])
        func parseErrors(_ text: String, _ message: String, _ offset: Int) {
            #expect(throws: JSONPath.ParseError(message: message, offset: offset)) { try JSONPath.parse(text) }
        }

        @Test func evaluatesOnSwiftValues() throws {
            let document: [String: Any] = [
                "a": ["b": [["c": 1], ["c": "two"]]], "list": [10, 20], "nothing": NSNull(),
            ]
            #expect(try JSONPath.parse("$.a.b[1].c").evaluate(on: document) as? String == "two")
            #expect(try JSONPath.parse("$.a.b[0].c").evaluate(on: document) as? Int == 1)
            #expect(try JSONPath.parse("$.list[1]").evaluate(on: document) as? Int == 20)
            #expect(try JSONPath.parse("$.nothing").evaluate(on: document) is NSNull)
            #expect(try JSONPath.parse("$").evaluate(on: document) != nil)
            #expect(try JSONPath.parse("$.list[2]").evaluate(on: document) == nil)
            #expect(try JSONPath.parse("$.missing").evaluate(on: document) == nil)
            #expect(try JSONPath.parse("$.list.a").evaluate(on: document) == nil)
            #expect(try JSONPath.parse("$.a[0]").evaluate(on: document) == nil)
        }

        @Test func evaluatesOnJSONSerializationOutput() throws {
            let data = Data(#"{"status":"up","checks":[{"name":"db","ok":true}],"odd key":{"n":2.5}}"#.utf8)
            let document = try JSONSerialization.jsonObject(with: data)
            #expect(try JSONPath.parse("$.status").evaluate(on: document) as? String == "up")
            #expect(try JSONPath.parse("$.checks[0].name").evaluate(on: document) as? String == "db")
            #expect(try JSONPath.parse("$.checks[0].ok").evaluate(on: document) as? Bool == true)
            #expect(try JSONPath.parse(#"$["odd key"].n"#).evaluate(on: document) as? Double == 2.5)
            #expect(try JSONPath.parse("$.checks[1]").evaluate(on: document) == nil)
            let array = try JSONSerialization.jsonObject(with: Data("[[1,2],[3]]".utf8))
            #expect(try JSONPath.parse("$[1][0]").evaluate(on: array) as? Int == 3)
        }
    }
}
