/// asynq's `TaskMessage` protobuf (proto3, package `asynq`), stored as the `msg` field of every task hash.
///
/// Field numbers follow asynq v0.25: note that `last_failed_at` is 11 and `group_key` is 14. Encoding writes fields in
/// field-number order and leaves out zero and empty values; decoding treats missing fields as zero and skips unknown
/// fields (such as v0.26's field 15, `headers`), which are therefore dropped when a message is re-encoded — exactly
/// what the Go library does.
public struct TaskMessage: Sendable, Equatable {
    /// Task type name (field 1), e.g. `monitor:ping:{region}`.
    public var type: String
    /// User payload (field 2), raw bytes.
    public var payload: [UInt8]
    /// Task ID (field 3), normally a lower-case UUID.
    public var id: String
    /// Queue name (field 4).
    public var queue: String
    /// Maximum number of retries (field 5).
    public var retry: Int32
    /// Retries done so far (field 6).
    public var retried: Int32
    /// Message of the last failure (field 7).
    public var errorMessage: String
    /// Timeout in seconds (field 8); 0 = none.
    public var timeout: Int64
    /// Deadline in Unix seconds (field 9); 0 = none.
    public var deadline: Int64
    /// Full Redis key of the uniqueness lock (field 10); empty = none.
    public var uniqueKey: String
    /// Time of the last failure in Unix seconds (field 11); 0 = never.
    public var lastFailedAt: Int64
    /// Seconds to keep the task after success (field 12).
    public var retention: Int64
    /// Completion time in Unix seconds (field 13), set by MarkAsComplete.
    public var completedAt: Int64
    /// Aggregation group (field 14); empty = none.
    public var groupKey: String

    /// A message with the given fields; everything defaults to zero or empty.
    public init(
        type: String = "",
        payload: [UInt8] = [],
        id: String = "",
        queue: String = "",
        retry: Int32 = 0,
        retried: Int32 = 0,
        errorMessage: String = "",
        timeout: Int64 = 0,
        deadline: Int64 = 0,
        uniqueKey: String = "",
        lastFailedAt: Int64 = 0,
        retention: Int64 = 0,
        completedAt: Int64 = 0,
        groupKey: String = ""
    ) {
        self.type = type
        self.payload = payload
        self.id = id
        self.queue = queue
        self.retry = retry
        self.retried = retried
        self.errorMessage = errorMessage
        self.timeout = timeout
        self.deadline = deadline
        self.uniqueKey = uniqueKey
        self.lastFailedAt = lastFailedAt
        self.retention = retention
        self.completedAt = completedAt
        self.groupKey = groupKey
    }

    /// Decodes wire data, tolerating unknown fields; throws on malformed input, never traps.
    public init(decoding bytes: some Collection<UInt8>) throws(ProtobufError) {
        self.init()
        var reader = ProtobufReader(bytes)
        while let field = try reader.next() {
            switch field.number {
            case 1: type = try field.string() ?? type
            case 2: payload = field.bytes.map(Array.init) ?? payload
            case 3: id = try field.string() ?? id
            case 4: queue = try field.string() ?? queue
            case 5: retry = field.int32 ?? retry
            case 6: retried = field.int32 ?? retried
            case 7: errorMessage = try field.string() ?? errorMessage
            case 8: timeout = field.int64 ?? timeout
            case 9: deadline = field.int64 ?? deadline
            case 10: uniqueKey = try field.string() ?? uniqueKey
            case 11: lastFailedAt = field.int64 ?? lastFailedAt
            case 12: retention = field.int64 ?? retention
            case 13: completedAt = field.int64 ?? completedAt
            case 14: groupKey = try field.string() ?? groupKey
            default: break
            }
        }
    }

    /// Canonical wire data: fields in number order, zero and empty values left out.
    public func encoded() -> [UInt8] {
        var writer = ProtobufWriter()
        writer.writeString(1, type)
        writer.writeBytes(2, payload)
        writer.writeString(3, id)
        writer.writeString(4, queue)
        writer.writeInt32(5, retry)
        writer.writeInt32(6, retried)
        writer.writeString(7, errorMessage)
        writer.writeInt64(8, timeout)
        writer.writeInt64(9, deadline)
        writer.writeString(10, uniqueKey)
        writer.writeInt64(11, lastFailedAt)
        writer.writeInt64(12, retention)
        writer.writeInt64(13, completedAt)
        writer.writeString(14, groupKey)
        return writer.bytes
    }
}
