import Foundation
import Synchronization

/// A structured logger that writes one line per message to stderr, as text or JSON.
///
/// Loggers are values: ``with(_:_:)`` returns a copy carrying more metadata. Every copy shares one sink, so lines
/// from many threads never interleave.
public struct Logger: Sendable {
    public enum Level: Int, Sendable, Comparable, CaseIterable, CustomStringConvertible {
        case trace, debug, info, notice, warning, error, critical
        public static func < (lhs: Level, rhs: Level) -> Bool { lhs.rawValue < rhs.rawValue }
        public var description: String {
            switch self {
            case .trace: "trace"
            case .debug: "debug"
            case .info: "info"
            case .notice: "notice"
            case .warning: "warning"
            case .error: "error"
            case .critical: "critical"
            }
        }
        public init?(name: String) {
            guard let level = Level.allCases.first(where: { $0.description == name.lowercased() }) else {
                return nil
            }
            self = level
        }
    }

    public enum Format: String, Sendable, CaseIterable {
        case text, json
    }

    /// Where lines go. The default writes to stderr; tests capture lines in memory.
    public final class Sink: Sendable {
        private let write: @Sendable (String) -> Void
        private let lock = Mutex(())
        public init(write: @escaping @Sendable (String) -> Void) { self.write = write }
        public static let standardError = Sink { line in
            FileDescriptorWriter.write(Array((line + "\n").utf8), to: 2)
        }
        func emit(_ line: String) { lock.withLock { _ in write(line) } }
    }

    public var label: String
    public var level: Level
    public var format: Format
    public var metadata: [(String, String)]
    private let sink: Sink
    private let clock: @Sendable () -> Date

    public init(
        label: String = "knocker",
        level: Level = .info,
        format: Format = .text,
        sink: Sink = .standardError,
        clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.label = label
        self.level = level
        self.format = format
        self.metadata = []
        self.sink = sink
        self.clock = clock
    }

    /// A copy of this logger that adds `key=value` to every line.
    public func with(_ key: String, _ value: CustomStringConvertible) -> Logger {
        var copy = self
        copy.metadata.append((key, value.description))
        return copy
    }

    public func log(_ level: Level, _ message: @autoclosure () -> String, _ fields: [(String, CustomStringConvertible)])
    {
        guard level >= self.level else { return }
        let all = metadata + fields.map { ($0.0, $0.1.description) }
        sink.emit(render(level: level, message: message(), fields: all))
    }

    public func trace(_ message: @autoclosure () -> String, _ fields: (String, CustomStringConvertible)...) {
        log(.trace, message(), fields)
    }
    public func debug(_ message: @autoclosure () -> String, _ fields: (String, CustomStringConvertible)...) {
        log(.debug, message(), fields)
    }
    public func info(_ message: @autoclosure () -> String, _ fields: (String, CustomStringConvertible)...) {
        log(.info, message(), fields)
    }
    public func notice(_ message: @autoclosure () -> String, _ fields: (String, CustomStringConvertible)...) {
        log(.notice, message(), fields)
    }
    public func warning(_ message: @autoclosure () -> String, _ fields: (String, CustomStringConvertible)...) {
        log(.warning, message(), fields)
    }
    public func error(_ message: @autoclosure () -> String, _ fields: (String, CustomStringConvertible)...) {
        log(.error, message(), fields)
    }

    func render(level: Level, message: String, fields: [(String, String)]) -> String {
        let time = Timestamp.rfc3339Milliseconds(clock())
        switch format {
        case .text:
            var line = "\(time) \(level.description.uppercased()) [\(label)] \(message)"
            for (key, value) in fields {
                line += " \(key)=\(Self.quoteIfNeeded(value))"
            }
            return line
        case .json:
            var object = "{\"time\":\(JSONText.quote(time)),\"level\":\(JSONText.quote(level.description))"
            object += ",\"logger\":\(JSONText.quote(label)),\"message\":\(JSONText.quote(message))"
            for (key, value) in fields {
                object += ",\(JSONText.quote(key)):\(JSONText.quote(value))"
            }
            return object + "}"
        }
    }

    static func quoteIfNeeded(_ value: String) -> String {
        if value.isEmpty { return "\"\"" }
        let needsQuotes = value.unicodeScalars.contains { $0 == " " || $0 == "\"" || $0 == "=" || $0.value < 0x20 }
        return needsQuotes ? JSONText.quote(value) : value
    }
}
