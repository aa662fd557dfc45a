/// asynq's `WorkerInfo` protobuf: one in-flight task, stored as a value of the hash
/// `asynq:workers:{host:pid:serverID}` (field = task ID).
public struct WorkerInfo: Sendable, Equatable {
    /// Host name (field 1).
    public var host: String
    /// Process ID (field 2).
    public var pid: Int32
    /// Server instance ID (field 3).
    public var serverID: String
    /// Task ID (field 4).
    public var taskID: String
    /// Task type (field 5).
    public var taskType: String
    /// Task payload (field 6), raw bytes.
    public var taskPayload: [UInt8]
    /// Queue the task came from (field 7).
    public var queue: String
    /// When the task was dispatched to a handler (field 8).
    public var startTime: ProtobufTimestamp?
    /// The handler's deadline (field 9).
    public var deadline: ProtobufTimestamp?

    /// A worker description; everything defaults to zero or empty.
    public init(
        host: String = "",
        pid: Int32 = 0,
        serverID: String = "",
        taskID: String = "",
        taskType: String = "",
        taskPayload: [UInt8] = [],
        queue: String = "",
        startTime: ProtobufTimestamp? = nil,
        deadline: ProtobufTimestamp? = nil
    ) {
        self.host = host
        self.pid = pid
        self.serverID = serverID
        self.taskID = taskID
        self.taskType = taskType
        self.taskPayload = taskPayload
        self.queue = queue
        self.startTime = startTime
        self.deadline = deadline
    }

    /// Canonical wire data: fields in number order, zero scalars left out, timestamps written whenever set.
    public func encoded() -> [UInt8] {
        var writer = ProtobufWriter()
        writer.writeString(1, host)
        writer.writeInt32(2, pid)
        writer.writeString(3, serverID)
        writer.writeString(4, taskID)
        writer.writeString(5, taskType)
        writer.writeBytes(6, taskPayload)
        writer.writeString(7, queue)
        if let startTime { writer.writeLengthDelimited(8, startTime.encoded()) }
        if let deadline { writer.writeLengthDelimited(9, deadline.encoded()) }
        return writer.bytes
    }

    /// Decodes wire data, skipping unknown fields.
    public init(decoding bytes: some Collection<UInt8>) throws(ProtobufError) {
        self.init()
        var reader = ProtobufReader(bytes)
        while let field = try reader.next() {
            switch field.number {
            case 1: host = try field.string() ?? host
            case 2: pid = field.int32 ?? pid
            case 3: serverID = try field.string() ?? serverID
            case 4: taskID = try field.string() ?? taskID
            case 5: taskType = try field.string() ?? taskType
            case 6: taskPayload = field.bytes.map(Array.init) ?? taskPayload
            case 7: queue = try field.string() ?? queue
            case 8:
                if let nested = field.bytes { startTime = try ProtobufTimestamp(decoding: nested) }
            case 9:
                if let nested = field.bytes { deadline = try ProtobufTimestamp(decoding: nested) }
            default: break
            }
        }
    }
}
