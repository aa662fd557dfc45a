import CLibPQ
import Foundation
import Synchronization

// Every libpq call and every unsafe pointer of the Postgres layer lives in this file. The types here expose only
// Swift values (`PostgresRows`, `PostgresError`, `PostgresNotification`) to the rest of KnockerKit.

/// The transaction state libpq reports for a connection.
enum LibPQTransactionStatus: Sendable, Equatable {
    case idle, active, inTransaction, inFailedTransaction, unknown
}

/// One libpq connection (`PGconn`). Not thread-safe: only the thread that currently holds it may call it.
final class LibPQConnection {
    private let handle: OpaquePointer
    /// Sends `PQcancel` for this connection; safe to use from any thread.
    let canceller: LibPQCanceller

    private init(handle: OpaquePointer) {
        self.handle = handle
        self.canceller = LibPQCanceller(PQgetCancel(handle))
    }

    deinit {
        canceller.invalidate()
        PQfinish(handle)
    }

    /// Opens a connection with `PQconnectdbParams` (expand_dbname = 1), blocking until it is ready or fails.
    /// - Parameters:
    ///   - parameters: keyword/value pairs in order; later pairs override earlier ones.
    ///   - secrets: strings (passwords) to remove from any error message.
    static func connect(parameters: [(String, String)], secrets: [String]) throws(PostgresError) -> LibPQConnection {
        let keys = parameters.map { strdup($0.0) }
        let values = parameters.map { strdup($0.1) }
        defer {
            keys.forEach { free($0) }
            values.forEach { free($0) }
        }
        var keyPointers: [UnsafePointer<CChar>?] = keys.map { $0.map { UnsafePointer($0) } }
        var valuePointers: [UnsafePointer<CChar>?] = values.map { $0.map { UnsafePointer($0) } }
        keyPointers.append(nil)
        valuePointers.append(nil)
        guard let connection = PQconnectdbParams(keyPointers, valuePointers, 1) else {
            throw PostgresError(code: .connectionFailed, message: "libpq could not allocate a connection")
        }
        guard PQstatus(connection) == CONNECTION_OK else {
            let message = cleanMessage(PQerrorMessage(connection), secrets: secrets)
            PQfinish(connection)
            throw PostgresError(code: .connectionFailed, message: message)
        }
        PQsetNoticeProcessor(connection, { _, _ in }, nil)
        return LibPQConnection(handle: connection)
    }

    /// Parses a URI or key=value connection string with `PQconninfoParse`; only keys with values are returned.
    static func parseConnectionInfo(_ text: String) -> Result<[String: String], PostgresError> {
        var errorPointer: UnsafeMutablePointer<CChar>?
        guard let options = PQconninfoParse(text, &errorPointer) else {
            let message = errorPointer.map { cleanMessage($0, secrets: []) } ?? "invalid connection string"
            if let errorPointer { PQfreemem(errorPointer) }
            return .failure(PostgresError(code: .invalidConfiguration, message: message))
        }
        defer { PQconninfoFree(options) }
        var result: [String: String] = [:]
        var index = 0
        while let keyword = options[index].keyword {
            if let value = options[index].val {
                result[String(cString: keyword)] = String(cString: value)
            }
            index += 1
        }
        return .success(result)
    }

    /// `PQserverVersion`, e.g. 150004.
    var serverVersion: Int { Int(PQserverVersion(handle)) }

    /// `PQbackendPID`.
    var backendProcessID: Int32 { PQbackendPID(handle) }

    /// Whether libpq still considers the connection usable.
    var isConnectionOK: Bool { PQstatus(handle) == CONNECTION_OK }

    /// `PQtransactionStatus`.
    var transactionStatus: LibPQTransactionStatus {
        switch PQtransactionStatus(handle) {
        case PQTRANS_IDLE: .idle
        case PQTRANS_ACTIVE: .active
        case PQTRANS_INTRANS: .inTransaction
        case PQTRANS_INERROR: .inFailedTransaction
        default: .unknown
        }
    }

    /// A cheap check before lending an idle connection: polls the socket without waiting and, if the server sent
    /// something (a termination notice, EOF after a restart), reads it. Returns false for a dead connection.
    func isHealthy() -> Bool {
        guard PQstatus(handle) == CONNECTION_OK else { return false }
        let socket = PQsocket(handle)
        guard socket >= 0 else { return false }
        for _ in 0..<8 {
            var descriptor = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, 0)
            if ready < 0 {
                if errno == EINTR { continue }
                return false
            }
            if ready == 0 { break }
            if PQconsumeInput(handle) == 0 { return false }
            _ = takeNotifications()
            if PQstatus(handle) != CONNECTION_OK { return false }
        }
        return PQstatus(handle) == CONNECTION_OK && transactionStatus == .idle
    }

    /// Runs one statement with `PQexecParams`: text-format results; parameters in text format (type left to the
    /// server) or binary with their type.
    func execute(_ sql: String, parameters: [PostgresParameter]) throws(PostgresError) -> PostgresRows {
        var storage: [UnsafeMutableRawPointer?] = []
        storage.reserveCapacity(parameters.count)
        defer { storage.forEach { free($0) } }
        var types: [Oid] = []
        var lengths: [Int32] = []
        var formats: [Int32] = []
        types.reserveCapacity(parameters.count)
        lengths.reserveCapacity(parameters.count)
        formats.reserveCapacity(parameters.count)
        for parameter in parameters {
            switch parameter {
            case .text(let value):
                storage.append(value.map { UnsafeMutableRawPointer(strdup($0)) } ?? nil)
                types.append(0)
                lengths.append(0)
                formats.append(0)
            case .binary(let value):
                // malloc(0) may return nil, which libpq would read as NULL: allocate at least one byte.
                let copy = malloc(max(1, value.bytes.count))
                if let copy {
                    value.bytes.withUnsafeBytes { source in
                        if let base = source.baseAddress { copy.copyMemory(from: base, byteCount: source.count) }
                    }
                }
                storage.append(copy)
                types.append(Oid(value.typeOID))
                lengths.append(Int32(clamping: value.bytes.count))
                formats.append(1)
            }
        }
        if zip(parameters, storage).contains(where: { parameter, pointer in
            if case .binary = parameter { pointer == nil } else { false }
        }) {
            throw PostgresError(code: .protocolViolation, message: "out of memory for a query parameter", query: sql)
        }
        let pointers: [UnsafePointer<CChar>?] = storage.map {
            $0.map { UnsafePointer($0.assumingMemoryBound(to: CChar.self)) }
        }
        let result = pointers.withUnsafeBufferPointer { values in
            PQexecParams(handle, sql, Int32(parameters.count), types, values.baseAddress, lengths, formats, 0)
        }
        return try consume(result, query: sql)
    }

    /// Runs one or more statements with `PQexec` (simple-query protocol, no parameters).
    func executeSimple(_ sql: String) throws(PostgresError) -> PostgresRows {
        try consume(PQexec(handle, sql), query: sql)
    }

    /// Starts `COPY … FROM STDIN`; the statement must put the connection into copy-in state.
    func beginCopyIn(_ sql: String) throws(PostgresError) {
        guard let result = PQexec(handle, sql) else { throw connectionError(query: sql) }
        defer { PQclear(result) }
        guard PQresultStatus(result) == PGRES_COPY_IN else {
            if let error = resultError(result, query: sql) { throw error }
            throw PostgresError(code: .copyFailed, message: "the server did not enter COPY IN mode", query: sql)
        }
    }

    /// Sends one chunk of COPY data (blocking until libpq has queued it).
    func putCopyData(_ bytes: [UInt8]) throws(PostgresError) {
        let status = bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { PQputCopyData(handle, $0.baseAddress, Int32($0.count)) }
        }
        guard status == 1 else { throw connectionError(query: nil, code: .copyFailed) }
    }

    /// Ends the COPY (or aborts it with `failure`) and returns the number of rows the server copied.
    func endCopy(failure: String?, query: String) throws(PostgresError) -> Int {
        let status = failure.map { PQputCopyEnd(handle, $0) } ?? PQputCopyEnd(handle, nil)
        guard status == 1 else { throw connectionError(query: query, code: .copyFailed) }
        var firstError: PostgresError?
        var copied = 0
        while let result = PQgetResult(handle) {
            defer { PQclear(result) }
            if let error = resultError(result, query: query) {
                if firstError == nil { firstError = error }
            } else {
                copied = Int(String(cString: PQcmdTuples(result))) ?? copied
            }
        }
        if let firstError {
            var error = firstError
            if error.code == .server && failure != nil { error.code = .copyFailed }
            throw error
        }
        if !isConnectionOK { throw connectionError(query: query, code: .connectionLost) }
        return copied
    }

    /// Waits up to `timeoutMilliseconds` for the socket to become readable, then reads and returns any
    /// notifications. Throws `.connectionLost` when the connection is gone.
    func waitForNotifications(timeoutMilliseconds: Int32) throws(PostgresError) -> [PostgresNotification] {
        let socket = PQsocket(handle)
        guard socket >= 0, isConnectionOK else { throw connectionError(query: nil, code: .connectionLost) }
        var descriptor = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
        let ready = poll(&descriptor, 1, timeoutMilliseconds)
        if ready < 0 && errno != EINTR { throw connectionError(query: nil, code: .connectionLost) }
        if ready > 0 && PQconsumeInput(handle) == 0 { throw connectionError(query: nil, code: .connectionLost) }
        let notifications = takeNotifications()
        guard isConnectionOK else { throw connectionError(query: nil, code: .connectionLost) }
        return notifications
    }

    private func takeNotifications() -> [PostgresNotification] {
        var notifications: [PostgresNotification] = []
        while let notify = PQnotifies(handle) {
            let channel = String(cString: notify.pointee.relname)
            let payload = notify.pointee.extra.map { String(cString: $0) } ?? ""
            notifications.append(
                PostgresNotification(channel: channel, payload: payload, processID: notify.pointee.be_pid)
            )
            PQfreemem(notify)
        }
        return notifications
    }

    private func consume(_ result: OpaquePointer?, query: String) throws(PostgresError) -> PostgresRows {
        guard let result else { throw connectionError(query: query) }
        defer { PQclear(result) }
        if let error = resultError(result, query: query) { throw error }
        let status = PQresultStatus(result)
        guard status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK || status == PGRES_EMPTY_QUERY else {
            let name = String(cString: PQresStatus(status))
            throw PostgresError(code: .protocolViolation, message: "unexpected result status \(name)", query: query)
        }
        let rowCount = Int(PQntuples(result))
        let columnCount = Int(PQnfields(result))
        var names: [String] = []
        names.reserveCapacity(columnCount)
        for column in 0..<columnCount {
            names.append(PQfname(result, Int32(column)).map { String(cString: $0) } ?? "?column?")
        }
        var values: [String?] = []
        values.reserveCapacity(rowCount * columnCount)
        for row in 0..<Int32(rowCount) {
            for column in 0..<Int32(columnCount) {
                if PQgetisnull(result, row, column) == 1 {
                    values.append(nil)
                } else {
                    let length = Int(PQgetlength(result, row, column))
                    let bytes = UnsafeRawBufferPointer(start: PQgetvalue(result, row, column), count: length)
                    values.append(String(decoding: bytes, as: UTF8.self))
                }
            }
        }
        let affected = Int(String(cString: PQcmdTuples(result))) ?? 0
        let tag = String(cString: PQcmdStatus(result))
        return PostgresRows(columnNames: names, values: values, affectedRows: affected, commandTag: tag)
    }

    /// The error a failed result describes, or nil when the result is not an error.
    private func resultError(_ result: OpaquePointer, query: String?) -> PostgresError? {
        let status = PQresultStatus(result)
        guard status == PGRES_FATAL_ERROR || status == PGRES_BAD_RESPONSE || status == PGRES_NONFATAL_ERROR else {
            return nil
        }
        func field(_ code: UInt8) -> String? {
            PQresultErrorField(result, Int32(code)).map { String(cString: $0) }
        }
        let sqlState = field(UInt8(ascii: "C"))
        let primary = field(UInt8(ascii: "M")) ?? Self.cleanMessage(PQresultErrorMessage(result), secrets: [])
        var code: PostgresError.Code = sqlState == nil ? .protocolViolation : .server
        if !isConnectionOK { code = .connectionLost }
        var error = PostgresError(code: code, message: primary.isEmpty ? "unknown server error" : primary)
        error.sqlState = sqlState
        error.detail = field(UInt8(ascii: "D"))
        error.hint = field(UInt8(ascii: "H"))
        error.constraint = field(UInt8(ascii: "n"))
        error.table = field(UInt8(ascii: "t"))
        error.column = field(UInt8(ascii: "c"))
        error.query = query
        return error
    }

    private func connectionError(query: String?, code: PostgresError.Code? = nil) -> PostgresError {
        let message = Self.cleanMessage(PQerrorMessage(handle), secrets: [])
        let resolved = code ?? (isConnectionOK ? .protocolViolation : .connectionLost)
        return PostgresError(
            code: resolved,
            message: message.isEmpty ? "the connection to the database was lost" : message,
            query: query
        )
    }

    /// libpq messages end in newlines and use tab-indented continuation lines; make them one line.
    private static func cleanMessage(_ pointer: UnsafePointer<CChar>?, secrets: [String]) -> String {
        guard let pointer else { return "" }
        var text = String(cString: pointer)
        for secret in secrets where !secret.isEmpty {
            text = text.replacingOccurrences(of: secret, with: "********")
        }
        return text.split(whereSeparator: { $0 == "\n" || $0 == "\t" })
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
            .joined(separator: " ")
    }

    private static func cleanMessage(_ pointer: UnsafeMutablePointer<CChar>, secrets: [String]) -> String {
        cleanMessage(UnsafePointer(pointer), secrets: secrets)
    }
}

@available(*, unavailable)
extension LibPQConnection: Sendable {}

/// Owns a `PGcancel` object. `cancel()` may be called from any thread while another thread runs a query;
/// the lock only orders it against `invalidate()`.
final class LibPQCanceller: Sendable {
    private struct Pointer: @unchecked Sendable {  // PQcancel is documented as thread-safe
        let raw: OpaquePointer
    }

    private let pointer: Mutex<Pointer?>

    fileprivate init(_ raw: OpaquePointer?) {
        pointer = Mutex(raw.map { Pointer(raw: $0) })
    }

    /// Asks the server to cancel whatever this connection is running. Returns whether the request was sent.
    @discardableResult
    func cancel() -> Bool {
        pointer.withLock { pointer in
            guard let pointer else { return false }
            var buffer = [CChar](repeating: 0, count: 256)
            return PQcancel(pointer.raw, &buffer, Int32(buffer.count)) == 1
        }
    }

    fileprivate func invalidate() {
        pointer.withLock { pointer in
            if let raw = pointer?.raw { PQfreeCancel(raw) }
            pointer = nil
        }
    }
}
