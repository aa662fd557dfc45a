extension PostgresConnection {
    /// Bulk-loads rows with `COPY table (columns) FROM STDIN` in text format, sent in ~64 KiB chunks.
    ///
    /// `table` may be schema-qualified (`schema.table`); each part and each column is quoted as an identifier.
    /// Values are escaped for the text format; nil is NULL.
    /// - Returns: the number of rows the server copied.
    /// - Throws: ``PostgresError/Code/copyFailed`` when a row has the wrong number of values or the server
    ///   rejects the data (the server's SQLSTATE is kept).
    public func copyIn(table: String, columns: [String], rows: some Sequence<[String?]>) throws(PostgresError) -> Int {
        let target = table.split(separator: ".", omittingEmptySubsequences: false)
            .map { PostgresQuery.quoteIdentifier(String($0)) }
            .joined(separator: ".")
        let columnList = columns.map(PostgresQuery.quoteIdentifier).joined(separator: ", ")
        let sql = "COPY \(target) (\(columnList)) FROM STDIN"
        try checkCancelled(sql)
        do {
            try raw.beginCopyIn(sql)
        } catch {
            throw resolve(error)
        }
        var buffer: [UInt8] = []
        buffer.reserveCapacity(Self.copyChunkSize + 4096)
        var rowNumber = 0
        do throws(PostgresError) {
            for row in rows {
                rowNumber += 1
                guard row.count == columns.count else {
                    let message = "row \(rowNumber) has \(row.count) values, expected \(columns.count)"
                    _ = try? raw.endCopy(failure: message, query: sql)
                    throw PostgresError(code: .copyFailed, message: message, query: sql)
                }
                Self.appendCopyRow(row, to: &buffer)
                if buffer.count >= Self.copyChunkSize {
                    try raw.putCopyData(buffer)
                    buffer.removeAll(keepingCapacity: true)
                }
                if cancellation?.isCancelled == true {
                    _ = try? raw.endCopy(failure: "cancelled", query: sql)
                    throw PostgresError(code: .cancelled, message: "the task was cancelled", query: sql)
                }
            }
            if !buffer.isEmpty { try raw.putCopyData(buffer) }
            return try raw.endCopy(failure: nil, query: sql)
        } catch {
            throw resolve(error)
        }
    }

    static let copyChunkSize = 64 * 1024

    /// Appends one line of COPY text format: tab-separated, `\N` for NULL, backslash escapes.
    static func appendCopyRow(_ row: [String?], to buffer: inout [UInt8]) {
        for (index, value) in row.enumerated() {
            if index > 0 { buffer.append(UInt8(ascii: "\t")) }
            guard let value else {
                buffer.append(UInt8(ascii: "\\"))
                buffer.append(UInt8(ascii: "N"))
                continue
            }
            for byte in value.utf8 {
                switch byte {
                case UInt8(ascii: "\\"):
                    buffer.append(UInt8(ascii: "\\"))
                    buffer.append(UInt8(ascii: "\\"))
                case UInt8(ascii: "\t"):
                    buffer.append(UInt8(ascii: "\\"))
                    buffer.append(UInt8(ascii: "t"))
                case UInt8(ascii: "\n"):
                    buffer.append(UInt8(ascii: "\\"))
                    buffer.append(UInt8(ascii: "n"))
                case UInt8(ascii: "\r"):
                    buffer.append(UInt8(ascii: "\\"))
                    buffer.append(UInt8(ascii: "r"))
                default:
                    buffer.append(byte)
                }
            }
        }
        buffer.append(UInt8(ascii: "\n"))
    }
}
