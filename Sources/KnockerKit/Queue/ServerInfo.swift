/// asynq's `ServerInfo` protobuf, stored with `SETEX` at `asynq:servers:{host:pid:serverID}` by the heartbeat and
/// read by the inspector, the CLI and asynqmon.
public struct ServerInfo: Sendable, Equatable {
    /// Host name (field 1).
    public var host: String
    /// Process ID (field 2).
    public var pid: Int32
    /// Server instance ID, a UUID (field 3).
    public var serverID: String
    /// Maximum concurrent tasks (field 4).
    public var concurrency: Int32
    /// Queue name → normalised weight (field 5, `map<string,int32>`).
    public var queues: [String: Int32]
    /// Whether queues are served in strict priority order (field 6).
    public var strictPriority: Bool
    /// `new`, `active`, `stopped` or `closed` (field 7).
    public var status: String
    /// When the server's heartbeat started (field 8).
    public var startTime: ProtobufTimestamp?
    /// Tasks in flight (field 9).
    public var activeWorkerCount: Int32

    /// A server description; everything defaults to zero or empty.
    public init(
        host: String = "",
        pid: Int32 = 0,
        serverID: String = "",
        concurrency: Int32 = 0,
        queues: [String: Int32] = [:],
        strictPriority: Bool = false,
        status: String = "",
        startTime: ProtobufTimestamp? = nil,
        activeWorkerCount: Int32 = 0
    ) {
        self.host = host
        self.pid = pid
        self.serverID = serverID
        self.concurrency = concurrency
        self.queues = queues
        self.strictPriority = strictPriority
        self.status = status
        self.startTime = startTime
        self.activeWorkerCount = activeWorkerCount
    }

    /// Canonical wire data: fields in number order, map entries sorted by key (each entry writes both key and
    /// value, as protobuf runtimes do), zero scalars left out, `startTime` written whenever it is set.
    public func encoded() -> [UInt8] {
        var writer = ProtobufWriter()
        writer.writeString(1, host)
        writer.writeInt32(2, pid)
        writer.writeString(3, serverID)
        writer.writeInt32(4, concurrency)
        for name in queues.keys.sorted() {
            var entry = ProtobufWriter()
            entry.writeLengthDelimited(1, Array(name.utf8))
            entry.appendTag(2, .varint)
            entry.appendVarint(UInt64(bitPattern: Int64(queues[name] ?? 0)))
            writer.writeLengthDelimited(5, entry.bytes)
        }
        writer.writeBool(6, strictPriority)
        writer.writeString(7, status)
        if let startTime { writer.writeLengthDelimited(8, startTime.encoded()) }
        writer.writeInt32(9, activeWorkerCount)
        return writer.bytes
    }

    /// Decodes wire data, skipping unknown fields; a map entry without a key or value uses "" or 0.
    public init(decoding bytes: some Collection<UInt8>) throws(ProtobufError) {
        self.init()
        var reader = ProtobufReader(bytes)
        while let field = try reader.next() {
            switch field.number {
            case 1: host = try field.string() ?? host
            case 2: pid = field.int32 ?? pid
            case 3: serverID = try field.string() ?? serverID
            case 4: concurrency = field.int32 ?? concurrency
            case 5:
                guard let entryBytes = field.bytes else { continue }
                var name = ""
                var weight: Int32 = 0
                var entry = ProtobufReader(entryBytes)
                while let part = try entry.next() {
                    switch part.number {
                    case 1: name = try part.string() ?? name
                    case 2: weight = part.int32 ?? weight
                    default: break
                    }
                }
                queues[name] = weight
            case 6: strictPriority = field.bool ?? strictPriority
            case 7: status = try field.string() ?? status
            case 8:
                if let nested = field.bytes { startTime = try ProtobufTimestamp(decoding: nested) }
            case 9: activeWorkerCount = field.int32 ?? activeWorkerCount
            default: break
            }
        }
    }
}
