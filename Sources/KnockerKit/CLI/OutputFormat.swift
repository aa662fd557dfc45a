import Foundation

/// How a listing command prints its results: `--output table|json|tsv`, or `--json`.
public enum OutputFormat: String, Sendable, CaseIterable {
    /// Aligned columns with upper-cased headers, for people.
    case table
    /// An array of objects, for programs.
    case json
    /// Tab-separated values with escapes, for `cut`, `awk` and friends.
    case tsv

    /// The format asked for by ``ArgumentSpec/jsonFlag`` and ``ArgumentSpec/outputOption``; `.table` when
    /// neither was given.
    /// - Throws: ``UsageError`` when `--json` and a different `--output` are both given.
    public static func from(_ arguments: ParsedArguments) throws(UsageError) -> OutputFormat {
        try explicit(arguments) ?? .table
    }

    /// Like ``from(_:)``, but when no format was given it picks `.table` for a terminal and `.tsv` otherwise
    /// (so `knocker … | cut -f1` gets machine-readable text).
    public static func from(_ arguments: ParsedArguments, for stream: TextStream) throws(UsageError) -> OutputFormat {
        try explicit(arguments) ?? (stream.isTerminal ? .table : .tsv)
    }

    private static func explicit(_ arguments: ParsedArguments) throws(UsageError) -> OutputFormat? {
        let output = arguments.sources[outputKey] == .defaultValue ? nil : arguments.string(outputKey)
        let format: OutputFormat?
        if let output {
            guard let parsed = OutputFormat(rawValue: output) else {
                throw UsageError(
                    "The value '\(output)' is invalid for '--output <format>'. "
                        + "Please provide one of \(quotedAlternatives(allCases.map(\.rawValue))).",
                    commandPath: arguments.commandPath
                )
            }
            format = parsed
        } else {
            format = nil
        }
        guard arguments.flag(jsonKey) else { return format }
        if let format, format != .json {
            throw UsageError(
                "'--json' cannot be used with '--output \(format.rawValue)'.",
                commandPath: arguments.commandPath
            )
        }
        return .json
    }

    static let jsonKey = "json"
    static let outputKey = "output"
}

extension ArgumentSpec {
    /// `--json`: print JSON (same as `--output json`). Read it with ``OutputFormat/from(_:)``.
    public static var jsonFlag: ArgumentSpec {
        .flag(OutputFormat.jsonKey, help: "Print JSON (same as --output json).")
    }

    /// `-o, --output <format>` with values `table`, `json`, `tsv`. Read it with ``OutputFormat/from(_:)``.
    public static var outputOption: ArgumentSpec {
        .option(
            OutputFormat.outputKey,
            short: "o",
            value: "format",
            help: "Output format.",
            values: OutputFormat.allCases.map(\.rawValue)
        )
    }
}

extension TextStream {
    /// Writes `value` as pretty-printed JSON with sorted keys, followed by a newline.
    /// - Throws: `EncodingError` when the value cannot be encoded.
    public func writeJSON(_ value: some Encodable) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(value)
        line(String(decoding: data, as: UTF8.self))
    }

    /// Writes `value` as one line of JSON (NDJSON), for streams of results.
    public func writeJSONLine(_ value: some Encodable) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(value)
        line(String(decoding: data, as: UTF8.self))
    }

    /// Writes `table` in `format` (see ``Table/render(_:width:isTerminal:)``).
    public func write(_ table: Table, format: OutputFormat) {
        write(table.render(format, width: columns, isTerminal: isTerminal))
    }
}
