/// A SQL statement plus its parameters: text format, or binary (``PostgresBinaryValue``) for bulk arrays.
///
/// Build queries by interpolation: every interpolated value is bound as `$1`, `$2`, …, never spliced into the SQL.
/// `\(unescaped: name)` splices raw text and is only for identifiers our own code controls.
///
/// ```swift
/// let query: PostgresQuery = "SELECT name FROM monitors WHERE id = \(id) AND enabled = \(true)"
/// ```
public struct PostgresQuery: Sendable, ExpressibleByStringInterpolation {
    /// The SQL text with `$n` placeholders.
    public var sql: String
    /// The parameter values, `$1` first.
    public var parameters: [PostgresParameter]

    /// The text-format parameter values (nil for SQL NULL and for binary parameters).
    public var binds: [String?] {
        parameters.map { parameter in
            if case .text(let value) = parameter { value } else { nil }
        }
    }

    /// Creates a query from SQL the caller promises came from our own code, not from input.
    public init(unsafeSQL sql: String, binds: [String?] = []) {
        self.sql = sql
        self.parameters = binds.map(PostgresParameter.text)
    }

    /// Creates a query from SQL the caller promises came from our own code, with any kind of parameters.
    public init(unsafeSQL sql: String, parameters: [PostgresParameter]) {
        self.sql = sql
        self.parameters = parameters
    }

    /// A query with no parameters.
    public init(stringLiteral value: String) {
        self.init(unsafeSQL: value)
    }

    /// A query built by interpolation.
    public init(stringInterpolation: StringInterpolation) {
        self.init(unsafeSQL: stringInterpolation.sql, parameters: stringInterpolation.parameters)
    }

    /// Collects SQL text and binds while a query literal is interpolated.
    public struct StringInterpolation: StringInterpolationProtocol {
        /// The SQL so far.
        public var sql: String
        /// The parameters so far.
        public var parameters: [PostgresParameter]

        /// Reserves space for the literal.
        public init(literalCapacity: Int, interpolationCount: Int) {
            sql = ""
            sql.reserveCapacity(literalCapacity + interpolationCount * 3)
            parameters = []
            parameters.reserveCapacity(interpolationCount)
        }

        /// Appends SQL text.
        public mutating func appendLiteral(_ literal: String) {
            sql += literal
        }

        /// Binds `value` as the next `$n` parameter.
        public mutating func appendInterpolation(_ value: some PostgresEncodable) {
            parameters.append(.text(value.postgresText))
            sql += "$\(parameters.count)"
        }

        /// Binds `value` as the next `$n` parameter, in binary format with its type.
        public mutating func appendInterpolation(_ value: PostgresBinaryValue) {
            parameters.append(.binary(value))
            sql += "$\(parameters.count)"
        }

        /// Splices raw text into the SQL. Only for identifiers and fragments our own code controls.
        public mutating func appendInterpolation(unescaped text: String) {
            sql += text
        }
    }

    /// Quotes an identifier for SQL: `my "table"` becomes `"my ""table"""`.
    public static func quoteIdentifier(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

/// One bound parameter of a ``PostgresQuery``.
public enum PostgresParameter: Sendable, Equatable {
    /// Text format, type inferred by the server; nil is SQL NULL.
    case text(String?)
    /// Binary format with its type.
    case binary(PostgresBinaryValue)
}
