/// A SQL statement plus its text-format parameters.
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
    /// The parameter values in text format; nil is SQL NULL.
    public var binds: [String?]

    /// Creates a query from SQL the caller promises came from our own code, not from input.
    public init(unsafeSQL sql: String, binds: [String?] = []) {
        self.sql = sql
        self.binds = binds
    }

    /// A query with no parameters.
    public init(stringLiteral value: String) {
        self.init(unsafeSQL: value)
    }

    /// A query built by interpolation.
    public init(stringInterpolation: StringInterpolation) {
        self.init(unsafeSQL: stringInterpolation.sql, binds: stringInterpolation.binds)
    }

    /// Collects SQL text and binds while a query literal is interpolated.
    public struct StringInterpolation: StringInterpolationProtocol {
        /// The SQL so far.
        public var sql: String
        /// The binds so far.
        public var binds: [String?]

        /// Reserves space for the literal.
        public init(literalCapacity: Int, interpolationCount: Int) {
            sql = ""
            sql.reserveCapacity(literalCapacity + interpolationCount * 3)
            binds = []
            binds.reserveCapacity(interpolationCount)
        }

        /// Appends SQL text.
        public mutating func appendLiteral(_ literal: String) {
            sql += literal
        }

        /// Binds `value` as the next `$n` parameter.
        public mutating func appendInterpolation(_ value: some PostgresEncodable) {
            binds.append(value.postgresText)
            sql += "$\(binds.count)"
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
