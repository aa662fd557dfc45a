import Testing

@testable import KnockerKit

extension CheckTests {
    @Suite("DNS wire format: query encoding, response decoding, malformed input")
    struct DNSMessageTests {
        @Test func queryEncoding() throws {
            let query = DNSQuery(name: "www.Example.com.", type: .aaaa, id: 0xBEEF)
            let bytes = try #require(query.encoded())
            let expected: [UInt8] =
                [0xBE, 0xEF, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 1]
                + [3] + Array("www".utf8) + [7] + Array("Example".utf8) + [3] + Array("com".utf8) + [0]
                + [0, 28, 0, 1]
                + [0, 0, 41, 0x04, 0xD0, 0, 0, 0, 0, 0, 0]
            #expect(bytes == expected)
        }

        @Test func queryIDsAreRandom() {
            let ids = Set((0..<20).map { _ in DNSQuery(name: "example.com", type: .a).id })
            #expect(ids.count > 1)
        }

        @Test func unencodableNames() {
            #expect(DNSQuery.nameProblem("a..b") == "the name a..b has an empty label")
            let long = String(repeating: "x", count: 64) + ".com"
            #expect(DNSQuery.nameProblem(long) == "a label of \(long) is longer than 63 bytes")
            let huge = Array(repeating: String(repeating: "x", count: 63), count: 4).joined(separator: ".")
            #expect(DNSQuery.nameProblem(huge) == "the name \(huge) is longer than 255 bytes")
            #expect(DNSQuery(name: "a..b", type: .a).encoded() == nil)
            #expect(DNSQuery.nameProblem("example.com.") == nil)
        }

        @Test func decodesEveryKnownTypeAndSkipsOthers() throws {
            let answers: [DNSTestPacket.Record] = [
                .a("example.com", "192.0.2.1"),
                .aaaa("example.com", "2001:db8::1"),
                .cname("www.example.com", "example.com"),
                .mx("example.com", 10, "mail.example.com"),
                .txt("example.com", ["v=spf1 ", "-all"]),
                DNSTestPacket.Record(name: "example.com", type: 2, data: DNSTestPacket.name("ns.example.com")),
            ]
            let bytes = DNSTestPacket.response(id: 7, name: "example.com", type: 1, answers: answers)
            let message = try DNSMessage.decode(bytes)
            #expect(message.id == 7)
            #expect(message.isResponse)
            #expect(message.recursionAvailable)
            #expect(!message.isTruncated)
            #expect(message.responseCode == .noError)
            #expect(message.questions == [DNSQuestion(name: "example.com", type: 1)])
            #expect(
                message.answers.map(\.data.displayText) == [
                    "192.0.2.1", "2001:db8::1", "example.com", "10 mail.example.com", "v=spf1 -all",
                ]
            )
            #expect(message.answers[0].ttl == 300)
            #expect(message.answers[2].name == "www.example.com")
        }

        @Test func skipsOtherClasses() throws {
            let record = DNSTestPacket.record(.a("example.com", "192.0.2.1"), qclass: 3)
            let bytes =
                DNSTestPacket.header(id: 1, flags: 0x8180, answers: 1) + DNSTestPacket.question("example.com", type: 1)
                + record
            #expect(try DNSMessage.decode(bytes).answers.isEmpty)
        }

        @Test func followsCompressionPointers() throws {
            // Question at offset 12: example.com; answers name it by pointer 0xC00C and a CNAME target
            // "www" + pointer to "example.com".
            var bytes = DNSTestPacket.header(id: 2, flags: 0x8180, answers: 2)
            bytes += DNSTestPacket.question("example.com", type: 5)
            bytes += [0xC0, 12, 0, 5, 0, 1, 0, 0, 0, 60, 0, 6, 3] + Array("www".utf8) + [0xC0, 12]
            bytes += [0xC0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 10, 0, 0, 1]
            let message = try DNSMessage.decode(bytes)
            #expect(message.answers.map(\.name) == ["example.com", "example.com"])
            #expect(message.answers.map(\.data) == [.cname("www.example.com"), .a([10, 0, 0, 1])])
        }

        @Test func caseAndEscapesInNames() throws {
            var bytes = DNSTestPacket.header(id: 3, flags: 0x8180)
            bytes += [3, 0x41, 0x2E, 0x20, 4] + Array("Test".utf8) + [0, 0, 1, 0, 1]
            let message = try DNSMessage.decode(bytes)
            #expect(message.questions.first?.name == "A\\.\\032.Test")
        }

        @Test func rootName() throws {
            let bytes = DNSTestPacket.header(id: 3, flags: 0x8180) + [0, 0, 2, 0, 1]
            #expect(try DNSMessage.decode(bytes).questions.first?.name == ".")
        }

        @Test func responseCodesAndFlags() throws {
            let nx = DNSTestPacket.response(id: 9, name: "nope.example", type: 1, rcode: 3)
            #expect(try DNSMessage.decode(nx).responseCode == .nameError)
            #expect(DNSResponseCode.nameError.description == "NXDOMAIN")
            #expect(DNSResponseCode.serverFailure.description == "SERVFAIL")
            #expect(DNSResponseCode(rawValue: 12).description == "RCODE 12")
            // Truncated: the answer section is cut mid-record; only header and question are read.
            let full = DNSTestPacket.response(
                id: 9,
                name: "big.example",
                type: 16,
                answers: [.txt("big.example", ["x"])],
                truncated: true
            )
            let message = try DNSMessage.decode(Array(full.dropLast(3)))
            #expect(message.isTruncated)
            #expect(message.answers.isEmpty)
        }

        @Test func matchingTheQuery() throws {
            let query = DNSQuery(name: "Example.COM", type: .a, id: 42)
            func decode(_ bytes: [UInt8]) throws -> DNSMessage { try DNSMessage.decode(bytes) }
            #expect(try decode(DNSTestPacket.response(id: 42, name: "example.com.", type: 1)).answers(query))
            #expect(try !decode(DNSTestPacket.response(id: 43, name: "example.com", type: 1)).answers(query))
            #expect(try !decode(DNSTestPacket.response(id: 42, name: "example.org", type: 1)).answers(query))
            #expect(try !decode(DNSTestPacket.response(id: 42, name: "example.com", type: 28)).answers(query))
            let notResponse =
                DNSTestPacket.header(id: 42, flags: 0x0100) + DNSTestPacket.question("example.com", type: 1)
            #expect(try !decode(notResponse).answers(query))
            // An error response without a question matches; a NOERROR one does not.
            #expect(try decode(DNSTestPacket.header(id: 42, flags: 0x8181, questions: 0)).answers(query))
            #expect(try !decode(DNSTestPacket.header(id: 42, flags: 0x8180, questions: 0)).answers(query))
        }

        @Test func malformedInputThrowsInsteadOfTrapping() {
            let good = DNSTestPacket.response(
                id: 5,
                name: "example.com",
                type: 15,
                answers: [.mx("example.com", 5, "mx.example.com")]
            )
            // Every prefix of a valid message fails cleanly (or decodes, for the empty-answer cut points).
            for length in 0..<good.count {
                #expect(throws: DNSDecodingError.self) { try DNSMessage.decode(Array(good.prefix(length))) }
            }
            #expect(throws: DNSDecodingError("message ends inside the header")) { try DNSMessage.decode([1, 2, 3]) }
        }

        @Test func pointerLoopsAndForwardPointers() {
            let header = DNSTestPacket.header(id: 1, flags: 0x8180)
            // A pointer to itself.
            #expect(throws: DNSDecodingError("a compression pointer in the question does not point backwards")) {
                try DNSMessage.decode(header + [0xC0, 12, 0, 1, 0, 1])
            }
            // Two pointers pointing at each other: the second one points forwards.
            #expect(throws: DNSDecodingError.self) {
                try DNSMessage.decode(header + [1, 0x61, 0xC0, 16, 0xC0, 12, 0, 1, 0, 1])
            }
            // A pointer past the end.
            #expect(throws: DNSDecodingError.self) { try DNSMessage.decode(header + [0xFF, 0xFF, 0, 1, 0, 1]) }
            // Reserved label types 0x40 and 0x80.
            #expect(throws: DNSDecodingError("a name in the question uses an unknown label type")) {
                try DNSMessage.decode(header + [0x41, 0, 0, 1, 0, 1])
            }
        }

        @Test func nameLengthLimitAcrossPointers() throws {
            // A NULL record's data holds 5 labels of 63 bytes, each followed by a pointer to the previous one (the
            // first to the question's "x"); an A record's owner points at the last: over 255 bytes in all.
            var bytes = DNSTestPacket.header(id: 1, flags: 0x8180, questions: 1, answers: 2)
            bytes += DNSTestPacket.question("x", type: 1)
            bytes += [0, 0, 10, 0, 1, 0, 0, 0, 1, 0x01, 0x4A]  // root owner, type NULL, 5 × 66 = 330 data bytes
            var previous = 12
            for _ in 0..<5 {
                let start = bytes.count
                bytes += [63] + [UInt8](repeating: 0x61, count: 63)
                bytes += [0xC0 | UInt8(previous >> 8), UInt8(previous & 0xFF)]
                previous = start
            }
            bytes += [0xC0 | UInt8(previous >> 8), UInt8(previous & 0xFF), 0, 1, 0, 1, 0, 0, 0, 1, 0, 4, 1, 2, 3, 4]
            #expect(throws: DNSDecodingError("a name in the answer section is longer than 255 bytes")) {
                try DNSMessage.decode(bytes)
            }
            // Three labels (3 × 64 + 2 + 1 bytes) fit.
            var fitting = DNSTestPacket.header(id: 1, flags: 0x8180, questions: 1, answers: 2)
            fitting += DNSTestPacket.question("x", type: 1)
            fitting += [0, 0, 10, 0, 1, 0, 0, 0, 1, 0, 198]
            previous = 12
            for _ in 0..<3 {
                let start = fitting.count
                fitting += [63] + [UInt8](repeating: 0x61, count: 63)
                fitting += [0xC0 | UInt8(previous >> 8), UInt8(previous & 0xFF)]
                previous = start
            }
            fitting += [0xC0 | UInt8(previous >> 8), UInt8(previous & 0xFF), 0, 1, 0, 1, 0, 0, 0, 1, 0, 4, 1, 2, 3, 4]
            let name = Array(repeating: String(repeating: "a", count: 63), count: 3).joined(separator: ".") + ".x"
            #expect(try DNSMessage.decode(fitting).answers.map(\.name) == [name])
        }

        @Test func badRecordData() {
            func message(_ record: [UInt8]) -> [UInt8] {
                DNSTestPacket.header(id: 1, flags: 0x8180, answers: 1) + DNSTestPacket.question("x", type: 1) + record
            }
            let shortA = [1, 0x78, 0, 0, 1, 0, 1, 0, 0, 0, 1, 0, 3, 1, 2, 3] as [UInt8]
            #expect(throws: DNSDecodingError("A record has 3 data bytes, not 4")) {
                try DNSMessage.decode(message(shortA))
            }
            let longData = [1, 0x78, 0, 0, 1, 0, 1, 0, 0, 0, 1, 0, 9, 1, 2, 3] as [UInt8]
            #expect(throws: DNSDecodingError("message ends inside a record's data")) {
                try DNSMessage.decode(message(longData))
            }
            let txtOverrun = [1, 0x78, 0, 0, 16, 0, 1, 0, 0, 0, 1, 0, 3, 5, 0x61, 0x62] as [UInt8]
            #expect(throws: DNSDecodingError("a TXT string runs past its record")) {
                try DNSMessage.decode(message(txtOverrun))
            }
            // A CNAME whose name runs past its data length.
            let cname = [1, 0x78, 0, 0, 5, 0, 1, 0, 0, 0, 1, 0, 2, 1, 0x61, 0] as [UInt8]
            #expect(throws: DNSDecodingError("CNAME record does not fill its data length")) {
                try DNSMessage.decode(message(cname))
            }
        }

        @Test func fuzzedInputNeverTraps() {
            var generator = SystemRandomNumberGenerator()
            let seed = DNSTestPacket.response(
                id: 5,
                name: "example.com",
                type: 1,
                answers: [.a("example.com", "192.0.2.1"), .cname("example.com", "x.example.com")]
            )
            for _ in 0..<2000 {
                var bytes = seed
                for _ in 0..<Int.random(in: 1...6, using: &generator) {
                    bytes[Int.random(in: 0..<bytes.count, using: &generator)] = .random(in: 0...255, using: &generator)
                }
                _ = try? DNSMessage.decode(bytes)
            }
        }
    }
}
