import Foundation

/// One schema change: its up and down SQL and a checksum of the up SQL.
public struct Migration: Sendable, Equatable {
    public var version: Int
    public var name: String
    public var up: String
    public var down: String
    /// SHA-256 of the up SQL; recorded when applied, so a later edit of an applied file is noticed.
    public var checksum: String
    /// Files starting with `-- knocker:no-transaction` run outside a transaction (for statements such as
    /// `CREATE INDEX CONCURRENTLY` that refuse to run inside one).
    public var runsInTransaction: Bool

    public init(version: Int, name: String, up: String, down: String) {
        self.version = version
        self.name = name
        self.up = up
        self.down = down
        self.checksum = Digest.hex(Digest.sha256(Array(up.utf8)))
        self.runsInTransaction = !up.hasPrefix("-- knocker:no-transaction")
    }

    /// `0003_incidents`
    public var label: String { MigrationCatalog.label(version: version, name: name) }
}

/// Finds migrations: those embedded in the binary at build time, or the files of a folder.
public enum MigrationCatalog {
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// The migrations built into this binary from the repository's `migrations/` folder.
    public static func embedded() throws(Failure) -> [Migration] {
        try assemble(EmbeddedMigrationFiles.files.map { ($0.name, $0.text) }, origin: "the embedded migrations")
    }

    /// The migrations in `directory` (`NNNN_name.up.sql` and `NNNN_name.down.sql`).
    public static func load(directory: String) throws(Failure) -> [Migration] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw Failure(description: "cannot read the migrations folder \(directory): \(error.localizedDescription)")
        }
        var files: [(String, String)] = []
        for name in names where name.hasSuffix(".sql") {
            let path = (directory as NSString).appendingPathComponent(name)
            guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8)
            else { throw Failure(description: "cannot read \(path) as UTF-8 text") }
            files.append((name, text))
        }
        return try assemble(files, origin: directory)
    }

    /// `0003_incidents`
    public static func label(version: Int, name: String) -> String {
        let digits = String(version)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits + "_" + name
    }

    /// Parses `0003_incidents.up.sql` into (3, "incidents", "up").
    static func parseFileName(_ file: String) -> (version: Int, name: String, direction: String)? {
        let direction: String
        if file.hasSuffix(".up.sql") {
            direction = "up"
        } else if file.hasSuffix(".down.sql") {
            direction = "down"
        } else {
            return nil
        }
        let stem = file.dropLast(direction.count + 5)
        guard let underscore = stem.firstIndex(of: "_") else { return nil }
        let digits = stem[..<underscore]
        let name = stem[stem.index(after: underscore)...]
        guard digits.count >= 4, digits.allSatisfy(\.isASCII), let version = Int(digits), version > 0,
            isValidName(String(name))
        else { return nil }
        return (version, String(name), direction)
    }

    /// Lower-case letters, digits and underscores, starting with a letter.
    public static func isValidName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, ("a"..."z").contains(first), name.count <= 100 else {
            return false
        }
        return name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
    }

    static func assemble(_ files: [(name: String, text: String)], origin: String) throws(Failure) -> [Migration] {
        var byVersion: [Int: (name: String, up: String?, down: String?)] = [:]
        for file in files {
            guard let parsed = parseFileName(file.name) else {
                throw Failure(
                    description: "\(origin): '\(file.name)' is not named NNNN_name.up.sql or NNNN_name.down.sql"
                )
            }
            var entry = byVersion[parsed.version] ?? (parsed.name, nil, nil)
            guard entry.name == parsed.name else {
                throw Failure(
                    description: "\(origin): version \(parsed.version) is used by both '\(entry.name)' and "
                        + "'\(parsed.name)'"
                )
            }
            if parsed.direction == "up" { entry.up = file.text } else { entry.down = file.text }
            byVersion[parsed.version] = entry
        }
        var migrations: [Migration] = []
        for (version, entry) in byVersion.sorted(by: { $0.key < $1.key }) {
            let label = label(version: version, name: entry.name)
            guard let up = entry.up else { throw Failure(description: "\(origin): \(label).up.sql is missing") }
            guard let down = entry.down else {
                throw Failure(description: "\(origin): \(label).down.sql is missing")
            }
            migrations.append(Migration(version: version, name: entry.name, up: up, down: down))
        }
        return migrations
    }
}
