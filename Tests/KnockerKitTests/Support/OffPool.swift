import Foundation

/// Runs blocking test work (spawning and waiting for server processes) on a thread of its own, so it never holds
/// one of the few cooperative-pool threads that every other test in the parallel run needs.
func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread { continuation.resume(with: Result(catching: body)) }
        thread.name = "knocker-test-blocking"
        thread.start()
    }
}
