import Dispatch
import Foundation
import Synchronization

/// SIGTERM and SIGINT as a graceful stop for long-running commands: the first signal stops `signal` (the command
/// drains and exits 0); a second one exits at once with status 130 (SIGINT) or 143 (SIGTERM).
public final class ShutdownSignals: Sendable {
    private let sources: Mutex<[any DispatchSourceSignal]>
    /// Set by the first signal.
    public let stop: StopSignal

    /// Installs the handlers; they stay until ``cancel()``.
    public init(logger: Logger, stop: StopSignal = StopSignal()) {
        self.stop = stop
        var installed: [any DispatchSourceSignal] = []
        let queue = DispatchQueue(label: "knocker-signals")
        for (number, name) in [(SIGTERM, "SIGTERM"), (SIGINT, "SIGINT")] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler {
                if stop.isStopped {
                    logger.warning("second \(name): exiting now")
                    exit(128 + number)
                }
                logger.info("\(name): stopping gracefully (send it again to exit at once)")
                stop.stop()
            }
            source.resume()
            installed.append(source)
        }
        sources = Mutex(installed)
    }

    /// Removes the handlers and restores the default actions.
    public func cancel() {
        let installed = sources.withLock { sources in
            defer { sources = [] }
            return sources
        }
        for source in installed { source.cancel() }
        signal(SIGTERM, SIG_DFL)
        signal(SIGINT, SIG_DFL)
    }
}
