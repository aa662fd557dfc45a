import Dispatch
import Foundation

/// Turns SIGTERM and SIGINT into a callback, for long-running commands that stop gracefully.
///
/// While installed, the two signals no longer kill the process: each one calls `handler` (on a Dispatch queue,
/// never a C signal context) with the signal's name. ``cancel()`` restores the default actions.
final class TerminationSignals: @unchecked Sendable {
    // @unchecked: the sources are only created in init and cancelled in cancel(); Dispatch sources are thread-safe.
    private let sources: [any DispatchSourceSignal]

    init(_ handler: @escaping @Sendable (String) -> Void) {
        let queue = DispatchQueue(label: "knocker-signals")
        var sources: [any DispatchSourceSignal] = []
        for (number, name) in [(SIGTERM, "SIGTERM"), (SIGINT, "SIGINT")] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { handler(name) }
            source.resume()
            sources.append(source)
        }
        self.sources = sources
    }

    /// Stops listening and restores the default actions of SIGTERM and SIGINT.
    func cancel() {
        for source in sources { source.cancel() }
        signal(SIGTERM, SIG_DFL)
        signal(SIGINT, SIG_DFL)
    }
}
