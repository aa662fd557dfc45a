import Foundation

/// A throwaway certificate authority made with the `openssl` CLI in a temporary directory; it issues leaf
/// certificates with any subjectAltName and validity period (`openssl ca -startdate/-enddate`, so expired ones too).
/// Every call blocks on `openssl`: use it off the cooperative pool, and from one test at a time.
final class TestCertificateAuthority: Sendable {
    /// A leaf certificate and its private key, PEM files.
    struct Leaf: Sendable {
        /// The certificate file.
        var certificate: String
        /// The private key file.
        var key: String
    }

    /// The CA certificate (PEM), the bundle to trust.
    let certificate: String
    private let directory: URL

    /// Makes the CA's key and self-signed certificate (valid 30 days).
    init() throws {
        directory = try TestTLSServer.makeTemporaryDirectory("knocker-ca")
        certificate = directory.appendingPathComponent("ca.pem").path
        let key = directory.appendingPathComponent("ca.key").path
        let database = directory.appendingPathComponent("index.txt")
        let configuration = """
            [ca]
            default_ca = test
            [test]
            database = \(database.path)
            new_certs_dir = \(directory.path)
            serial = \(directory.appendingPathComponent("serial").path)
            certificate = \(certificate)
            private_key = \(key)
            default_md = sha256
            policy = any
            unique_subject = no
            [any]
            commonName = supplied
            """
        do {
            try Data().write(to: database)
            try Data("\(configuration)\n".utf8).write(to: directory.appendingPathComponent("ca.cnf"))
            try TestTLSServer.openssl(
                Self.newKey(key) + [
                    "-x509", "-out", certificate, "-days", "30", "-subj", "/CN=Knocker Test CA",
                    "-addext", "basicConstraints=critical,CA:TRUE",
                    "-addext", "keyUsage=critical,keyCertSign,cRLSign",
                ]
            )
        } catch {
            try? FileManager.default.removeItem(at: directory)
            throw error
        }
    }

    /// Issues a certificate for `CN=<name>` with `subjectAltName` (e.g. `IP:127.0.0.1,DNS:localhost`), valid from
    /// `notBefore` to `notAfter`.
    func issue(name: String, subjectAltName: String, notBefore: Date, notAfter: Date) throws -> Leaf {
        let base = directory.appendingPathComponent(name).path
        let leaf = Leaf(certificate: "\(base).pem", key: "\(base).key")
        try Data("subjectAltName=\(subjectAltName)\n".utf8).write(to: URL(fileURLWithPath: "\(base).ext"))
        let serial = String(UInt64.random(in: 1...UInt64.max), radix: 16)
        try Data("\(String(repeating: "0", count: 16 - serial.count))\(serial)\n".utf8)
            .write(to: directory.appendingPathComponent("serial"))
        try TestTLSServer.openssl(Self.newKey(leaf.key) + ["-out", "\(base).csr", "-subj", "/CN=\(name)"])
        try TestTLSServer.openssl([
            "ca", "-batch", "-notext", "-config", directory.appendingPathComponent("ca.cnf").path,
            "-in", "\(base).csr", "-out", leaf.certificate, "-extfile", "\(base).ext",
            "-startdate", Self.timestamp(notBefore), "-enddate", Self.timestamp(notAfter),
        ])
        return leaf
    }

    /// Removes the CA's files and every certificate it issued.
    func remove() {
        try? FileManager.default.removeItem(at: directory)
    }

    /// `openssl req` arguments making a new P-256 key at `path`, unencrypted.
    private static func newKey(_ path: String) -> [String] {
        ["req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", path]
    }

    /// `openssl ca`'s date format, `YYYYMMDDHHMMSSZ` in UTC.
    private static func timestamp(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMddHHmmss'Z'"
        return formatter.string(from: date)
    }
}
