import Foundation

/// One label of a sample: `quantile="0.99"`.
public struct MetricLabel: Sendable, Hashable {
    /// The label name (`[a-zA-Z_][a-zA-Z0-9_]*`; other characters are written as `_`).
    public var name: String
    /// The value, any text (escaped when written).
    public var value: String

    /// A label.
    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// One value of a metric family, with its labels (written in the given order).
public struct MetricSample: Sendable, Hashable {
    /// The labels.
    public var labels: [MetricLabel]
    /// The value.
    public var value: Double

    /// A sample of `value` with `labels`.
    public init(_ value: Double, labels: [MetricLabel] = []) {
        self.value = value
        self.labels = labels
    }
}

/// A metric: name, help text, type and its samples.
public struct MetricFamily: Sendable, Hashable {
    /// The Prometheus metric types Knocker writes.
    public enum Kind: String, Sendable, Hashable {
        /// Only goes up (restarts at 0 with the process); named `…_total`.
        case counter
        /// Goes up and down.
        case gauge
    }

    /// The metric name (`[a-zA-Z_:][a-zA-Z0-9_:]*`; other characters are written as `_`).
    public var name: String
    /// One line of help.
    public var help: String
    /// Counter or gauge.
    public var kind: Kind
    /// The samples (a family without samples writes only its HELP and TYPE lines).
    public var samples: [MetricSample]

    /// A family.
    public init(name: String, help: String, kind: Kind, samples: [MetricSample]) {
        self.name = name
        self.help = help
        self.kind = kind
        self.samples = samples
    }

    /// A counter with one unlabelled sample.
    public static func counter(_ name: String, _ help: String, _ value: Double) -> MetricFamily {
        MetricFamily(name: name, help: help, kind: .counter, samples: [MetricSample(value)])
    }

    /// A gauge with one unlabelled sample.
    public static func gauge(_ name: String, _ help: String, _ value: Double) -> MetricFamily {
        MetricFamily(name: name, help: help, kind: .gauge, samples: [MetricSample(value)])
    }
}

/// The Prometheus text exposition format, version 0.0.4: pure formatting, no I/O.
public enum PrometheusText {
    /// The `Content-Type` of the format.
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    /// The families as exposition text: per family `# HELP`, `# TYPE`, then one line per sample. Families with the
    /// same name are merged (the first one's help and type win), so a name is never declared twice.
    public static func format(_ families: [MetricFamily]) -> String {
        var output = ""
        for family in merged(families) {
            let name = sanitized(family.name, allowColon: true)
            output += "# HELP \(name) \(escapeHelp(family.help))\n"
            output += "# TYPE \(name) \(family.kind.rawValue)\n"
            for sample in family.samples {
                output += name
                if !sample.labels.isEmpty {
                    let labels = sample.labels.map {
                        "\(sanitized($0.name, allowColon: false))=\"\(escapeLabelValue($0.value))\""
                    }
                    output += "{" + labels.joined(separator: ",") + "}"
                }
                output += " \(formatValue(sample.value))\n"
            }
        }
        return output
    }

    /// Families in first-seen order with the samples of same-named families appended to the first.
    static func merged(_ families: [MetricFamily]) -> [MetricFamily] {
        var order: [String] = []
        var byName: [String: MetricFamily] = [:]
        for family in families {
            if byName[family.name] == nil {
                order.append(family.name)
                byName[family.name] = family
            } else {
                byName[family.name]?.samples += family.samples
            }
        }
        return order.compactMap { byName[$0] }
    }

    /// A label value with `\`, `"` and line feeds escaped.
    public static func escapeLabelValue(_ value: String) -> String {
        var escaped = ""
        for character in value.unicodeScalars {
            switch character {
            case "\\": escaped += "\\\\"
            case "\"": escaped += "\\\""
            case "\n": escaped += "\\n"
            default: escaped.unicodeScalars.append(character)
            }
        }
        return escaped
    }

    /// Help text with `\` and line feeds escaped.
    public static func escapeHelp(_ help: String) -> String {
        var escaped = ""
        for character in help.unicodeScalars {
            switch character {
            case "\\": escaped += "\\\\"
            case "\n": escaped += "\\n"
            default: escaped.unicodeScalars.append(character)
            }
        }
        return escaped
    }

    /// A value as Prometheus reads it: whole numbers without a fraction, `NaN`, `+Inf`, `-Inf`.
    public static func formatValue(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }

    /// A metric (`allowColon`) or label name with every character outside `[a-zA-Z0-9_]` (and `:`) as `_`, and `_`
    /// before a leading digit; `_` when empty.
    public static func sanitized(_ name: String, allowColon: Bool) -> String {
        var result = ""
        for scalar in name.unicodeScalars {
            let ok =
                scalar.isASCII
                && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "_"
                    || (allowColon && scalar == ":"))
            result.unicodeScalars.append(ok ? scalar : "_")
        }
        if let first = result.unicodeScalars.first, ("0"..."9").contains(first) { result = "_" + result }
        return result.isEmpty ? "_" : result
    }
}
