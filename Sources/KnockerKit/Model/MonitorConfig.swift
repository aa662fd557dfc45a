import Foundation

/// A monitor's typed config: the `config` object of the REST API and the `monitors.config` column.
public enum MonitorConfig: Sendable, Equatable {
    /// An `http` monitor.
    case http(HTTPMonitorConfig)
    /// A `ping` monitor.
    case ping(PingMonitorConfig)
    /// A `tcp` monitor.
    case tcp(TCPMonitorConfig)
    /// A `dns` monitor.
    case dns(DNSMonitorConfig)

    /// The monitor type this config belongs to.
    public var type: MonitorType {
        switch self {
        case .http: .http
        case .ping: .ping
        case .tcp: .tcp
        case .dns: .dns
        }
    }

    /// Decodes the JSON config of a `type` monitor, applying defaults. Unknown keys, missing required keys and
    /// values of the wrong JSON type are errors naming the field. Does not validate ranges; see ``validate()``.
    public static func decode(type: MonitorType, json: [UInt8]) throws(MonitorConfigError) -> MonitorConfig {
        switch type {
        case .http: .http(try ConfigDecoding.decode(HTTPMonitorConfig.self, from: json))
        case .ping: .ping(try ConfigDecoding.decode(PingMonitorConfig.self, from: json))
        case .tcp: .tcp(try ConfigDecoding.decode(TCPMonitorConfig.self, from: json))
        case .dns: .dns(try ConfigDecoding.decode(DNSMonitorConfig.self, from: json))
        }
    }

    /// Decodes and validates; throws an error listing every issue when the config is unusable.
    public static func decodeAndValidate(type: MonitorType, json: [UInt8]) throws(MonitorConfigError) -> MonitorConfig {
        let config = try decode(type: type, json: json)
        let issues = config.validate()
        if !issues.isEmpty { throw MonitorConfigError(issues: issues) }
        return config
    }

    /// Every problem with the config, in field order; empty when it is valid.
    public func validate() -> [ConfigIssue] {
        switch self {
        case .http(let config): config.validate()
        case .ping(let config): config.validate()
        case .tcp(let config): config.validate()
        case .dns(let config): config.validate()
        }
    }

    /// The config as compact JSON with sorted keys and unescaped slashes, defaults written out, unset optional
    /// fields left out.
    public func json() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data: Data
        switch self {
        case .http(let config): data = try encoder.encode(config)
        case .ping(let config): data = try encoder.encode(config)
        case .tcp(let config): data = try encoder.encode(config)
        case .dns(let config): data = try encoder.encode(config)
        }
        return Array(data)
    }
}
