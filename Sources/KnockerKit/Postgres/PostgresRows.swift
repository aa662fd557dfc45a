/// The rows a statement returned, in text format.
public struct PostgresRows: Sendable, RandomAccessCollection {
    /// The result's column names, in order.
    public var columnNames: [String] { storage.columnNames }
    /// The rows the statement affected (`PQcmdTuples`); 0 when it does not apply.
    public var affectedRows: Int
    /// The command tag, e.g. `INSERT 0 1`, `SELECT 3`, `COMMIT`.
    public var commandTag: String

    private let storage: PostgresRowStorage

    init(columnNames: [String], values: [String?], affectedRows: Int, commandTag: String) {
        self.storage = PostgresRowStorage(columnNames: columnNames, values: values)
        self.affectedRows = affectedRows
        self.commandTag = commandTag
    }

    /// The first row's index, 0.
    public var startIndex: Int { 0 }
    /// One past the last row.
    public var endIndex: Int { storage.rowCount }

    /// The row at `position`.
    public subscript(position: Int) -> PostgresRow {
        PostgresRow(storage: storage, row: position)
    }
}

/// One row of a result. Values are the server's text output; nil is SQL NULL.
public struct PostgresRow: Sendable {
    private let storage: PostgresRowStorage
    private let row: Int

    init(storage: PostgresRowStorage, row: Int) {
        self.storage = storage
        self.row = row
    }

    /// The number of columns.
    public var count: Int { storage.columnNames.count }

    /// The raw text of column `index`; nil is SQL NULL.
    public subscript(_ index: Int) -> String? {
        storage.values[row * storage.columnNames.count + index]
    }

    /// Decodes column `index`. NULL or text of the wrong shape throws a ``PostgresError/Code/decoding`` error.
    public func decode<T: PostgresDecodable>(_ type: T.Type, at index: Int) throws(PostgresError) -> T {
        guard let value = try decodeOptional(type, at: index) else {
            throw decodingError("column \(columnName(index)) is NULL, expected \(T.self)")
        }
        return value
    }

    /// Decodes the column named `column`.
    public func decode<T: PostgresDecodable>(_ type: T.Type, column: String) throws(PostgresError) -> T {
        try decode(type, at: try index(of: column))
    }

    /// Decodes the column named `column`, returning nil for NULL.
    public func decodeOptional<T: PostgresDecodable>(_ type: T.Type, column: String) throws(PostgresError) -> T? {
        try decodeOptional(type, at: try index(of: column))
    }

    /// Decodes column `index`, returning nil for NULL.
    public func decodeOptional<T: PostgresDecodable>(_ type: T.Type, at index: Int) throws(PostgresError) -> T? {
        guard index >= 0 && index < count else {
            throw decodingError("column index \(index) is out of range (the row has \(count) columns)")
        }
        guard let text = self[index] else { return nil }
        do {
            return try T(postgresText: text)
        } catch {
            var named = error
            named.message = "column \(columnName(index)): \(error.message)"
            throw named
        }
    }

    private func index(of column: String) throws(PostgresError) -> Int {
        guard let index = storage.columnIndex[column] else {
            throw decodingError("the result has no column named \(column)")
        }
        return index
    }

    private func columnName(_ index: Int) -> String {
        "\"\(storage.columnNames[index])\""
    }

    private func decodingError(_ message: String) -> PostgresError {
        PostgresError(code: .decoding, message: message)
    }
}

/// The values of a result, shared by its rows.
final class PostgresRowStorage: Sendable {
    let columnNames: [String]
    let columnIndex: [String: Int]
    let values: [String?]
    let rowCount: Int

    init(columnNames: [String], values: [String?]) {
        self.columnNames = columnNames
        var index: [String: Int] = [:]
        for (position, name) in columnNames.enumerated() where index[name] == nil {
            index[name] = position
        }
        self.columnIndex = index
        self.values = values
        self.rowCount = columnNames.isEmpty ? 0 : values.count / columnNames.count
    }
}
