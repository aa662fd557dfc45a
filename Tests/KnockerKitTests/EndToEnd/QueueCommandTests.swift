import Foundation
import Testing

@testable import KnockerKit

/// `knocker queue …` as a process against the test Redis.
@Suite("knocker queue (binary)")
struct QueueCommandTests {
    func redisURL() throws -> String {
        let configuration = try TestServices.redisConfiguration()
        return "redis://\(configuration.host):\(configuration.port)/\(configuration.database)"
    }

    @Test func unknownQueueIsAClearError() async throws {
        let result = try await KnockerProcess.run(
            ["queue", "ls", "no-such-queue-\(UUID().uuidString.prefix(6))"],
            environment: ["REDIS_URL": try redisURL()]
        )
        #expect(result.status == 1)
        #expect(result.standardError.contains("does not exist"))
    }

    @Test func unreachableRedisIsAClearError() async throws {
        let result = try await KnockerProcess.run(
            ["queue", "stats"],
            environment: ["REDIS_URL": "redis://127.0.0.1:1/0"]
        )
        #expect(result.status == 1)
        #expect(result.standardError.contains("Error: cannot reach Redis at 127.0.0.1:1"))
    }

    @Test func badStateIsAUsageError() async throws {
        let result = try await KnockerProcess.run(["queue", "ls", "default", "--state", "sleeping"])
        #expect(result.status == 64)
        #expect(result.standardError.contains("The value 'sleeping' is invalid for '--state <state>'"))
    }

    @Test func statsListInspectAndActions() async throws {
        try await QueueTestContext.with { context in
            let env = ["REDIS_URL": try redisURL()]
            let q = context.queue
            let client = QueueClient(redis: context.redis)
            let first = try await client.enqueue(
                type: "job",
                payload: Array(#"{"n":1}"#.utf8),
                options: TaskOptions(queue: q)
            )
            let second = try await client.enqueue(type: "job", payload: [0, 1, 2], options: TaskOptions(queue: q))

            let stats = try await KnockerProcess.run(["queue", "stats", q, "--json"], environment: env)
            #expect(stats.status == 0, "\(stats.standardError)")
            let rows = try JSONSerialization.jsonObject(with: Data(stats.standardOutput.utf8)) as? [[String: String]]
            #expect(rows?.first?["queue"] == q)
            #expect(rows?.first?["pending"] == "2")
            #expect(rows?.first?["state"] == "running")

            let list = try await KnockerProcess.run(["queue", "ls", q, "--output", "tsv"], environment: env)
            #expect(list.status == 0)
            let ids = list.standardOutput.split(separator: "\n").dropFirst().map {
                String($0.split(separator: "\t").first ?? "")
            }
            #expect(ids == [first.id, second.id])

            let inspect = try await KnockerProcess.run(["queue", "inspect", q, first.id, "--json"], environment: env)
            let view = try JSONSerialization.jsonObject(with: Data(inspect.standardOutput.utf8)) as? [String: Any]
            #expect(view?["payload"] as? String == #"{"n":1}"#)
            #expect(view?["state"] as? String == "pending")
            let binary = try await KnockerProcess.run(["queue", "inspect", q, second.id], environment: env)
            #expect(binary.standardOutput.contains("(binary, hex) 000102"))

            #expect(
                try await KnockerProcess.run(["queue", "archive", q, first.id], environment: env).standardOutput
                    == "task \(first.id) is archived\n"
            )
            #expect(try await context.hash(first.id)["state"] == Array("archived".utf8))
            let again = try await KnockerProcess.run(["queue", "archive", q, first.id], environment: env)
            #expect(again.status == 1)
            #expect(again.standardError.contains("already archived"))
            #expect(try await KnockerProcess.run(["queue", "retry", q, first.id], environment: env).status == 0)
            #expect(try await context.hash(first.id)["state"] == Array("pending".utf8))
            #expect(try await KnockerProcess.run(["queue", "delete", q, second.id], environment: env).status == 0)
            #expect(try await context.hash(second.id).isEmpty)
            let missing = try await KnockerProcess.run(["queue", "inspect", q, "nope"], environment: env)
            #expect(missing.status == 1)
            #expect(missing.standardError.contains("task nope is not in queue '\(q)'"))

            #expect(
                try await KnockerProcess.run(["queue", "pause", q], environment: env).standardOutput
                    == "queue '\(q)' is paused\n"
            )
            let paused = try await KnockerProcess.run(["queue", "stats", q, "--output", "tsv"], environment: env)
            #expect(paused.standardOutput.contains("\tpaused\t"))
            #expect(
                try await KnockerProcess.run(["queue", "unpause", q], environment: env).standardOutput
                    == "queue '\(q)' is running\n"
            )
        }
    }
}
